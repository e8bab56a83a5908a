"""Celery adapters: load ids, call one service. All idempotent (status checks, DigestSent)."""

import logging
from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)

_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError),
    "retry_backoff": True, "retry_jitter": True, "max_retries": 5,
    "acks_late": True, "reject_on_worker_lost": True,
}


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def activate_starters_task(day: str | None = None) -> int:
    """Beat, early each morning (company time zone): pre-hires whose start date has come."""
    from lifecycle.services.flows import starters_activate_due

    return starters_activate_due(today=_day(day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def terminate_leavers_task(day: str | None = None) -> int:
    """Beat, early each morning: leavers whose last working day was before today."""
    from lifecycle.services.flows import leavers_terminate_due

    return leavers_terminate_due(today=_day(day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_digests_task(day: str | None = None) -> int:
    """Beat, each morning: one digest task per person with something due or overdue."""
    from lifecycle.services.digest import digest_recipients

    the_day = _day(day)
    recipients = digest_recipients(the_day)
    for user_id in recipients:
        send_digest_task.delay(user_id, the_day.isoformat())
    return len(recipients)


@shared_task(**_RETRY)
def send_digest_task(user_id: int, day: str) -> bool:
    from lifecycle.services.digest import digest_send

    return digest_send(user_id=user_id, day=date.fromisoformat(day))


@shared_task(**_RETRY)
def send_onboarding_notice_task(employee_id: int) -> bool:
    """Tell the new hire's manager that their onboarding has started."""
    from lifecycle.services.notices import onboarding_notice_send

    return onboarding_notice_send(employee_id=employee_id)
