"""Scope checks. Each view names the scope each method needs (`scopes = {"GET": ...}`); the
employees.access gate then decides per person, exactly as for the web pages."""

from django.utils.translation import gettext as _
from rest_framework import permissions


def token_scopes(request) -> frozenset[str]:
    token = getattr(request, "auth", None)
    return frozenset(getattr(token, "scopes", None) or ())


def has_scope(request, scope: str) -> bool:
    return scope in token_scopes(request)


class HasScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated and request.auth is not None):
            return False
        needed = view.scopes.get(request.method) if hasattr(view, "scopes") else None
        if needed is None and request.method == "HEAD":
            needed = view.scopes.get("GET")
        if needed is None:
            return True  # the method itself is refused later (405)
        needed = (needed,) if isinstance(needed, str) else needed
        missing = [s for s in needed if not has_scope(request, s)]
        if missing:
            self.message = _("This token lacks the scope(s): %s.") % ", ".join(missing)
            return False
        return True
