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
