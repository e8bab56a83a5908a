"""Thin beat tasks of webhooks (the work is in webhooks.services)."""

import logging

from celery import shared_task

from webhooks.services import webhook_deliveries_purge

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def webhook_deliveries_purge_task() -> int:
    removed = webhook_deliveries_purge()
    if removed:
        log.info("purged %s webhook delivery row(s) finished long ago", removed)
    return removed
