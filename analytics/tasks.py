"""Celery adapters for analytics."""

from datetime import date

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def snapshot_refresh_task(day: str | None = None) -> int:
    """Beat, nightly after the day's job changes and leavers are applied: rebuild the monthly
    workforce snapshot, then the stored gender pay gap figures that are due (analytics.gpg_store).
    Idempotent: full recomputations from the record."""
    from analytics.gpg_store import pay_gap_refresh_due
    from analytics.snapshot import snapshot_refresh

    as_of = date.fromisoformat(day) if day else None
    rows = snapshot_refresh(as_of=as_of).rows
    pay_gap_refresh_due(as_of)
    return rows


@shared_task(acks_late=True, reject_on_worker_lost=True)
def saved_reports_send_task(day: str | None = None) -> int:
    """Beat, each morning: queue the emails of saved reports due today (weekly on Mondays,
    monthly on the 1st). Idempotent: one delivery item per report, recipient and day."""
    from django.utils import timezone

    from analytics.saved import saved_reports_send_due

    return saved_reports_send_due(day=date.fromisoformat(day) if day else timezone.localdate())
