from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import sees_payroll


def nav_items(user) -> list[NavItem]:
    if not sees_payroll(user):
        return []
    return [NavItem(_("Payroll"), reverse("payroll:run_list"), "payroll")]
