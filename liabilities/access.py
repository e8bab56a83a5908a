"""Who may see and record employer tax liabilities: Payroll Admin (everything), HR Admin (read
only); nobody else, not even HR Staff with the Payroll Viewer grant (these are company taxes,
not payslips)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role


def sees_liabilities(user) -> bool:
    return has_role(user, Role.PAYROLL_ADMIN, Role.HR_ADMIN)


def require_sees_liabilities(user) -> None:
    if not sees_liabilities(user):
        raise PermissionDenied(_("Only a Payroll Admin or an HR Admin may see employer taxes."))


def require_records_liabilities(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may record tax payments and settings."))
