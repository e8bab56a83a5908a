"""Celery adapters: load ids, call one service. All idempotent (status checks, DigestSent).
Emails (digests, the onboarding notice) are delivery items: lifecycle/deliveries.py."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


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
    """Beat, each morning: queue one digest (a delivery item) per person with something due or
    overdue; the count queued. Idempotent: DigestSent is unique per (user, day)."""
    from lifecycle.services.digest import digest_recipients, digest_send
    from lifecycle.services.notify import tasks_due_notify

    the_day = _day(day)
    tasks_due_notify(day=the_day)  # the bell, for everyone; keyed per (user, day)
    return sum(digest_send(user_id=user_id, day=the_day)
               for user_id in digest_recipients(the_day))
