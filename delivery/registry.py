"""Which function does each kind of delivery item, and which errors are worth retrying.

A handler takes the item and does the work idempotently (a redelivered item finds the work done
and returns). It raises `PermanentError` (or any non-transient error) to fail the item with the
reason, or a transient error to be retried with backoff."""

import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError


class PermanentError(Exception):
    """The work cannot succeed by retrying (bad address, a rendering bug): fail with a reason."""


class TransientError(Exception):
    """Worth another try later."""


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable
    batch: int  # how many items one task carries (1 for anything that talks to a mail relay)
    # Hard time limit (s) of a task carrying this kind, when it needs more than the delivery
    # default (DELIVERY_TASK_TIME_LIMIT): an import of 20,000 people. Its item's lease is
    # extended to outlast it (see services.delivery_run), so it is never run twice at once.
    time_limit: int | None = None
    # Embedded mode (no broker): run on the in-process background thread after the response
    # instead of inline on commit, so no request waits on it (big files, imports; issue 11).
    background: bool = False


_HANDLERS: dict[str, Handler] = {}


def handler(kind: str, *, batch: int = 1, time_limit: int | None = None,
            background: bool = False) -> Callable[[Callable], Callable]:
    def register(func: Callable) -> Callable:
        _HANDLERS[kind] = Handler(kind=kind, run=func, batch=batch, time_limit=time_limit,
                                  background=background)
        return func
    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise PermanentError(f"no handler for {kind!r}") from None


def _smtp_code_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return False


TRANSIENT = (
    TransientError, TimeoutError, ConnectionError, socket.gaierror,
    smtplib.SMTPServerDisconnected, SoftTimeLimitExceeded, OperationalError, InterfaceError,
)


def is_transient(exc: BaseException) -> bool:
    """Timeouts, refused or dropped connections, SMTP 4xx replies, a database blip."""
    if isinstance(exc, PermanentError):
        return False
    return isinstance(exc, TRANSIENT) or (isinstance(exc, Exception)
                                          and _smtp_code_transient(exc))
