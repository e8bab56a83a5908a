from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role, is_staff_member


def nav_items(user) -> list[NavItem]:
    """Everyone with a role: "Time off" (own leave, approvals, who's out). Decided by roles
    (already loaded for the menu), so the menu adds no query."""
    if is_staff_member(user) or has_role(user, Role.EMPLOYEE, Role.MANAGER):
        return [NavItem(_("Time off"), reverse("timeoff:calendar"), "timeoff")]
    return []
