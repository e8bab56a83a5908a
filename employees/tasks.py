import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_effective_changes_task(day: str | None = None) -> int:
    """Daily: copy job changes that come into force today onto the employees' current fields.
    Idempotent: a second run the same day finds nothing left to change."""
    from datetime import date

    from employees.services.changes import effective_changes_apply

    changed = effective_changes_apply(today=date.fromisoformat(day) if day else None)
    log.info("apply_effective_changes_task: %s employee(s) updated", changed)
    return changed
