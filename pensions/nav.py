from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role


def nav_items(user) -> list[NavItem]:
    """HR Admin and Payroll Admin: "Pensions" (schemes, members, PAPDIS files)."""
    if has_role(user, Role.HR_ADMIN) or has_role(user, Role.PAYROLL_ADMIN):
        return [NavItem(_("Pensions"), reverse("pensions:scheme_list"), "pensions")]
    return []
