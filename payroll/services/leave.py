"""Unpaid leave: recorded by HR or payroll, deducted from salaried pay by the calculation.

Every write locks the employee row first (so two requests for one person cannot both pass the
overlap check), then the pay runs that could pay those days, in pk order. A range that touches a
period already finalised for this employee is refused: finalised results never change, and a
change there would silently disagree with what was paid (corrections are separate runs).
Calculated or approved runs that paid the employee for those days go back to draft, so stale
results cannot be approved or finalised.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from employees.models import CompensationRecord, Employee
from payroll.models import PayRun, Payslip, UnpaidLeave
from payroll.services.runs import run_mark_inputs_changed

FIELDS = ("first_day", "last_day", "reason")
# Only these kinds pay salary for a period (off-cycle pays its own inputs; corrections exist
# only for finalised periods, which are refused anyway).
SALARY_KINDS = (PayRun.Kind.REGULAR, PayRun.Kind.FINAL_PAY)


def require_leave_editor(user) -> None:
    """The same people who may change pay setup: Payroll Admin and HR Admin."""
    if not has_role(user, Role.PAYROLL_ADMIN, Role.HR_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin or HR Admin may record unpaid leave."))


def _check_dates(first_day: date, last_day: date) -> None:
    if last_day < first_day:
        raise ValidationError({"last_day": _("The last day is before the first day.")})


def _check_no_overlap(employee: Employee, first_day: date, last_day: date,
                      exclude_pk: int | None) -> None:
    clash = UnpaidLeave.objects.filter(
        employee=employee, first_day__lte=last_day, last_day__gte=first_day
    ).exclude(pk=exclude_pk).order_by("first_day").first()
    if clash is not None:
        raise ValidationError(
            _("This overlaps unpaid leave already recorded from %(first)s to %(last)s.")
            % {"first": clash.first_day, "last": clash.last_day}, code="overlap")


def _lock_runs(employee: Employee, ranges: list[tuple[date, date]]) -> tuple[list[PayRun], set]:
    """Lock every salary run whose period meets one of `ranges` and that pays (or could pay) this
    employee; returns them with the ids of those that already hold a payslip for them."""
    overlaps = Q()
    for first, last in ranges:
        overlaps |= Q(period__start_date__lte=last, period__end_date__gte=first)
    schedules = CompensationRecord.objects.filter(employee=employee).values("pay_schedule_id")
    candidates = PayRun.objects.filter(overlaps, kind__in=SALARY_KINDS).filter(
        Q(schedule_id__in=schedules) | Q(payslips__employee=employee)).values("pk")
    # The filter above joins; locking by pk keeps FOR UPDATE on pay run rows only.
    runs = list(PayRun.objects.select_for_update().filter(pk__in=candidates).order_by("pk"))
    paid = set(Payslip.objects.filter(run__in=[r.pk for r in runs], employee=employee)
               .values_list("run_id", flat=True))
    return runs, paid


def _check_runs(runs: list[PayRun], paid: set) -> None:
    for run in runs:
        if run.is_frozen and run.pk in paid:
            raise ValidationError(
                _("Pay for %(start)s to %(end)s is already finalised; unpaid leave there cannot "
                  "change. Use a correction run instead.")
                % {"start": run.period.start_date, "end": run.period.end_date},
                code="finalised")
        if run.status == PayRun.Status.CALCULATING:
            raise ValidationError(
                _("A pay run for %(start)s to %(end)s is being calculated; try again when it "
                  "has finished.")
                % {"start": run.period.start_date, "end": run.period.end_date},
                code="calculating")


def _guard(employee: Employee, ranges: list[tuple[date, date]]) -> list[PayRun]:
    """Lock and check; the runs whose results the change makes stale."""
    runs, paid = _lock_runs(employee, ranges)
    _check_runs(runs, paid)
    return [r for r in runs if r.pk in paid]


def _mark_stale(runs: list[PayRun]) -> None:
    for run in runs:
        run_mark_inputs_changed(run)


def _lock_employee(employee: Employee) -> Employee:
    # Serialises every unpaid-leave write for one person: the overlap check then sees all rows.
    return Employee.objects.select_for_update().only("pk").get(pk=employee.pk)


@transaction.atomic
def unpaid_leave_validate(*, employee: Employee, first_day: date, last_day: date,
                          leave: UnpaidLeave | None = None) -> None:
    """The create/update checks without writing, for forms that show errors before saving (the
    Django admin). The write services check again under their locks."""
    _check_dates(first_day, last_day)
    _check_no_overlap(employee, first_day, last_day, leave.pk if leave else None)
    ranges = [(first_day, last_day)]
    if leave is not None and leave.pk is not None:
        stored = UnpaidLeave.objects.get(pk=leave.pk)
        ranges.append((stored.first_day, stored.last_day))
    _check_runs(*_lock_runs(employee, ranges))


@transaction.atomic
def unpaid_leave_create(*, employee: Employee, first_day: date, last_day: date,
                        reason: str = "", acting_user, approved_request: bool = False
                        ) -> UnpaidLeave:
    """``approved_request``: the leave comes from a time-off request its approver was allowed
    to decide (timeoff.access.can_decide: the manager, their delegate, HR, Payroll Admin), so
    the payroll editor role is not asked for; every payroll invariant still holds (nobody for
    themself, no finalised or calculating period)."""
    if not approved_request:
        require_leave_editor(acting_user)
    require_not_self(acting_user, employee, _("unpaid leave"))
    _check_dates(first_day, last_day)
    employee = _lock_employee(employee)
    _check_no_overlap(employee, first_day, last_day, None)
    stale = _guard(employee, [(first_day, last_day)])
    leave = UnpaidLeave.objects.create(employee=employee, first_day=first_day,
                                       last_day=last_day, reason=reason.strip(),
                                       created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=leave, employee_id=employee.pk,
                 changes=diff({}, snapshot(leave, FIELDS)), note="unpaid leave")
    _mark_stale(stale)
    return leave


@transaction.atomic
def unpaid_leave_update(*, leave: UnpaidLeave, first_day: date, last_day: date,
                        reason: str = "", acting_user) -> UnpaidLeave:
    require_leave_editor(acting_user)
    require_not_self(acting_user, leave.employee, _("unpaid leave"))
    _check_dates(first_day, last_day)
    _lock_employee(leave.employee)
    leave = UnpaidLeave.objects.select_related("employee").get(pk=leave.pk)
    before = snapshot(leave, FIELDS)
    reason = reason.strip()
    if (leave.first_day, leave.last_day, leave.reason) == (first_day, last_day, reason):
        return leave
    _check_no_overlap(leave.employee, first_day, last_day, leave.pk)
    # Both the days given back and the days taken away must be in open periods.
    stale = _guard(leave.employee, [(leave.first_day, leave.last_day), (first_day, last_day)])
    leave.first_day, leave.last_day, leave.reason = first_day, last_day, reason
    leave.save(update_fields=list(FIELDS))
    audit_record(actor=acting_user, action="update", obj=leave, employee_id=leave.employee_id,
                 changes=diff(before, snapshot(leave, FIELDS)), note="unpaid leave")
    _mark_stale(stale)
    return leave


@transaction.atomic
def unpaid_leave_delete(*, leave: UnpaidLeave, acting_user, approved_request: bool = False
                        ) -> None:
    """``approved_request``: as for unpaid_leave_create (a decider cancels the request)."""
    if not approved_request:
        require_leave_editor(acting_user)
    require_not_self(acting_user, leave.employee, _("unpaid leave"))
    _lock_employee(leave.employee)
    leave = UnpaidLeave.objects.filter(pk=leave.pk).select_related("employee").first()
    if leave is None:
        return  # already deleted (a double submit): nothing to do
    stale = _guard(leave.employee, [(leave.first_day, leave.last_day)])
    audit_record(actor=acting_user, action="delete", obj=leave, employee_id=leave.employee_id,
                 changes=diff(snapshot(leave, FIELDS), {}), note="unpaid leave")
    leave.delete()
    _mark_stale(stale)
