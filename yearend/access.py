"""Who may have which year-end document: the employee their own (portal); HR Admin and Payroll
Admin anyone's, through the employee gate (employees.access); nobody else (404, like the gate)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from employees.access import Section, employee_get_for_viewer
from employees.models import Employee
from yearend.models import YearEndDocument


def sees_everyones(user) -> bool:
    return has_role(user, Role.HR_ADMIN, Role.PAYROLL_ADMIN)


def require_year_end_staff(user) -> None:
    """The schedule pages: 404 for anyone but HR Admin and Payroll Admin (no existence leak)."""
    if not sees_everyones(user):
        raise Http404(_("No such page."))


def require_payroll_admin(user) -> None:
    require_year_end_staff(user)
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may do this."))


def employee_for_documents(user, pk: int) -> Employee:
    """Someone's documents (staff side): the gate first (404 / 403), then the role."""
    employee = employee_get_for_viewer(user, pk, section=Section.PAYSLIPS)
    if not sees_everyones(user):
        raise PermissionDenied(_("Only HR Admin and Payroll Admin see others' year-end "
                                 "documents."))
    return employee


def document_for_viewer(user, pk: int) -> YearEndDocument:
    document = get_object_or_404(YearEndDocument.objects.select_related("employee"), pk=pk)
    if document.employee.user_id is not None and document.employee.user_id == user.pk:
        return document
    if not sees_everyones(user):
        raise Http404(_("No such document."))
    employee_for_documents(user, document.employee_id)
    return document
