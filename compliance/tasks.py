"""Celery adapters: load ids, call one service. Idempotent by construction (status rows and
ReminderSent claims), so acks_late redelivery is harmless."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from compliance.services import reminders, retention

log = logging.getLogger(__name__)


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compliance_reminders_task(day: str | None = None) -> int:
    """Daily (beat): queue every due expiry reminder stage once (delivery items)."""
    return reminders.reminders_run(today=_day(day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention_dry_run_task(day: str | None = None) -> int:
    """Weekly (beat): store a dry-run purge report for HR Admin to review and approve."""
    return retention.purge_propose(acting_user=None, today=_day(day)).pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compliance_status_roll_task(day: str | None = None) -> int:
    """Daily (beat), just after midnight: stored statuses whose day to change has come (a record
    now expiring soon, or expired) are recomputed. Idempotent: a rerun finds nothing due."""
    from compliance.services.statuses import compliance_status_roll
    from compliance.services.summary import compliance_summary_refresh

    rolled = compliance_status_roll(today=_day(day))
    # The dashboard's expiring windows start from a new day even when no status changed.
    compliance_summary_refresh(today=_day(day))
    return rolled


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compliance_summary_build_task() -> bool:
    """After a change of the stored statuses: build the dashboard's summary ahead of the next
    page view. Idempotent (does nothing when it is current); a lost run loses nothing."""
    from compliance.services.summary import compliance_summary_refresh

    return compliance_summary_refresh()
