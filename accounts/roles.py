"""The five roles. HR Admin, HR Staff, Payroll Admin and Employee are Django groups (created by a
migration); "Manager" is also a group for navigation, but what a manager may see is always derived
from reporting lines (employees.access), never from the group alone."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser


class Role(StrEnum):
    HR_ADMIN = "HR Admin"
    HR_STAFF = "HR Staff"
    PAYROLL_ADMIN = "Payroll Admin"
    MANAGER = "Manager"
    EMPLOYEE = "Employee"
    # A grant, not a job: lets HR Staff see payslips, run inputs and tax setup (read only).
    PAYROLL_VIEWER = "Payroll Viewer"
    # People analytics (issue 15): every aggregate, no individual pay; sees who works where.
    HR_ANALYST = "HR Analyst"


HR_ROLES = frozenset({Role.HR_ADMIN, Role.HR_STAFF})
STAFF_ROLES = frozenset({Role.HR_ADMIN, Role.HR_STAFF, Role.PAYROLL_ADMIN})


def user_roles(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_hrops_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.HR_ADMIN}
        user._hrops_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_hr(user) -> bool:
    return has_role(user, *HR_ROLES)


def is_hr_admin(user) -> bool:
    return has_role(user, Role.HR_ADMIN)


def is_payroll_admin(user) -> bool:
    return has_role(user, Role.PAYROLL_ADMIN)


def sees_payroll(user) -> bool:
    """Pay runs, payslips, run inputs and tax setup: HR Admin, Payroll Admin, and HR Staff only
    with the Payroll Viewer grant (issue 12: HR Staff sees no pay data by default)."""
    return has_role(user, Role.HR_ADMIN, Role.PAYROLL_ADMIN) or (
        has_role(user, Role.HR_STAFF) and has_role(user, Role.PAYROLL_VIEWER))


def is_staff_member(user) -> bool:
    """HR or payroll: the people who use the staff side all day."""
    return has_role(user, *STAFF_ROLES)


def requires_second_factor(user) -> bool:
    from django.conf import settings

    return has_role(user, *settings.MFA_REQUIRED_ROLES)
