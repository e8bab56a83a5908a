"""HR reports: balances and liability by department, sickness absence rate and the Bradford
factor, upcoming absences. Each is a fixed number of queries whatever the headcount.

- Day rate (liability): annual salary / 52 / the person's working days a week (their pattern),
  or hourly rate x their average hours a day; the liability is untaken days x day rate, rounded
  half up to the cent once per person (a company reporting rule, not a statutory one).
- Absence rate: working days lost to sickness / working days available, in the period.
- Bradford factor: S x S x D over the period (S = spells of sickness, D = days lost), the
  usual 52-week window by default.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from employees.models import CompensationRecord, Employee
from hrops.calendars import public_holidays
from timeoff.entitlement import days_between
from timeoff.models import Category, LeaveRequest, LeaveType, LedgerEntry, Unit
from timeoff.services.patterns import patterns_for

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass
class DepartmentLine:
    name: str
    headcount: int = 0
    balance: Decimal = ZERO
    liability: dict[str, Decimal] = field(default_factory=dict)  # per currency


@dataclass(frozen=True, slots=True)
class Person:
    """What the reports need of a person: plain values, not 20,000 model instances (at 20,000
    people building the instances was most of the page's time)."""

    pk: int
    fte: Decimal
    department: str
    work_country: str


def _current():
    return Employee.objects.exclude(status=Employee.Status.TERMINATED)


def _people() -> list[Person]:
    return [Person(pk, fte, department or "—", country) for pk, fte, department, country in
            _current().values_list("pk", "fte", "department__name", "work_country")
            .order_by()]


def _pay(employee_ids: list[int] | None, on: date) -> dict[int, tuple]:
    """Pay in force on ``on`` of these people (None: everyone current, as a subquery rather
    than 20,000 bound ids)."""
    found: dict[int, tuple] = {}
    who = {"employee__in": _current()} if employee_ids is None else {
        "employee_id__in": employee_ids}
    for row in CompensationRecord.objects.filter(**who, effective_date__lte=on).order_by(
            "employee_id", "effective_date").values_list(
            "employee_id", "basis", "annual_salary", "hourly_rate", "currency"):
        found[row[0]] = row[1:]
    return found


def day_rate(pay: tuple, pattern, unit: str) -> Decimal | None:
    basis, salary, hourly, _currency = pay
    days = pattern.days_per_week
    if not days:
        return None
    if basis == CompensationRecord.Basis.SALARY and salary:
        per_day = salary / 52 / days
        return per_day / (pattern.hours_per_week / days) if unit == Unit.HOURS else per_day
    if hourly:
        return hourly if unit == Unit.HOURS else hourly * pattern.hours_per_week / days
    return None


def balances_by_department(leave_type: LeaveType, on: date, *, with_pay: bool
                           ) -> list[DepartmentLine]:
    people = _people()
    totals = dict(LedgerEntry.objects.filter(
        leave_type=leave_type, employee__in=_current(), effective_date__lte=on,
    ).values("employee_id").annotate(t=Sum("amount")).order_by().values_list("employee_id", "t"))
    pay = _pay(None, on) if with_pay else {}
    patterns = patterns_for(people, among=_current()) if with_pay else {}
    lines: dict[str, DepartmentLine] = {}
    for person in people:
        name = person.department
        line = lines.setdefault(name, DepartmentLine(name))
        line.headcount += 1
        left = totals.get(person.pk, ZERO)
        line.balance += left
        if with_pay and left > 0 and person.pk in pay:
            rate = day_rate(pay[person.pk], patterns[person.pk](on), leave_type.unit)
            if rate is not None:
                currency = pay[person.pk][3]
                owed = (left * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                line.liability[currency] = line.liability.get(currency, ZERO) + owed
    return sorted(lines.values(), key=lambda line: line.name)


@dataclass
class SicknessLine:
    employee: Employee
    spells: int
    days: Decimal

    @property
    def bradford(self) -> Decimal:
        return self.spells * self.spells * self.days


def _sick_rows(first: date, last: date):
    return LeaveRequest.objects.filter(
        status=LeaveRequest.Status.APPROVED, leave_type__category=Category.SICK,
        first_day__lte=last, last_day__gte=first).select_related("employee")


def _working_days(person, pattern_on, first: date, last: date) -> Decimal:
    holidays = public_holidays(person.work_country, range(first.year, last.year + 1))
    return Decimal(sum(1 for d in days_between(first, last)
                       if pattern_on(d).works(d) and d not in holidays))


def bradford(first: date, last: date, limit: int = 50) -> list[SicknessLine]:
    """The highest Bradford factors in the period (days counted as working days lost, clipped
    to the period)."""
    rows = list(_sick_rows(first, last))
    patterns = patterns_for({r.employee for r in rows})
    found: dict[int, SicknessLine] = {}
    for row in rows:
        days = _working_days(row.employee, patterns[row.employee_id],
                             max(row.first_day, first), min(row.last_day, last))
        line = found.setdefault(row.employee_id, SicknessLine(row.employee, 0, ZERO))
        line.spells += 1
        line.days += days
    return sorted(found.values(), key=lambda line: (-line.bradford, line.employee.pk))[:limit]


def absence_rate(first: date, last: date) -> dict[str, Decimal]:
    """Sickness absence rate per department, in percent (half up to 0.01)."""
    people = _people()
    lost: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in bradford(first, last, limit=len(people) + 1):
        lost[line.employee.pk] += line.days
    patterns = patterns_for(people, among=_current())
    available: dict[str, Decimal] = defaultdict(lambda: ZERO)
    days_lost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    # Available: the working days of the pattern in force at the start, less public holidays;
    # counted once per (pattern, country), not once per person.
    counted: dict[tuple, Decimal] = {}
    for person in people:
        name = person.department
        pattern = patterns[person.pk](first)
        key = (pattern.hours, person.work_country)
        if key not in counted:
            counted[key] = _working_days(person, lambda _d, p=pattern: p, first, last)
        available[name] += counted[key]
        days_lost[name] += lost.get(person.pk, ZERO)
    return {name: (days_lost[name] * 100 / available[name]).quantize(
        CENT, rounding=ROUND_HALF_UP) if available[name] else ZERO
        for name in sorted(available)}


def upcoming(today: date, days: int = 30, limit: int = 500) -> list[LeaveRequest]:
    return list(LeaveRequest.objects.filter(
        status__in=(LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED),
        first_day__lte=today + timedelta(days=days), last_day__gte=today,
    ).select_related("employee", "leave_type").order_by("first_day", "id")[:limit])
