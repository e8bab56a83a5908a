"""Demo time off: a UK statutory holiday policy (GB), US PTO in hours (US), this year's
entitlements posted by the accrual job, and a few requests and sicknesses around today.
Idempotent: policies by name, the job by its unique periods, requests only when the demo
employee has none."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DemoContext
from employees.models import Employee
from timeoff.models import Category, LeavePolicy, LeaveRequest, LeaveType, Method
from timeoff.services.jobs import accrual_post
from timeoff.services.requests import Dates, request_approve, request_create
from timeoff.services.sickness import sickness_record
from timeoff.standard import standard_types_ensure


def _policies() -> None:
    standard_types_ensure(LeaveType)
    holiday = LeaveType.objects.get(name="Holiday")
    pto = LeaveType.objects.get(name="PTO")
    LeavePolicy.objects.get_or_create(name="UK statutory holiday", defaults={
        "leave_type": holiday, "method": Method.UK_STATUTORY, "countries": ["GB"],
        "priority": 10, "carry_over_limit": Decimal("5"), "carry_over_expiry_months": 3,
        "tenure_steps": []})
    LeavePolicy.objects.get_or_create(name="US PTO", defaults={
        "leave_type": pto, "method": Method.FRONT_LOADED, "annual_amount": Decimal("120"),
        "countries": ["US"], "priority": 10, "payout_on_termination": True,
        "allow_negative": True})


def _weekday(day, offset: int):
    day = day + timedelta(days=offset)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _requests(ctx: DemoContext, today) -> None:
    employee = Employee.objects.filter(user=ctx.users.get("employee@demo.hrops.test")).first()
    manager_user = ctx.users.get("manager@demo.hrops.test")
    if employee is None or LeaveRequest.objects.filter(employee=employee).exists():
        return
    holiday = LeaveType.objects.filter(category=Category.HOLIDAY, unit="days").first()
    first = _weekday(today, 14)
    approved = request_create(employee=employee, leave_type=holiday,
                              dates=Dates(first, _weekday(first, 1)), acting_user=employee.user,
                              note="Family visit")
    if manager_user is not None and employee.manager and employee.manager.user == manager_user:
        request_approve(request=approved, acting_user=manager_user)
    later = _weekday(today, 40)
    request_create(employee=employee, leave_type=holiday, dates=Dates(later, later),
                   acting_user=employee.user, note="Moving house")
    sickness_record(employee=employee, first_day=_weekday(today, -30),
                    last_day=_weekday(today, -29), acting_user=employee.user)


def seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    _policies()
    ids = list(Employee.objects.exclude(status=Employee.Status.TERMINATED)
               .values_list("pk", flat=True))
    accrual_post(employee_ids=ids, on=today)
    _requests(ctx, today)
