"""Who may decide, record and see time off. Built on employees.access (the one gate): a manager
is whoever the employee reports to, directly or not; HR acts for anyone; nobody decides their own
request, whatever their role."""

from datetime import date

from django.utils import timezone

from accounts.roles import Role, has_role, is_hr
from employees.access import Relation, is_self, relation
from employees.models import Employee
from employees.selectors import employee_for_user
from timeoff.models import Category, Delegation, LeaveRequest


def delegating_managers(viewer, on: date | None = None) -> set[int]:
    """Managers who delegated their approvals to the viewer for `on` (default today)."""
    me = employee_for_user(viewer)
    if me is None:
        return set()
    day = on or timezone.localdate()
    cached = getattr(viewer, "_timeoff_delegations", None)
    if cached is None or cached[0] != day:
        ids = set(Delegation.objects.filter(delegate=me, first_day__lte=day, last_day__gte=day)
                  .values_list("manager_id", flat=True))
        cached = (day, ids)
        viewer._timeoff_delegations = cached
    return cached[1]


def is_approver_of(viewer, employee: Employee) -> bool:
    """HR, a manager above the employee, or the delegate of their direct manager."""
    if is_self(viewer, employee):
        return False
    rel = relation(viewer, employee)
    if rel in (Relation.HR, Relation.MANAGER):
        return True
    return employee.manager_id is not None and employee.manager_id in delegating_managers(viewer)


def can_decide(viewer, request: LeaveRequest) -> bool:
    """The approvers decide leave of every type, unpaid leave too (payroll then deducts it:
    payroll.services.leave refuses a finalised period); Payroll Admin also decides unpaid leave.
    Never the requester."""
    if is_self(viewer, request.employee):
        return False
    if request.leave_type.category == Category.UNPAID and has_role(viewer, Role.PAYROLL_ADMIN):
        return True
    return is_approver_of(viewer, request.employee)


def can_request_for(viewer, employee: Employee) -> bool:
    """Requests: the employee themself, or HR for anyone."""
    return is_self(viewer, employee) or is_hr(viewer)


def can_record_sickness(viewer, employee: Employee) -> bool:
    """HR or the employee's manager records sickness; the employee self-certifies (short)."""
    return is_self(viewer, employee) or is_approver_of(viewer, employee)


def can_cancel(viewer, request: LeaveRequest, today: date) -> bool:
    if is_self(viewer, request.employee):
        # Your own: pending any time, approved only before it starts (and never unpaid leave,
        # which payroll has already taken into account: HR cancels that).
        if request.status == LeaveRequest.Status.PENDING:
            return True
        return request.first_day > today and request.leave_type.category != Category.UNPAID
    return can_decide(viewer, request) or (
        is_hr(viewer) and request.leave_type.category != Category.UNPAID)
