"""Celery adapters of the delivery mechanism. Time limits are set so that a hung item (a mail
relay that never answers) cannot hold a worker past its lease; see settings (DELIVERY_*)."""

import logging

from celery import shared_task
from django.conf import settings

from delivery import services
from delivery.files import tmp_files_clean

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.DELIVERY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.DELIVERY_TASK_TIME_LIMIT)
def delivery_run_task(item_ids: list[int]) -> int:
    """Do each item (each claimed on its own, so a redelivered batch skips what is done);
    returns how many this call did. Errors are recorded on the items, never retried by
    Celery: the item's own backoff and the relay are the retry."""
    return sum(services.delivery_run(item_id=pk) == services.S.DONE for pk in item_ids)


@shared_task(acks_late=True)
def delivery_relay_task() -> int:
    """Beat, every minute: publish what is due, take back what dead workers held."""
    return services.delivery_relay()


@shared_task(acks_late=True)
def delivery_clean_tmp_task() -> int:
    """Beat, hourly: delete temp files a worker killed mid-write left behind."""
    removed = tmp_files_clean()
    if removed:
        log.warning("removed %s stray temp file(s)", removed)
    return removed


@shared_task(acks_late=True)
def delivery_purge_done_task() -> int:
    """Beat, daily: delete items done more than DELIVERY_PURGE_DONE_DAYS ago, in batches."""
    removed = services.delivery_purge_done()
    if removed:
        log.info("purged %s delivery item(s) done long ago", removed)
    return removed


@shared_task(acks_late=True)
def downloads_clean_task() -> int:
    """Beat, hourly: built downloads older than DOWNLOADS_KEEP_HOURS and their files go."""
    from delivery.downloads import downloads_clean

    return downloads_clean()
