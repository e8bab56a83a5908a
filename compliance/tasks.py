"""Celery adapters: load ids, call one service. Idempotent by construction (status rows and
ReminderSent claims), so acks_late redelivery is harmless."""

import logging
from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from compliance.services import exports, reminders, retention

log = logging.getLogger(__name__)


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(SMTPException, ConnectionError), retry_backoff=True,
             retry_jitter=True, max_retries=5)
def compliance_reminders_task(day: str | None = None) -> int:
    """Daily (beat): send every due expiry reminder stage once."""
    return reminders.reminders_run(today=_day(day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention_dry_run_task(day: str | None = None) -> int:
    """Weekly (beat): store a dry-run purge report for HR Admin to review and approve."""
    return retention.purge_propose(acting_user=None, today=_day(day)).pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evidence_pack_render_task(pack_id: int) -> None:
    exports.evidence_pack_render(pack_id=pack_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def subject_access_render_task(export_id: int) -> None:
    exports.subject_access_render(export_id=export_id)
