"""Who is acting, from where, through which channel: set once per request (or import, or task)
so services can record audit events without threading the request through every call."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    source: str = "system"


_DEFAULT = AuditContext()  # frozen, so sharing one default is safe
_current: ContextVar[AuditContext] = ContextVar("hrops_audit_context", default=_DEFAULT)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(**changes: object) -> Iterator[AuditContext]:
    """Temporarily override parts of the context, e.g. `with audit_context(source="import"):`."""
    token = _current.set(replace(_current.get(), **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
