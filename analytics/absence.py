"""Sickness absence by department: absence rate and Bradford factor (issue 15 item 3), from
time off's approved sickness (timeoff.reports.bradford: working days lost, clipped to the
period). Definitions, stated on the page too:

- Absence rate = working days lost to sickness / working days available x 100, in the period.
  Available: each person's working days in the period by their working pattern in force at the
  start (37.5 h Monday-Friday x FTE without one), less their country's public holidays.
- Bradford factor of a person = S x S x D (S spells of sickness, D days lost) over the period;
  a department shows the mean over its people (those never sick count as 0).
People: current staff (not terminated), in the viewer's scope (a manager: their subtree).
Departments smaller than ANALYTICS_MIN_GROUP_SIZE are suppressed (nothing but the count).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from employees.access import employees_visible_to
from employees.models import Department, Employee
from hrops.calendars import public_holidays
from payroll.engine.money import quantize
from timeoff.entitlement import days_between
from timeoff.models import Category, LeaveRequest, LeaveType, WorkingPattern
from timeoff.reports import SicknessLine
from timeoff.services.patterns import default_pattern

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass
class AbsenceRow:
    department_id: int | None
    label: str
    people: int = 0
    available: Decimal = ZERO
    lost: Decimal = ZERO
    spells: int = 0
    bradford_total: Decimal = ZERO
    suppressed: bool = False

    @property
    def rate(self) -> Decimal | None:
        if self.suppressed or not self.available:
            return None
        # A reporting figure, not a statutory one: half up to 0.01 (as timeoff.reports).
        return quantize(self.lost * 100 / self.available, CENT, rounding=ROUND_HALF_UP)

    @property
    def mean_bradford(self) -> Decimal | None:
        if self.suppressed or not self.people:
            return None
        return quantize(self.bradford_total / self.people, CENT, rounding=ROUND_HALF_UP)


def _people_q(scope: frozenset[int] | None, prefix: str = "") -> Q:
    """Current staff (not terminated) in the scope, as a condition on the employee row at
    `prefix` (so a query over another table filters the employee row it joins)."""
    q = ~Q(**{f"{prefix}status": Employee.Status.TERMINATED})
    return q if scope is None else q & Q(**{f"{prefix}pk__in": sorted(scope)})


def _people(scope: frozenset[int] | None):
    return Employee.objects.filter(_people_q(scope))


def _in_force_on(day: date, people) -> dict[int, tuple[Decimal, ...]]:
    """employee id -> weekday hours of the working pattern in force on `day`, for the people
    who have one then (the others work the default week). One query, few rows."""
    later = WorkingPattern.objects.filter(employee_id=OuterRef("employee_id"),
                                          effective_from__gt=OuterRef("effective_from"),
                                          effective_from__lte=day)
    return {pk: tuple(Decimal(str(h)) for h in hours) for pk, hours in
            WorkingPattern.objects.filter(employee__in=people, effective_from__lte=day).filter(
                ~Exists(later)).values_list("employee_id", "weekday_hours")}


def _working_days(hours: tuple[Decimal, ...], first: date, last: date, off) -> int:
    return sum(1 for d in days_between(first, last) if hours[d.weekday()] > 0 and d not in off)


def _available(people, first: date, last: date
               ) -> tuple[dict[int | None, list], dict[int, tuple]]:
    """Per department: [people, working days available]; and each patterned person's
    (department, weekday hours at the start). Two queries, a few rows each: people without a
    working pattern on `first` are counted by (department, country, FTE) in SQL."""
    patterned = _in_force_on(first, people)
    years = range(first.year, last.year + 1)
    holidays: dict[str, object] = {}
    counted: dict[tuple, int] = {}

    def days(hours: tuple[Decimal, ...], country: str) -> int:
        if (hours, country) not in counted:
            if country not in holidays:
                holidays[country] = public_holidays(country, years)
            off = holidays[country]
            counted[(hours, country)] = _working_days(hours, first, last, off)
        return counted[(hours, country)]

    rows: dict[int | None, list] = {}
    has_pattern = WorkingPattern.objects.filter(employee_id=OuterRef("pk"),
                                                effective_from__lte=first)
    for dept, country, fte, n in people.filter(~Exists(has_pattern)).values_list(
            "department_id", "work_country", "fte").annotate(n=Count("pk")).order_by():
        row = rows.setdefault(dept, [0, 0])
        row[0] += n
        row[1] += n * days(default_pattern(fte).hours, country)
    found = {}
    for pk, dept, country in people.filter(pk__in=list(patterned)).values_list(
            "pk", "department_id", "work_country"):
        row = rows.setdefault(dept, [0, 0])
        row[0] += 1
        row[1] += days(patterned[pk], country)
        found[pk] = (dept, patterned[pk])
    return rows, found


def sickness_days(scope: frozenset[int] | None, first: date, last: date
                  ) -> dict[int, tuple[int, int, int | None]]:
    """employee id -> (spells, working days lost, department) of approved sickness overlapping
    the period (days clipped to it, by the working pattern in force each day, less public
    holidays: timeoff.reports.bradford's definition); the people of _people(scope). Three
    queries (the sick leave types, the spells, the working patterns), one row per spell."""
    people = _people(scope)
    # The sick leave types by id (a few rows) rather than joined: with a join PostgreSQL
    # estimated 1/13 of the spells (one type in 13) and chose a nested loop over the employee
    # index for all of them, 3-4x slower than the hash join it picks on the id list
    # (EXPLAIN ANALYZE, 17,600 spells). The people are filtered on the employee row the
    # query joins anyway (an IN (people) subquery joined the employee table a second time),
    # and without the model's default ordering (a sort of every spell for nothing).
    sick_types = list(LeaveType.objects.filter(category=Category.SICK).values_list(
        "pk", flat=True))
    spells = list(LeaveRequest.objects.filter(
        _people_q(scope, "employee__"), status=LeaveRequest.Status.APPROVED,
        leave_type_id__in=sick_types, first_day__lte=last, last_day__gte=first).order_by(
        ).values_list("employee_id", "first_day", "last_day", "employee__department_id",
                      "employee__work_country", "employee__fte"))
    history: dict[int, list[tuple[date, tuple[Decimal, ...]]]] = {}
    for pk, start, hours in WorkingPattern.objects.filter(
            employee__in=people, effective_from__lte=last).order_by(
            "employee_id", "effective_from").values_list(
            "employee_id", "effective_from", "weekday_hours"):
        history.setdefault(pk, []).append((start, tuple(Decimal(str(h)) for h in hours)))
    years = range(first.year, last.year + 1)
    # Days as ordinals (weekday = (ordinal - 1) % 7, Monday 0): one spell is a few integers.
    holidays: dict[str, set[int]] = {}
    standards: dict[Decimal, tuple[Decimal, ...]] = {}
    low, high = first.toordinal(), last.toordinal()
    found: dict[int, list] = {}
    # Days lost of a spell on the default week depend only on its days, FTE and country:
    # counted once per distinct spell (spells of a few days repeat across 20,000 people).
    standard_lost: dict[tuple, int] = {}
    for pk, start, end, dept, country, fte in spells:
        patterned = history.get(pk)
        key = None if patterned else (start, end, fte, country)
        lost = standard_lost.get(key) if key else None
        if lost is None:
            off = holidays.get(country)
            if off is None:
                off = holidays[country] = {d.toordinal() for d in
                                           public_holidays(country, years) if first <= d <= last}
            hours = standards.get(fte) or standards.setdefault(fte, default_pattern(fte).hours)
            rows = [(since.toordinal(), pattern) for since, pattern in patterned or ()]
            lost = 0
            for day in range(max(start.toordinal(), low), min(end.toordinal(), high) + 1):
                on = hours
                for since, pattern in rows:
                    if since <= day:
                        on = pattern
                lost += on[(day - 1) % 7] > 0 and day not in off
            if key:
                standard_lost[key] = lost
        entry = found.setdefault(pk, [0, 0, dept])
        entry[0] += 1
        entry[1] += lost
    return {pk: tuple(v) for pk, v in found.items()}


def absence_by_department(scope: frozenset[int] | None, first: date, last: date
                          ) -> list[AbsenceRow]:
    return absence_report(scope, first, last)[0]


def absence_report(scope: frozenset[int] | None, first: date, last: date
                   ) -> tuple[list[AbsenceRow], dict[int, tuple[int, int, int | None]]]:
    """The rows by department, and each sick person's (spells, days lost, department) for the
    drill-down. A fixed number of queries whatever the headcount: people and working days
    available aggregated in SQL, one row per spell of sickness in the period."""
    people = _people(scope)
    available, _patterned = _available(people, first, last)
    sick = sickness_days(scope, first, last)
    names = dict(Department.objects.values_list("pk", "name"))
    rows = {dept: AbsenceRow(dept, names.get(dept, "—") if dept else "—", people=n,
                             available=Decimal(days))
            for dept, (n, days) in available.items()}
    for spells, lost, dept in sick.values():
        row = rows.setdefault(dept, AbsenceRow(dept, names.get(dept, "—") if dept else "—"))
        row.lost += lost
        row.spells += spells
        row.bradford_total += spells * spells * lost
    minimum = settings.ANALYTICS_MIN_GROUP_SIZE
    for row in rows.values():
        row.suppressed = row.people < minimum
    return sorted(rows.values(), key=lambda r: r.label), sick


def absence_people(viewer, scope: frozenset[int] | None, first: date, last: date,
                   department_id: int | None) -> list[SicknessLine]:
    """The people behind a department's figures who were sick, highest Bradford factor first,
    only those employees.access lets the viewer see."""
    return sick_people(viewer, sickness_days(scope, first, last), department_id)


def sick_people(viewer, sick: dict[int, tuple[int, int, int | None]],
                department_id: int | None) -> list[SicknessLine]:
    """The department's sick people of absence_report, highest Bradford factor first, only
    those employees.access lets the viewer see. Two queries."""
    wanted = [pk for pk, (_s, _l, dept) in sick.items() if dept == department_id]
    visible = employees_visible_to(viewer).filter(pk__in=wanted)
    employees = Employee.objects.in_bulk(list(visible.values_list("pk", flat=True)))
    found = {pk: sick[pk] for pk in employees}
    lines = [SicknessLine(employees[pk], spells, Decimal(lost))
             for pk, (spells, lost, _dept) in found.items()]
    return sorted(lines, key=lambda line: (-line.bradford, line.employee.pk))


def totals(rows: list[AbsenceRow]) -> AbsenceRow:
    total = AbsenceRow(None, "All")
    for row in rows:
        total.people += row.people
        total.available += row.available
        total.lost += row.lost
        total.spells += row.spells
        total.bradford_total += row.bradford_total
    total.suppressed = total.people < settings.ANALYTICS_MIN_GROUP_SIZE
    return total


