from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import is_staff_member


def nav_items(user) -> list[NavItem]:
    if not is_staff_member(user):
        return []
    return [NavItem(_("Payroll"), reverse("payroll:run_list"), "payroll")]
