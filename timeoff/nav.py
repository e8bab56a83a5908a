from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role, is_staff_member


def nav_items(user) -> list[NavItem]:
    """Staff and managers: "Time off" (approvals, who's out). Employees reach their time off
    from the portal's card, so their menu stays "My portal" only. Decided by roles (already
    loaded for the menu): no query."""
    if is_staff_member(user) or has_role(user, Role.MANAGER):
        return [NavItem(_("Time off"), reverse("timeoff:calendar"), "timeoff")]
    return []
