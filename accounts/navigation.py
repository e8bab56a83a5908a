"""The main navigation, by role. Each app contributes its entries here, so the menu only ever
lists pages that exist and that the user may open."""

from dataclasses import dataclass
from importlib import import_module

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_hr, is_hr_admin, is_staff_member


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # the first URL path segment, to mark the current item


# Each app lists its own entries in `<app>/nav.py` as `def nav_items(user) -> list[NavItem]`.
NAV_PROVIDERS = ["employees", "lifecycle", "payroll", "liabilities", "yearend", "pensions",
                 "compliance", "timeoff", "analytics", "api", "webhooks"]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(request, "_hrops_nav", None)
    if cached is not None:
        return cached
    items: list[NavItem] = []
    if is_staff_member(user):
        items.append(NavItem(_("Home"), reverse("home"), "home"))
    for app in NAV_PROVIDERS:
        try:
            module = import_module(f"{app}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(module.nav_items(user))
    items.append(NavItem(_("My portal"), reverse("portal:home"), "portal"))
    if is_hr_admin(user):
        items.append(NavItem(_("Users"), reverse("accounts:users"), "users"))
    if is_hr(user) or user.is_superuser:
        items.append(NavItem(_("Admin"), reverse("admin:index"), "admin"))
    request._hrops_nav = items
    return items
