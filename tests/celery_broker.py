"""Run Celery against a real Redis broker for the length of one test, then put it back.

Used by every real-worker test. Two things must be undone exactly afterwards, or later tests in
the same process silently stop running tasks in-process:
- the overrides go into `app.conf.changes`, which shadow the Django settings Celery reads; they
  are removed again (not "restored" to values read while the override was already in place);
- the app caches its connection and producer pools for the first broker URL it used; those are
  dropped both ways, or messages keep going to the other broker.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from hrops.celery import app

_KEYS = ("broker_url", "task_always_eager")


def forget_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_on_broker(broker_url: str) -> Iterator[None]:
    before = {key: app.conf.changes[key] for key in _KEYS if key in app.conf.changes}
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    forget_connections()
    try:
        yield
    finally:
        for key in _KEYS:
            app.conf.changes.pop(key, None)
        app.conf.update(before)
        forget_connections()
