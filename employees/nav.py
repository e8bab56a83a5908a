from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.roles import Role, has_role, is_hr, is_staff_member
from employees.access import sees_colleagues, sees_everyone
from employees.directory import can_use_directory
from employees.selectors import employee_for_user


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if can_use_directory(user):
        items.append(NavItem(_("People"), reverse("employees:directory"), "employees"))
    if sees_everyone(user) or employee_for_user(user) is not None:
        items.append(NavItem(_("Org chart"), reverse("employees:org_chart"), "employees-org"))
    if sees_colleagues(user):
        items.append(NavItem(_("Colleagues"), reverse("employees:colleagues"),
                             "employees-colleagues"))
    if is_hr(user):
        items.append(NavItem(_("Import"), reverse("employees:import"), "employees-import"))
    if is_staff_member(user) or has_role(user, Role.MANAGER):  # roles are cached: no query
        items.append(NavItem(_("Change proposals"), reverse("employees:proposals"),
                             "employees-proposals"))
    return items
