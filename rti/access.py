"""Who may see and act on RTI submissions: Payroll Admin (prepare, download, send, record
HMRC's answer); HR Admin reads the status pages (the XML holds every employee's National
Insurance number and pay, so only the Payroll Admin downloads it); nobody else. The same roles
as "Taxes to pay" (liabilities.access), which the EPS page belongs with."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role


def sees_rti(user) -> bool:
    return has_role(user, Role.PAYROLL_ADMIN, Role.HR_ADMIN)


def require_sees_rti(user) -> None:
    if not sees_rti(user):
        raise PermissionDenied(_("Only a Payroll Admin or an HR Admin may see RTI submissions."))


def require_files_rti(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may prepare, download or send RTI "
                                 "submissions."))
