"""Leave requests: create, approve, decline, cancel, change.

Every write locks the employee row first (so two requests for one person cannot both pass the
overlap and balance checks), then the request. Approving posts a "taken" entry; cancelling an
approved request posts the reversing entry, so the ledger is only ever appended to. An approved
unpaid-leave request is also recorded as payroll's UnpaidLeave (payroll.services.leave), the one
model the pay calculation reads for the deduction, and linked back here.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.models import Employee
from hrops.calendars import public_holidays
from payroll.services.leave import unpaid_leave_create, unpaid_leave_delete
from timeoff import access
from timeoff.entitlement import request_cost
from timeoff.models import Category, EntryKind, LeaveRequest, LeaveType, Unit
from timeoff.services import notices
from timeoff.services.ledger import balance, entry_post, pending_cost
from timeoff.services.patterns import patterns_for
from timeoff.services.policies import policy_for
from webhooks.events import emit
from webhooks.models import Event
from webhooks.serializers import leave_resource

FIELDS = ("status", "first_day", "last_day", "half_day_start", "half_day_end", "hours",
          "amount", "decision_reason")
MAX_DAYS = 366


@dataclass(frozen=True)
class Dates:
    first_day: date
    last_day: date
    half_day_start: bool = False
    half_day_end: bool = False
    hours: Decimal | None = None


def cost_of(employee: Employee, leave_type: LeaveType, dates: Dates) -> Decimal:
    """Working days (or hours) the dates take: the person's pattern, their work country's
    public holidays, half days."""
    _check_dates(leave_type, dates)
    pattern_on = patterns_for([employee])[employee.pk]
    years = range(dates.first_day.year, dates.last_day.year + 1)
    return request_cost(first=dates.first_day, last=dates.last_day, pattern_on=pattern_on,
                        holidays=public_holidays(employee.work_country, years),
                        hours_unit=leave_type.unit == Unit.HOURS,
                        half_day_start=dates.half_day_start, half_day_end=dates.half_day_end,
                        hours=dates.hours)


def _check_dates(leave_type: LeaveType, dates: Dates) -> None:
    if dates.last_day < dates.first_day:
        raise ValidationError({"last_day": _("The last day is before the first day.")})
    if (dates.last_day - dates.first_day).days >= MAX_DAYS:
        raise ValidationError({"last_day": _("A request covers at most a year.")})
    if dates.hours is not None:
        if leave_type.unit != Unit.HOURS:
            raise ValidationError({"hours": _("This leave type is counted in days.")})
        if dates.first_day != dates.last_day:
            raise ValidationError({"hours": _("Hours are for a one-day request.")})
        if not Decimal("0") < dates.hours <= Decimal("24"):
            raise ValidationError({"hours": _("Hours must be more than 0 and at most 24.")})


def _check_overlap(employee: Employee, dates: Dates, exclude: int | None) -> None:
    clash = LeaveRequest.objects.filter(
        employee=employee, status__in=(LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED),
        first_day__lte=dates.last_day, last_day__gte=dates.first_day,
    ).exclude(pk=exclude).order_by("first_day").first()
    if clash is not None:
        raise ValidationError(
            _("This overlaps %(type)s from %(first)s to %(last)s.")
            % {"type": clash.leave_type, "first": clash.first_day, "last": clash.last_day},
            code="overlap")


def _check_balance(employee: Employee, leave_type: LeaveType, amount: Decimal, last_day: date,
                   exclude: LeaveRequest | None = None) -> None:
    if not leave_type.tracks_balance:
        return
    policy = policy_for(employee, leave_type)
    if policy is not None and policy.allow_negative:
        return
    after = balance_after(employee, leave_type, last_day, amount, exclude=exclude)
    if after < 0:
        raise ValidationError(
            _("Not enough %(type)s: the balance on %(day)s would be %(after)s.")
            % {"type": leave_type, "day": last_day, "after": after}, code="balance")


def _check_fmla(employee: Employee, leave_type: LeaveType, dates: Dates,
                exclude: int | None) -> None:
    """FMLA: at most 12 workweeks in the 12 months before the leave ends (29 CFR 825.200(b),
    the rolling method measured backward). Counted in calendar days / 7 of leave taken."""
    limit = leave_type.max_weeks_per_12_months
    if not limit:
        return
    window_start = dates.last_day - timedelta(days=365)
    used = 0
    for other in LeaveRequest.objects.filter(
            employee=employee, leave_type=leave_type, last_day__gte=window_start,
            status__in=(LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED),
    ).exclude(pk=exclude):
        used += (other.last_day - max(other.first_day, window_start)).days + 1
    this = (dates.last_day - max(dates.first_day, window_start)).days + 1
    if used + this > limit * 7:
        raise ValidationError(
            _("%(type)s is limited to %(weeks)s weeks in 12 months; %(used)s days are already "
              "booked.") % {"type": leave_type, "weeks": limit, "used": used}, code="limit")


def balance_after(employee: Employee, leave_type: LeaveType, on: date, amount: Decimal,
                  exclude: LeaveRequest | None = None) -> Decimal:
    """"Balance on date X if I book this": the entries up to X, less what waits for a decision,
    less this request."""
    return (balance(employee, leave_type, on) - pending_cost(employee, leave_type, on, exclude)
            - amount)


def _lock(employee: Employee) -> Employee:
    return Employee.objects.select_for_update().get(pk=employee.pk)


def _audit(request: LeaveRequest, acting_user, action: str, before: dict) -> None:
    audit_record(actor=acting_user, action=action, obj=request, employee_id=request.employee_id,
                 changes=diff(before, snapshot(request, FIELDS)), note="leave request")


def _validate_new(employee: Employee, leave_type: LeaveType, dates: Dates,
                  exclude: LeaveRequest | None = None) -> Decimal:
    if not leave_type.is_active:
        raise ValidationError({"leave_type": _("This leave type is no longer offered.")})
    amount = cost_of(employee, leave_type, dates)
    if amount <= 0 and leave_type.tracks_balance:
        raise ValidationError(_("These dates have no working time in them (days off and public "
                                "holidays cost nothing)."), code="empty")
    _check_overlap(employee, dates, exclude.pk if exclude else None)
    _check_fmla(employee, leave_type, dates, exclude.pk if exclude else None)
    _check_balance(employee, leave_type, amount, dates.last_day, exclude)
    return amount


@transaction.atomic
def request_create(*, employee: Employee, leave_type: LeaveType, dates: Dates, note: str = "",
                   acting_user, expected_week: date | None = None) -> LeaveRequest:
    if not access.can_request_for(acting_user, employee):
        raise PermissionDenied(_("You may request time off only for yourself."))
    employee = _lock(employee)
    amount = _validate_new(employee, leave_type, dates)
    request = LeaveRequest.objects.create(
        employee=employee, leave_type=leave_type, first_day=dates.first_day,
        last_day=dates.last_day, half_day_start=dates.half_day_start,
        half_day_end=dates.half_day_end, hours=dates.hours, amount=amount, note=note.strip(),
        requested_by=acting_user, expected_week=expected_week)
    _audit(request, acting_user, "create", {})
    notices.enqueue(request, "requested", acting_user)
    return request


def _locked_request(request: LeaveRequest) -> LeaveRequest:
    _lock(request.employee)
    return LeaveRequest.objects.select_for_update().select_related(
        "employee", "leave_type").get(pk=request.pk)


def _move(request: LeaveRequest, to: str, acting_user, reason: str = "") -> None:
    if to not in LeaveRequest.ALLOWED[request.status]:
        raise ValidationError(_("This request is %(status)s and cannot be %(to)s.")
                              % {"status": request.get_status_display().lower(),
                                 "to": LeaveRequest.Status(to).label.lower()}, code="state")
    request.status = to
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()[:255]
    request.version += 1
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason",
                                "version"])


def _post_taken(request: LeaveRequest, sign: int, acting_user) -> None:
    if not request.leave_type.tracks_balance:
        return
    entry_post(employee=request.employee, leave_type=request.leave_type, kind=EntryKind.TAKEN,
               amount=-request.amount * sign, effective_date=request.first_day,
               acting_user=acting_user, request=request,
               reason=_("Leave taken") if sign > 0 else _("Cancelled: re-credited"))


def _approve_effects(request: LeaveRequest, acting_user) -> None:
    _post_taken(request, +1, acting_user)
    if request.leave_type.category == Category.UNPAID:
        leave = unpaid_leave_create(
            employee=request.employee, first_day=request.first_day, last_day=request.last_day,
            reason=_("Time off request #%(pk)s") % {"pk": request.pk}, acting_user=acting_user,
            approved_request=True)
        request.unpaid_leave = leave
        request.save(update_fields=["unpaid_leave"])


@transaction.atomic
def request_approve(*, request: LeaveRequest, acting_user, reason: str = "") -> LeaveRequest:
    request = _locked_request(request)
    if request.status == LeaveRequest.Status.APPROVED:
        return request  # a double click
    if not access.can_decide(acting_user, request):
        raise PermissionDenied(_("You may not decide this request."))
    before = snapshot(request, FIELDS)
    # The balance may have changed since the request was made (another approval, an expiry).
    _check_balance(request.employee, request.leave_type, request.amount, request.last_day,
                   exclude=request)
    _move(request, LeaveRequest.Status.APPROVED, acting_user, reason)
    _approve_effects(request, acting_user)
    _audit(request, acting_user, "approve", before)
    notices.enqueue(request, "approved", acting_user)
    emit(Event.LEAVE_APPROVED, leave_resource(request))
    return request


@transaction.atomic
def request_decline(*, request: LeaveRequest, acting_user, reason: str) -> LeaveRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request = _locked_request(request)
    if request.status == LeaveRequest.Status.DECLINED:
        return request
    if not access.can_decide(acting_user, request):
        raise PermissionDenied(_("You may not decide this request."))
    before = snapshot(request, FIELDS)
    _move(request, LeaveRequest.Status.DECLINED, acting_user, reason)
    _audit(request, acting_user, "decline", before)
    notices.enqueue(request, "declined", acting_user)
    return request


def _cancel_effects(request: LeaveRequest, acting_user) -> None:
    _post_taken(request, -1, acting_user)
    if request.unpaid_leave_id is not None:
        leave = request.unpaid_leave
        request.unpaid_leave = None
        request.save(update_fields=["unpaid_leave"])
        unpaid_leave_delete(leave=leave, acting_user=acting_user, approved_request=True)


@transaction.atomic
def request_cancel(*, request: LeaveRequest, acting_user, reason: str = "",
                   today: date | None = None) -> LeaveRequest:
    request = _locked_request(request)
    if request.status == LeaveRequest.Status.CANCELLED:
        return request
    if not access.can_cancel(acting_user, request, today or timezone.localdate()):
        raise PermissionDenied(_("You may not cancel this request."))
    before = snapshot(request, FIELDS)
    was_approved = request.status == LeaveRequest.Status.APPROVED
    _move(request, LeaveRequest.Status.CANCELLED, acting_user, reason)
    if was_approved:
        _cancel_effects(request, acting_user)
    _audit(request, acting_user, "cancel", before)
    notices.enqueue(request, "cancelled", acting_user)
    return request


@transaction.atomic
def request_change(*, request: LeaveRequest, dates: Dates, acting_user, note: str = "",
                   today: date | None = None) -> LeaveRequest:
    """New dates for a request: the old one is cancelled (approved leave re-credited) and a new
    one waits for approval, so the ledger shows both steps."""
    old = _locked_request(request)
    if not old.is_open:
        raise ValidationError(_("Only a pending or approved request can be changed."))
    if not access.can_request_for(acting_user, old.employee):
        raise PermissionDenied(_("You may change only your own requests."))
    request_cancel(request=old, acting_user=acting_user, reason=_("Changed to new dates"),
                   today=today)
    return request_create(employee=old.employee, leave_type=old.leave_type, dates=dates,
                          note=note or old.note, acting_user=acting_user,
                          expected_week=old.expected_week)
