"""HR reports: balances and liability by department, sickness absence rate and the Bradford
factor, upcoming absences. Each is a fixed number of queries whatever the headcount, and the
work over everyone is done by the database (GROUP BY), not by a Python loop over 20,000 people.

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

from django.db import DataError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum

from employees.models import CompensationRecord, Department, Employee
from hrops.calendars import public_holidays
from timeoff.entitlement import Pattern, days_between
from timeoff.models import Category, LeaveRequest, LeaveType, LedgerEntry, Unit, WorkingPattern
from timeoff.services.patterns import FULL_TIME_HOURS, patterns_for

CENT = Decimal("0.01")
ZERO = Decimal("0")
NO_DEPARTMENT = "—"
# The default week's working days: Monday to Friday (the hours do not matter here).
WEEKDAYS = Pattern.standard(FULL_TIME_HOURS)
UPCOMING_ON_PAGE = 100  # the page lists this many; the export has them all


@dataclass
class DepartmentLine:
    name: str
    headcount: int = 0
    balance: Decimal = ZERO
    liability: dict[str, Decimal] = field(default_factory=dict)  # per currency


def _current():
    return Employee.objects.exclude(status=Employee.Status.TERMINATED)


def _has_pattern(on: date) -> Exists:
    """Whether a working pattern of the person's is in force on `on` (else: the default week)."""
    return Exists(WorkingPattern.objects.filter(employee=OuterRef("pk"), effective_from__lte=on))


def day_rate(pay: tuple, pattern: Pattern, unit: str) -> Decimal | None:
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


def owed(units: Decimal, pay: tuple, pattern: Pattern, unit: str) -> Decimal | None:
    """One person's liability: untaken units x day (or hour) rate, half up to the cent. One
    division, last: a day rate such as 1.00 / 260 = 0.00384615... rounded first and multiplied
    by 1.3 would land a hair under the exact half cent (0.005) and round down."""
    basis, salary, hourly, _currency = pay
    days, hours = pattern.days_per_week, pattern.hours_per_week
    if not days:
        return None
    if basis == CompensationRecord.Basis.SALARY and salary:
        value = units * salary / (52 * (hours if unit == Unit.HOURS else days))
    elif hourly:
        value = units * hourly if unit == Unit.HOURS else units * hourly * hours / days
    else:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def balances_by_department(leave_type: LeaveType, on: date, *, with_pay: bool
                           ) -> list[DepartmentLine]:
    """Headcount, untaken balance and (with pay) liability per department: three GROUP BY
    queries, plus two small ones for the people who have a working pattern of their own."""
    lines: dict[str, DepartmentLine] = {}

    def line(name: str | None) -> DepartmentLine:
        name = name or NO_DEPARTMENT
        return lines.setdefault(name, DepartmentLine(name))

    for name, count in _current().values("department__name").annotate(
            n=Count("pk")).order_by().values_list("department__name", "n"):
        line(name).headcount += count
    for name, total in LedgerEntry.objects.filter(
            leave_type=leave_type, effective_date__lte=on).exclude(
            employee__status=Employee.Status.TERMINATED).values(
            "employee__department__name").annotate(t=Sum("amount")).order_by().values_list(
            "employee__department__name", "t"):
        line(name).balance += total or ZERO
    if with_pay:
        try:
            # A savepoint: after an overflow, a caller's transaction is still usable.
            with transaction.atomic():
                found = _liability_default_week(leave_type, on)
            found += _liability_person_by_person(leave_type, on, _current().filter(
                _has_pattern(on)))
        except DataError:
            # Amounts past what 64-bit integers hold (a salary in the billions): everyone
            # person by person, slower but right, rather than an error page.
            found = _liability_person_by_person(leave_type, on, _current())
        for name, currency, amount in found:
            target = line(name).liability
            target[currency] = target.get(currency, ZERO) + amount
    return sorted(lines.values(), key=lambda x: x.name)


# The liability of everyone on the default week (Monday to Friday, 37.5 h x FTE: no working
# pattern in force), in one query. Each person's figure is rounded half up to the cent in SQL,
# in integers so PostgreSQL and SQLite agree to the cent: units (3 places) as thousandths U,
# salary as cents S, hourly rate (4 places) as ten-thousandths H, FTE (3 places) as thousandths
# F; cents owed = N / D rounded half up = (2N + D) div 2D. Derivations (5 days, 37.5 x FTE
# hours a week; as day_rate above):
#   days,  salary: units x salary / 52 / 5               -> N = U*S,         D = 260000
#   days,  hourly: units x hourly x 37.5 x FTE / 5       -> N = U*H*75*F,    D = 10^9
#   hours, salary: units x salary / 52 / (37.5 x FTE)    -> N = U*S,         D = 1950*F
#   hours, hourly: units x hourly                        -> N = U*H,         D = 100000
# (test_reports checks the result against owed() for each case, a half cent included.)
_N_D = {
    Unit.DAYS: ("u.units_m * CAST(ROUND(c.annual_salary * 100) AS BIGINT)", "260000",
                "u.units_m * CAST(ROUND(c.hourly_rate * 10000) AS BIGINT) * 75"
                " * CAST(ROUND(p.fte * 1000) AS BIGINT)", "1000000000"),
    Unit.HOURS: ("u.units_m * CAST(ROUND(c.annual_salary * 100) AS BIGINT)",
                 "1950 * CAST(ROUND(p.fte * 1000) AS BIGINT)",
                 "u.units_m * CAST(ROUND(c.hourly_rate * 10000) AS BIGINT)", "100000"),
}
# The pay in force on the day is the record with no later one on or before it (one a day per
# person: comprecord_one_per_date), written as an anti-join: the planner hashes it, where a
# MAX() sub-select was estimated at a few rows and run as 20,000 nested loops (3x slower).
_LIABILITY_SQL = """
SELECT per_person.department, per_person.currency, SUM((2 * n + d) / (2 * d))
FROM (
  SELECT dep.name AS department, c.currency AS currency,
         CASE WHEN c.basis = 'salary' THEN {sal_n} ELSE {hour_n} END AS n,
         CASE WHEN c.basis = 'salary' THEN {sal_d} ELSE {hour_d} END AS d
  FROM (SELECT l.employee_id AS employee_id,
               CAST(ROUND(SUM(l.amount) * 1000) AS BIGINT) AS units_m
        FROM {ledger} l
        WHERE l.leave_type_id = %s AND l.effective_date <= %s
        GROUP BY l.employee_id HAVING SUM(l.amount) > 0) u
  JOIN {employee} p ON p.id = u.employee_id
  JOIN {pay} c ON c.employee_id = p.id AND c.effective_date <= %s
  LEFT JOIN {department} dep ON dep.id = p.department_id
  WHERE p.status <> 'terminated' AND p.fte > 0
    AND NOT EXISTS (SELECT 1 FROM {pay} later
                    WHERE later.employee_id = c.employee_id
                      AND later.effective_date > c.effective_date AND later.effective_date <= %s)
    AND NOT EXISTS (SELECT 1 FROM {pattern} w
                    WHERE w.employee_id = p.id AND w.effective_from <= %s)
    AND ((c.basis = 'salary' AND c.annual_salary > 0)
         OR (c.basis = 'hourly' AND c.hourly_rate > 0))
) per_person
GROUP BY per_person.department, per_person.currency
"""


def _liability_default_week(leave_type: LeaveType, on: date) -> list[tuple[str, str, Decimal]]:
    """(department, currency, liability) of the people on the default week."""
    sal_n, sal_d, hour_n, hour_d = _N_D[leave_type.unit]
    sql = _LIABILITY_SQL.format(
        sal_n=sal_n, sal_d=sal_d, hour_n=hour_n, hour_d=hour_d,
        ledger=LedgerEntry._meta.db_table, employee=Employee._meta.db_table,
        pattern=WorkingPattern._meta.db_table, pay=CompensationRecord._meta.db_table,
        department=Department._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [leave_type.pk, on, on, on, on])
        return [(name, currency, Decimal(int(cents)) / 100)
                for name, currency, cents in cursor.fetchall()]


def _pay(employee_ids: list[int], on: date) -> dict[int, tuple]:
    """Pay in force on ``on`` of these people: (basis, salary, hourly rate, currency)."""
    found: dict[int, tuple] = {}
    for row in CompensationRecord.objects.filter(
            employee_id__in=employee_ids, effective_date__lte=on).order_by(
            "employee_id", "effective_date").values_list(
            "employee_id", "basis", "annual_salary", "hourly_rate", "currency"):
        found[row[0]] = row[1:]
    return found


def _liability_person_by_person(leave_type: LeaveType, on: date, who
                                ) -> list[tuple[str, str, Decimal]]:
    """The same, one person at a time, for the (few) people with a working pattern of their
    own (their pattern decides the days and hours a week)."""
    people = list(who.filter(fte__gt=0).select_related(
        "department").only("pk", "fte", "department__name"))
    if not people:
        return []
    ids = [p.pk for p in people]
    units = dict(LedgerEntry.objects.filter(
        leave_type=leave_type, employee_id__in=ids, effective_date__lte=on,
    ).values("employee_id").annotate(t=Sum("amount")).order_by().values_list("employee_id", "t"))
    pay = _pay(ids, on)
    patterns = patterns_for(people)
    found = []
    for person in people:
        left = units.get(person.pk) or ZERO
        if left <= 0 or person.pk not in pay:
            continue
        amount = owed(left, pay[person.pk], patterns[person.pk](on), leave_type.unit)
        if amount is not None:
            name = person.department.name if person.department_id else None
            found.append((name, pay[person.pk][3], amount))
    return found


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
        first_day__lte=last, last_day__gte=first).select_related("employee__department")


def _working_days(country: str, pattern_on, first: date, last: date) -> Decimal:
    holidays = public_holidays(country, range(first.year, last.year + 1))
    return Decimal(sum(1 for d in days_between(first, last)
                       if pattern_on(d).works(d) and d not in holidays))


def _sickness(first: date, last: date) -> dict[int, SicknessLine]:
    """Per person sick in the period: spells and working days lost, clipped to the period.
    Two queries (the sick rows, their patterns); the loop is over sickness, not over people."""
    rows = list(_sick_rows(first, last))
    patterns = patterns_for({r.employee for r in rows})
    found: dict[int, SicknessLine] = {}
    for row in rows:
        days = _working_days(row.employee.work_country, patterns[row.employee_id],
                             max(row.first_day, first), min(row.last_day, last))
        line = found.setdefault(row.employee_id, SicknessLine(row.employee, 0, ZERO))
        line.spells += 1
        line.days += days
    return found


def bradford(first: date, last: date, limit: int | None = 50) -> list[SicknessLine]:
    """The highest Bradford factors in the period (days counted as working days lost, clipped
    to the period); ``limit=None`` for everyone (the export)."""
    lines = sorted(_sickness(first, last).values(),
                   key=lambda line: (-line.bradford, line.employee.pk))
    return lines if limit is None else lines[:limit]


def _available(first: date, last: date) -> dict[str, Decimal]:
    """Working days available per department. The default week (Monday to Friday) is counted
    once per country and multiplied by a GROUP BY count of its people; only the people with a
    pattern of their own are counted one by one."""
    available: dict[str, Decimal] = defaultdict(lambda: ZERO)
    counted: dict[tuple, Decimal] = {}

    def days(key: tuple, country: str, pattern_on) -> Decimal:
        if key not in counted:
            counted[key] = _working_days(country, pattern_on, first, last)
        return counted[key]

    current = _current().filter(fte__gt=0)
    for name, country, count in current.exclude(_has_pattern(first)).values(
            "department__name", "work_country").annotate(n=Count("pk")).order_by().values_list(
            "department__name", "work_country", "n"):
        available[name or NO_DEPARTMENT] += count * days(("week", country), country,
                                                         lambda _day: WEEKDAYS)
    own = list(current.filter(_has_pattern(first)).select_related("department").only(
        "pk", "fte", "work_country", "department__name"))
    patterns = patterns_for(own)
    for person in own:
        pattern = patterns[person.pk](first)
        name = person.department.name if person.department_id else NO_DEPARTMENT
        available[name] += days((pattern.hours, person.work_country), person.work_country,
                                lambda _d, p=pattern: p)
    return available


def absence_rate(first: date, last: date) -> dict[str, Decimal]:
    """Sickness absence rate per department of current staff, in percent (half up to 0.01)."""
    available = _available(first, last)
    lost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in _sickness(first, last).values():
        person = line.employee
        if person.status == Employee.Status.TERMINATED:
            continue
        lost[person.department.name if person.department_id else NO_DEPARTMENT] += line.days
    return {name: (lost[name] * 100 / available[name]).quantize(
        CENT, rounding=ROUND_HALF_UP) if available[name] else ZERO
        for name in sorted(available)}


def _upcoming(today: date, days: int):
    return LeaveRequest.objects.filter(
        Q(status__in=(LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)),
        first_day__lte=today + timedelta(days=days), last_day__gte=today,
    ).select_related("employee", "leave_type").only(
        "first_day", "last_day", "status", "leave_type__name", "employee__employee_number",
        "employee__legal_first_name", "employee__legal_last_name", "employee__preferred_name",
    ).order_by("first_day", "id")


def upcoming(today: date, days: int = 30, limit: int | None = None) -> list[LeaveRequest]:
    """Open requests in the next `days` days, soonest first; ``limit=None``: all of them."""
    rows = _upcoming(today, days)
    return list(rows if limit is None else rows[:limit])


def upcoming_count(today: date, days: int = 30) -> int:
    return _upcoming(today, days).count()
