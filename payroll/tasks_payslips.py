"""Celery adapters for the payslip pipeline: take an id, call one service."""

import logging
from smtplib import SMTPException

from celery import shared_task

from payroll.services.payslips import payslip_email, payslip_render, payslips_retry_stuck

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def payslip_render_task(payslip_id: int) -> str | None:
    return payslip_render(payslip_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def payslip_render_batch_task(payslip_ids: list[int]) -> int:
    """Render a batch; each payslip is claimed separately, so a redelivery skips the done ones."""
    return sum(1 for pk in payslip_ids if payslip_render(pk) is not None)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True, retry_jitter=True, max_retries=5,
)
def payslip_email_task(payslip_id: int) -> bool:
    return payslip_email(payslip_id)


@shared_task(acks_late=True)
def payslips_retry_stuck_task() -> int:
    """Beat: re-queue payslips a killed worker left in "rendering"."""
    count = payslips_retry_stuck()
    if count:
        log.warning("re-queued %s payslip PDFs left rendering by a stopped worker", count)
    return count
