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

from employees.access import employees_visible_to
from employees.models import Employee
from hrops.calendars import public_holidays
from payroll.engine.money import quantize
from timeoff.entitlement import days_between
from timeoff.reports import SicknessLine, bradford
from timeoff.services.patterns import patterns_for

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


def _people(scope: frozenset[int] | None):
    people = Employee.objects.exclude(status=Employee.Status.TERMINATED).select_related(
        "department").only("pk", "fte", "department__name", "work_country")
    return people if scope is None else people.filter(pk__in=sorted(scope))


def _available(people: list[Employee], first: date, last: date) -> dict[int, Decimal]:
    patterns = patterns_for(people)
    years = range(first.year, last.year + 1)
    holidays = {c: public_holidays(c, years) for c in {p.work_country for p in people}}
    counted: dict[tuple, Decimal] = {}
    found = {}
    for person in people:
        pattern = patterns[person.pk](first)
        key = (pattern.hours, person.work_country)
        if key not in counted:
            off = holidays[person.work_country]
            counted[key] = Decimal(sum(1 for d in days_between(first, last)
                                       if pattern.works(d) and d not in off))
        found[person.pk] = counted[key]
    return found


def sickness_lines(first: date, last: date, ids: set[int]) -> dict[int, SicknessLine]:
    return {line.employee.pk: line for line in bradford(first, last, limit=10 ** 9)
            if line.employee.pk in ids}


def absence_by_department(scope: frozenset[int] | None, first: date, last: date
                          ) -> list[AbsenceRow]:
    people = list(_people(scope))
    available = _available(people, first, last)
    sick = sickness_lines(first, last, set(available))
    rows: dict[int | None, AbsenceRow] = {}
    for person in people:
        label = person.department.name if person.department_id else "—"
        row = rows.setdefault(person.department_id, AbsenceRow(person.department_id, label))
        row.people += 1
        row.available += available[person.pk]
        line = sick.get(person.pk)
        if line:
            row.lost += line.days
            row.spells += line.spells
            row.bradford_total += line.bradford
    minimum = settings.ANALYTICS_MIN_GROUP_SIZE
    for row in rows.values():
        row.suppressed = row.people < minimum
    return sorted(rows.values(), key=lambda r: r.label)


def absence_people(viewer, scope: frozenset[int] | None, first: date, last: date,
                   department_id: int | None) -> list[SicknessLine]:
    """The people behind a department's figures who were sick, highest Bradford factor first,
    only those employees.access lets the viewer see."""
    people = _people(scope).filter(department_id=department_id)
    visible = set(employees_visible_to(viewer).filter(pk__in=people).values_list(
        "pk", flat=True))
    lines = sickness_lines(first, last, visible)
    return sorted(lines.values(), key=lambda line: (-line.bradford, line.employee.pk))


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


