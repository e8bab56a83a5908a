"""Celery adapters for the ledger jobs (beat, daily). Both idempotent by the ledger's unique
constraint; the accrual fans out as delivery items (timeoff/deliveries.py)."""

from datetime import date

from celery import shared_task
from django.utils import timezone


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def accrual_run_task(day: str | None = None) -> int:
    from timeoff.services.jobs import accrual_run

    return accrual_run(on=_day(day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def year_end_run_task(day: str | None = None) -> int:
    from timeoff.services.jobs import year_end_run

    return year_end_run(on=_day(day))
