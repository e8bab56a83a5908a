"""The one place that answers "may this user see / change this employee's X?".

Relations: HR (HR Admin, HR Staff) see and change everyone; Payroll Admin sees everyone's
employment and pay; a manager sees their direct and indirect reports' summary, employment and
compliance status, but pay, bank, national ID and documents only when granted a permission (or
when HR Admin lets every manager see their reports' pay: AccessPolicy); an employee sees
themself. Nobody else sees anything (404, not 403, so existence does not leak).
Secrets (national ID, bank account) are revealed in full only to HR Admin and Payroll Admin.

Segregation of duties (issue 12, the High finding): for CHANGES, "self" is checked before the
role. Whoever you are, on your own record you have only an employee's rights: your pay, bank
accounts, national ID, tax setup, recurring pay items, run inputs and job are changed by someone
else, and you ask for a bank change through the same request every employee uses. Services call
`require_not_self` too, so the admin, importers and any future caller obey the same rule.

Pay data (payslips, run inputs, tax setup): HR Admin and Payroll Admin; HR Staff only with the
"Payroll Viewer" grant (accounts.roles.sees_payroll).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_hr, sees_payroll
from employees.models import AccessPolicy, Employee
from employees.selectors import employee_for_user, manager_chain, report_ids


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
    PAY_SETUP = "pay_setup"  # tax setup, recurring pay items, per-run inputs, unpaid leave
    PHOTO = "photo"  # profile photo (who may SEE it: can_see_work_details)


class Relation(StrEnum):
    HR = "hr"
    PAYROLL = "payroll"
    MANAGER = "manager"
    SELF = "self"
    ANALYST = "analyst"  # HR Analyst (issue 15): who works where and since when, never pay
    NONE = "none"


_VIEW: dict[Relation, frozenset[Section]] = {
    Relation.HR: frozenset(Section),
    Relation.PAYROLL: frozenset({
        Section.SUMMARY, Section.EMPLOYMENT, Section.COMPENSATION, Section.BANK,
        Section.NATIONAL_ID, Section.PAYSLIPS, Section.PERSONAL, Section.PAY_SETUP,
        Section.PHOTO,
    }),
    Relation.MANAGER: frozenset({
        Section.SUMMARY, Section.EMPLOYMENT, Section.COMPLIANCE, Section.TASKS, Section.PHOTO,
    }),
    Relation.SELF: frozenset({
        Section.SUMMARY, Section.PERSONAL, Section.EMPLOYMENT, Section.COMPENSATION,
        Section.BANK, Section.NATIONAL_ID, Section.DOCUMENTS, Section.PAYSLIPS,
        Section.COMPLIANCE, Section.COMPLIANCE_EVIDENCE, Section.TASKS, Section.PHOTO,
    }),
    Relation.ANALYST: frozenset({Section.SUMMARY, Section.EMPLOYMENT}),
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

# Within HR, these need the payroll access level (HR Admin, or HR Staff with Payroll Viewer).
_PAYROLL_LEVEL = frozenset({Section.PAYSLIPS, Section.PAY_SETUP})

_CHANGE: dict[Relation, frozenset[Section]] = {
    Relation.HR: frozenset(Section) - {Section.PAYSLIPS, Section.HISTORY},
    Relation.PAYROLL: frozenset({Section.COMPENSATION, Section.BANK, Section.PAY_SETUP}),
    Relation.MANAGER: frozenset(),
    # An employee edits their own contact details directly; bank changes go through a request
    # that HR approves, and documents/evidence through upload.
    Relation.SELF: frozenset({Section.PERSONAL, Section.COMPLIANCE_EVIDENCE, Section.PHOTO}),
    Relation.ANALYST: frozenset(),
    Relation.NONE: frozenset(),
}


def _report_ids_cached(viewer) -> set[int]:
    cached = getattr(viewer, "_hrops_report_ids", None)
    if cached is None:
        me = employee_for_user(viewer)
        cached = report_ids(me) if me else set()
        viewer._hrops_report_ids = cached
    return cached


class SelfChangeForbidden(ValidationError):
    """A service refused a change to the acting user's own pay, bank or job data (or their own
    request). A ValidationError so forms and importers show it as an error on the row."""


def is_self(viewer, employee: Employee) -> bool:
    return (getattr(viewer, "is_authenticated", False) and employee.user_id is not None
            and employee.user_id == viewer.pk)


def require_not_self(acting_user, employee: Employee, what: str = "") -> None:
    """Services call this before changing pay, bank, tax or job data, or deciding a request:
    nobody does it for themself, whatever their role."""
    if is_self(acting_user, employee):
        raise SelfChangeForbidden(
            _("Segregation of duties: you cannot change your own %(what)s. Ask a colleague, or "
              "use the request on your profile.") % {"what": what or _("pay or bank details")})


def access_policy(viewer=None) -> AccessPolicy:
    """The company's access levels (defaults when never saved), cached on the viewer."""
    cached = getattr(viewer, "_hrops_access_policy", None) if viewer is not None else None
    if cached is None:
        cached = AccessPolicy.objects.filter(pk=1).first() or AccessPolicy(pk=1)
        if viewer is not None:
            viewer._hrops_access_policy = cached
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
    if has_role(viewer, Role.HR_ANALYST):
        return Relation.ANALYST
    return Relation.NONE


def can_view(viewer, employee: Employee, section: Section) -> bool:
    rel = relation(viewer, employee)
    if rel is Relation.HR and section in _PAYROLL_LEVEL and not sees_payroll(viewer):
        # HR Staff without the Payroll Viewer grant: their own payslips, as an employee.
        return is_self(viewer, employee) and section in _VIEW[Relation.SELF]
    if section in _VIEW[rel]:
        return True
    if rel is Relation.MANAGER:
        if section is Section.COMPENSATION and access_policy(viewer).managers_see_team_pay:
            return True
        return any(
            section in sections and viewer.has_perm(perm)
            for perm, sections in _MANAGER_GRANTS.items()
        )
    return False


def can_change(viewer, employee: Employee, section: Section) -> bool:
    if is_self(viewer, employee):
        # Self before role: on your own record you have an employee's rights, no more.
        return section in _CHANGE[Relation.SELF]
    rel = relation(viewer, employee)
    if rel is Relation.HR and section in _PAYROLL_LEVEL and not has_role(viewer, Role.HR_ADMIN):
        return False
    return section in _CHANGE[rel]


def can_decide_request(viewer, employee: Employee) -> bool:
    """Bank change requests are decided by HR Admin or Payroll Admin, never by the requester."""
    return has_role(viewer, Role.HR_ADMIN, Role.PAYROLL_ADMIN) and not is_self(viewer, employee)


def can_reveal_secrets(viewer) -> bool:
    """Full national ID / bank number: HR Admin and Payroll Admin only; each reveal is audited."""
    return has_role(viewer, Role.HR_ADMIN, Role.PAYROLL_ADMIN)


def sees_everyone(viewer) -> bool:
    return is_hr(viewer) or has_role(viewer, Role.PAYROLL_ADMIN)


def employees_visible_to(viewer) -> QuerySet[Employee]:
    """Everyone the viewer may at least see the summary of (HR, payroll: all; managers: their
    reports and themself; employees: themself)."""
    if sees_everyone(viewer) or has_role(viewer, Role.HR_ANALYST):
        return Employee.objects.all()
    me = employee_for_user(viewer)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=_report_ids_cached(viewer) | {me.pk})


def sees_colleagues(viewer) -> bool:
    """The colleague directory (work details of every current employee) and the whole org
    chart: HR and payroll always; anyone else with a current employee record while HR Admin
    leaves the access level "Employees see the colleague directory" on (the default)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if sees_everyone(viewer):
        return True
    me = employee_for_user(viewer)
    return (me is not None and me.status != Employee.Status.TERMINATED
            and access_policy(viewer).colleague_directory)


def can_see_work_details(viewer, employee: Employee) -> bool:
    """Name, title, department, location, work email, manager and photo: whoever may see the
    record, every current colleague while the colleague directory is on, and (when it is off)
    the people on the viewer's own place on the org chart."""
    if relation(viewer, employee) is not Relation.NONE:
        return True
    if employee.status == Employee.Status.TERMINATED:
        return False
    if sees_colleagues(viewer):
        return True
    me = employee_for_user(viewer)
    if me is None:
        return False
    # What their own org chart shows: their chain, and the people reporting to it.
    chain = {me.pk, *(m.pk for m in manager_chain(me))}
    return employee.pk in chain or employee.manager_id in chain


def is_manager(viewer) -> bool:
    return bool(_report_ids_cached(viewer))


def viewer_report_ids(viewer) -> set[int]:
    """Everyone reporting to the viewer, directly or not: computed once per request (the menu,
    the gate and the page share it)."""
    return _report_ids_cached(viewer)


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


class NotOwnRecordAdminMixin:
    """For admin pages of pay, bank and tax rows: a row about yourself is read-only and cannot be
    deleted, and saving one (an add included) is refused with 403 - the rule the services apply,
    so the Django admin is no way round it. `employee_of(obj)` says whose row it is."""

    def employee_of(self, obj) -> Employee | None:
        if isinstance(obj, Employee):
            return obj
        return getattr(obj, "employee", None)

    def _own(self, request, obj) -> bool:
        employee = self.employee_of(obj) if obj is not None else None
        return employee is not None and is_self(request.user, employee)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._own(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if self._own(request, obj):
            raise PermissionDenied(_("Segregation of duties: you cannot change your own pay, "
                                     "bank or tax records."))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        if self._own(request, obj):
            raise PermissionDenied(_("Segregation of duties: you cannot delete your own pay, "
                                     "bank or tax records."))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        if any(self._own(request, obj) for obj in queryset):
            raise PermissionDenied(_("Segregation of duties: your own records are in the "
                                     "selection."))
        super().delete_queryset(request, queryset)
