"""Working patterns: effective-dated hours per weekday. Without one, a person works Monday to
Friday, 37.5 hours a week times their FTE."""

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, diff
from employees.models import Employee
from timeoff.entitlement import Pattern
from timeoff.models import WorkingPattern

FULL_TIME_HOURS = Decimal("37.5")


def default_pattern(fte: Decimal) -> Pattern:
    return Pattern.standard(FULL_TIME_HOURS * fte)


def parse_hours(values: Iterable[object]) -> tuple[Decimal, ...]:
    try:
        hours = tuple(Decimal(str(v or "0")) for v in values)
    except InvalidOperation as exc:
        raise ValidationError(_("Hours must be numbers, e.g. 7.5.")) from exc
    if len(hours) != 7 or any(h < 0 or h > 24 for h in hours):
        raise ValidationError(_("Give seven daily hours, Monday to Sunday, each 0 to 24."))
    if not any(hours):
        raise ValidationError(_("A working pattern needs at least one working day."))
    return hours


def _pattern(row: WorkingPattern) -> Pattern:
    return Pattern(tuple(Decimal(str(h)) for h in row.weekday_hours))


def patterns_for(employees: Iterable[Employee], *, among=None
                 ) -> dict[int, Callable[[date], Pattern]]:
    """For each employee, a function day -> the pattern in force that day. One query.
    ``among``: a queryset of employees the rows are filtered by instead of the ids (a report
    over 20,000 people: a subquery, not 20,000 bound parameters). Anything with ``pk`` and
    ``fte`` will do as an employee."""
    people = {e.pk: e for e in employees}
    history: dict[int, list[WorkingPattern]] = {}
    rows = WorkingPattern.objects.filter(employee__in=among) if among is not None else (
        WorkingPattern.objects.filter(employee_id__in=list(people)))
    for row in rows.order_by("employee_id", "effective_from"):
        history.setdefault(row.employee_id, []).append(row)
    defaults: dict[Decimal, Pattern] = {}

    def lookup(employee: Employee) -> Callable[[date], Pattern]:
        rows = [(r.effective_from, _pattern(r)) for r in history.get(employee.pk, [])]
        fallback = defaults.get(employee.fte)
        if fallback is None:
            fallback = defaults[employee.fte] = default_pattern(employee.fte)
        if not rows:
            return lambda _day: fallback

        def on(day: date) -> Pattern:
            found = fallback
            for start, pattern in rows:
                if start <= day:
                    found = pattern
            return found

        return on

    return {pk: lookup(e) for pk, e in people.items()}


def pattern_on(employee: Employee, day: date) -> Pattern:
    return patterns_for([employee])[employee.pk](day)


@transaction.atomic
def working_pattern_set(*, employee: Employee, effective_from: date, hours: Iterable[object],
                        acting_user) -> WorkingPattern:
    """Record (or replace) the pattern from a date. HR's job: the view checks the gate."""
    values = [str(h) for h in parse_hours(hours)]
    row = WorkingPattern.objects.select_for_update().filter(
        employee=employee, effective_from=effective_from).first()
    before = {"weekday_hours": row.weekday_hours} if row else {}
    if row is None:
        row = WorkingPattern.objects.create(employee=employee, effective_from=effective_from,
                                            weekday_hours=values, created_by=acting_user)
    elif row.weekday_hours != values:
        row.weekday_hours = values
        row.save(update_fields=["weekday_hours"])
    audit_record(actor=acting_user, action="update" if before else "create", obj=row,
                 employee_id=employee.pk, note="working pattern",
                 changes=diff(before, {"effective_from": str(effective_from),
                                       "weekday_hours": values}))
    return row
