"""Celery adapters: load by id, call one service."""

import logging

from celery import shared_task

from payroll.services.runs import run_calculate_chunk, run_calculation_failed

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_calculate_chunk_task(chunk_id: int) -> None:
    try:
        run_calculate_chunk(chunk_id=chunk_id)
    except Exception as exc:  # keep the error on the run for the page, then re-raise
        log.exception("pay run chunk %s failed", chunk_id)
        run_calculation_failed(chunk_id=chunk_id, error=f"{type(exc).__name__}: {exc}")
        raise


# The payslip pipeline (PDFs, emails) lives in its own module; importing it registers its tasks.
from payroll.tasks_payslips import (  # noqa: E402, F401
    payslip_email_task,
    payslip_render_batch_task,
    payslip_render_task,
    payslips_retry_stuck_task,
)
