from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from employees.selectors import employee_for_user


def nav_items(user) -> list[NavItem]:
    """Everyone with an employee record, or HR: "Time off" (own leave, approvals, calendar)."""
    from accounts.roles import is_staff_member

    if employee_for_user(user) is None and not is_staff_member(user):
        return []
    return [NavItem(_("Time off"), reverse("timeoff:calendar"), "timeoff")]
