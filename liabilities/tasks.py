from datetime import date

from celery import shared_task
from django.utils import timezone

from liabilities.services import overdue_notify


@shared_task(acks_late=True, reject_on_worker_lost=True)
def liabilities_overdue_notify_task(day: str | None = None) -> int:
    """Daily: notify Payroll Admins of tax liabilities past their due date (keyed: once each)."""
    return overdue_notify(today=date.fromisoformat(day) if day else timezone.localdate())
