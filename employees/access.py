"""The one place that answers "may this user see / change this employee's X?".

Relations: HR (HR Admin, HR Staff) see and change everyone; Payroll Admin sees everyone's
employment and pay; a manager sees their direct and indirect reports' summary, employment and
compliance status, but pay, bank, national ID and documents only when granted a permission;
an employee sees themself. Nobody else sees anything (404, not 403, so existence does not leak).
Secrets (national ID, bank account) are revealed in full only to HR Admin and Payroll Admin.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Role, has_role, is_hr
from employees.models import Employee
from employees.selectors import employee_for_user, report_ids


class Section(StrEnum):
    SUMMARY = "summary"  # name, title, department, location, manager, work email
    PERSONAL = "personal"  # home address, personal contact, date of birth, emergency contacts
    EMPLOYMENT = "employment"  # status, dates, job history
    COMPENSATION = "compensation"
    BANK = "bank"
    NATIONAL_ID = "national_id"
    DOCUMENTS = "documents"
    HISTORY = "history"  # audit trail
    PAYSLIPS = "payslips"
    COMPLIANCE = "compliance"  # requirement statuses
    COMPLIANCE_EVIDENCE = "compliance_evidence"  # uploaded evidence files
    TASKS = "tasks"


class Relation(StrEnum):
    HR = "hr"
    PAYROLL = "payroll"
    MANAGER = "manager"
    SELF = "self"
    NONE = "none"


_VIEW: dict[Relation, frozenset[Section]] = {
    Relation.HR: frozenset(Section),
    Relation.PAYROLL: frozenset({
        Section.SUMMARY, Section.EMPLOYMENT, Section.COMPENSATION, Section.BANK,
        Section.NATIONAL_ID, Section.PAYSLIPS, Section.PERSONAL,
    }),
    Relation.MANAGER: frozenset({
        Section.SUMMARY, Section.EMPLOYMENT, Section.COMPLIANCE, Section.TASKS,
    }),
    Relation.SELF: frozenset({
        Section.SUMMARY, Section.PERSONAL, Section.EMPLOYMENT, Section.COMPENSATION,
        Section.BANK, Section.NATIONAL_ID, Section.DOCUMENTS, Section.PAYSLIPS,
        Section.COMPLIANCE, Section.COMPLIANCE_EVIDENCE, Section.TASKS,
    }),
    Relation.NONE: frozenset(),
}

# Manager grants: a Django permission on the user opens extra sections for their reports.
_MANAGER_GRANTS: dict[str, frozenset[Section]] = {
    "employees.view_team_compensation": frozenset({Section.COMPENSATION}),
    "employees.view_team_sensitive": frozenset({Section.BANK, Section.NATIONAL_ID}),
    "employees.view_team_documents": frozenset(
        {Section.DOCUMENTS, Section.COMPLIANCE_EVIDENCE}
    ),
}

_CHANGE: dict[Relation, frozenset[Section]] = {
    Relation.HR: frozenset(Section) - {Section.PAYSLIPS, Section.HISTORY},
    Relation.PAYROLL: frozenset({Section.COMPENSATION, Section.BANK}),
    Relation.MANAGER: frozenset(),
    # An employee edits their own contact details directly; bank changes go through a request
    # that HR approves, and documents/evidence through upload.
    Relation.SELF: frozenset({Section.PERSONAL, Section.COMPLIANCE_EVIDENCE}),
    Relation.NONE: frozenset(),
}


def _report_ids_cached(viewer) -> set[int]:
    cached = getattr(viewer, "_hrops_report_ids", None)
    if cached is None:
        me = employee_for_user(viewer)
        cached = report_ids(me) if me else set()
        viewer._hrops_report_ids = cached
    return cached


def relation(viewer, employee: Employee) -> Relation:
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Relation.NONE
    if is_hr(viewer):
        return Relation.HR
    if has_role(viewer, Role.PAYROLL_ADMIN):
        return Relation.PAYROLL
    if employee.user_id is not None and employee.user_id == viewer.pk:
        return Relation.SELF
    if employee.pk in _report_ids_cached(viewer):
        return Relation.MANAGER
    return Relation.NONE


def can_view(viewer, employee: Employee, section: Section) -> bool:
    rel = relation(viewer, employee)
    if section in _VIEW[rel]:
        return True
    if rel is Relation.MANAGER:
        return any(
            section in sections and viewer.has_perm(perm)
            for perm, sections in _MANAGER_GRANTS.items()
        )
    return False


def can_change(viewer, employee: Employee, section: Section) -> bool:
    return section in _CHANGE[relation(viewer, employee)]


def can_reveal_secrets(viewer) -> bool:
    """Full national ID / bank number: HR Admin and Payroll Admin only; each reveal is audited."""
    return has_role(viewer, Role.HR_ADMIN, Role.PAYROLL_ADMIN)


def sees_everyone(viewer) -> bool:
    return is_hr(viewer) or has_role(viewer, Role.PAYROLL_ADMIN)


def employees_visible_to(viewer) -> QuerySet[Employee]:
    """Everyone the viewer may at least see the summary of (HR, payroll: all; managers: their
    reports and themself; employees: themself)."""
    if sees_everyone(viewer):
        return Employee.objects.all()
    me = employee_for_user(viewer)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=_report_ids_cached(viewer) | {me.pk})


def is_manager(viewer) -> bool:
    return bool(_report_ids_cached(viewer))


def employee_get_for_viewer(
    viewer, pk: int, *, section: Section = Section.SUMMARY, for_write: bool = False,
    queryset: QuerySet[Employee] | None = None,
) -> Employee:
    """Load an employee for a view: 404 if the viewer may not see them at all, 403 if they may see
    them but not this section (or not change it)."""
    qs = queryset if queryset is not None else Employee.objects.all()
    employee = qs.filter(pk=pk).first()
    if employee is None or relation(viewer, employee) is Relation.NONE:
        raise Http404("No such employee.")
    if not can_view(viewer, employee, section):
        raise PermissionDenied("You may not see this part of the employee record.")
    if for_write and not can_change(viewer, employee, section):
        raise PermissionDenied("You may not change this part of the employee record.")
    return employee
