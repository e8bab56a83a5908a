from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role, is_hr_admin, is_staff_member


def nav_items(user) -> list[NavItem]:
    """HR Admin: service accounts (their page links to personal tokens); staff, managers and
    analysts: their personal tokens. Employees keep "My portal" only and find their tokens on a
    portal card (api/portal.py). Decided by roles: no query."""
    if is_hr_admin(user):
        return [NavItem(_("API"), reverse("api:service_accounts"), "api")]
    if is_staff_member(user) or has_role(user, Role.MANAGER, Role.HR_ANALYST):
        return [NavItem(_("API tokens"), reverse("api:tokens"), "api")]
    return []
