from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import is_hr
from employees.access import is_manager


def nav_items(user) -> list[NavItem]:
    if is_hr(user):
        return [NavItem(_("Compliance"), reverse("compliance:dashboard"), "compliance")]
    if is_manager(user):
        return [NavItem(_("Team compliance"), reverse("compliance:matrix"), "compliance")]
    return []
