"""Embedded mode (no broker): long delivery work runs on one background thread of the serving
process, after the response, instead of inline in the request that committed it.

With a broker, publishing an item is a message and a worker does the work. Without one, Celery
runs tasks eagerly: in the request's on-commit hook, so a user asking for a 20,000-row XLSX
would wait for the whole build on a sync web worker. Kinds declared `@handler(...,
background=True)` (big files, imports, PDFs) are handed to this thread instead, so the request
answers at once with its progress page, which polls the status row the build updates.

Durability is the delivery mechanism's, unchanged: the item is claimed with a lease when the
thread starts it; if the process stops mid-build, the lease runs out and the relay (the embedded
scheduler, or `manage.py delivery_relay`) queues it again. One thread, so builds run one after
another (SQLite has one writer anyway); the executor joins it at interpreter exit, so a
management command that queued work finishes it before exiting.

Tests set DELIVERY_EMBEDDED_BACKGROUND = False (tests/conftest.py): inside a test transaction a
second thread's connection cannot see the test's rows, so they run the work inline.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_pending: set[Future] = set()


def in_background() -> bool:
    """Whether background kinds go to the thread: embedded mode, unless turned off."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER
                and getattr(settings, "DELIVERY_EMBEDDED_BACKGROUND", True))


def _run(item_ids: list[int]) -> int:
    from delivery.services import S, delivery_run

    close_old_connections()
    try:
        return sum(delivery_run(item_id=pk) == S.DONE for pk in item_ids)
    except Exception:  # delivery_run records handler errors; this is a database outage
        log.exception("embedded delivery of %s item(s) failed; the relay retries them",
                      len(item_ids))
        return 0
    finally:
        connections.close_all()  # this thread's connections, not the request's


def submit(item_ids: list[int]) -> Future:
    """Queue a batch of items for the background thread; returns at once."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hrops-delivery")
        future = _executor.submit(_run, list(item_ids))
        _pending.add(future)
    future.add_done_callback(_pending.discard)
    return future


def drain(timeout: float | None = None) -> bool:
    """Wait until everything submitted so far is done (tests, shutdown); False on timeout."""
    from concurrent.futures import wait

    with _lock:
        futures = set(_pending)
    if not futures:
        return True
    _done, not_done = wait(futures, timeout=timeout)
    return not not_done
