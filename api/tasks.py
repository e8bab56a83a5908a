from celery import shared_task

from api.services.calls import api_calls_purge


@shared_task(acks_late=True, reject_on_worker_lost=True)
def api_calls_purge_task() -> int:
    return api_calls_purge()
