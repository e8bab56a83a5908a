"""Optional per-app hooks that compliance calls (`<app>.privacy`, `<app>.retention`), so other
apps add their data to compliance's exports and reports without compliance importing them."""

from importlib import import_module
from types import ModuleType


def app_hook(app: str, name: str) -> ModuleType | None:
    """`<app>.<name>`, or None when the app provides no such hook. An import error INSIDE the
    hook is raised, not mistaken for "no hook" (that would silently drop data from an export)."""
    try:
        return import_module(f"{app}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name not in (app, f"{app}.{name}"):
            raise
        return None


# Apps above compliance that act when a record is added (lifecycle completes the onboarding task
# linked to the requirement): fn(*, acting_user, record), called inside record_add's transaction.
_record_added: list = []


def register_record_added(fn) -> None:
    if fn not in _record_added:
        _record_added.append(fn)


def record_added(*, acting_user, record) -> None:
    for fn in _record_added:
        fn(acting_user=acting_user, record=record)
