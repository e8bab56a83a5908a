"""What payroll hears about absence (payroll/absence_feed.py): approved sickness and family
leave, and each person's working week (the weekdays their pattern has hours on)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from employees.models import Employee
from hrops.sql_ids import id_array
from payroll.absence_feed import AbsenceKind, StatutoryAbsence, WorkingWeek
from timeoff.models import Category, KeepingInTouchDay, LeaveRequest, WorkingPattern
from timeoff.services.patterns import default_pattern

KIND_OF = {
    Category.SICK: AbsenceKind.SICKNESS,
    Category.MATERNITY: AbsenceKind.MATERNITY,
    Category.PATERNITY: AbsenceKind.PATERNITY,
    Category.ADOPTION: AbsenceKind.ADOPTION,
    Category.SHARED_PARENTAL: AbsenceKind.SHARED_PARENTAL,
    Category.NEONATAL_CARE: AbsenceKind.NEONATAL_CARE,
    Category.PARENTAL_BEREAVEMENT: AbsenceKind.PARENTAL_BEREAVEMENT,
}

KIT_CATEGORIES = frozenset({Category.MATERNITY, Category.ADOPTION, Category.SHARED_PARENTAL})


class TimeOffAbsenceProvider:
    def statutory_absences(self, employee_ids: list[int], start: date,
                           end: date) -> dict[int, list[StatutoryAbsence]]:
        rows = LeaveRequest.objects.filter(
            employee_id__in_ids=id_array(employee_ids), status=LeaveRequest.Status.APPROVED,
            leave_type__category__in=list(KIND_OF), first_day__lte=end, last_day__gte=start,
        ).select_related("leave_type").order_by("employee_id", "first_day", "id")
        rows = list(rows)
        kit: dict[int, list[date]] = defaultdict(list)
        for request_id, day in KeepingInTouchDay.objects.filter(
                request_id__in=[r.pk for r in rows if r.leave_type.category in KIT_CATEGORIES]
        ).order_by("day").values_list("request_id", "day"):
            kit[request_id].append(day)
        found: dict[int, list[StatutoryAbsence]] = defaultdict(list)
        for row in rows:
            found[row.employee_id].append(StatutoryAbsence(
                employee_id=row.employee_id, kind=KIND_OF[row.leave_type.category],
                first_day=row.first_day, last_day=row.last_day,
                expected_week=row.expected_week, source=f"timeoff.LeaveRequest:{row.pk}",
                kit_days=tuple(kit.get(row.pk, ()))))
        return dict(found)

    def working_weeks(self, employee_ids: list[int], on: date) -> dict[int, list[WorkingWeek]]:
        weeks: dict[int, list[WorkingWeek]] = defaultdict(list)
        people = Employee.objects.filter(pk__in_ids=id_array(employee_ids)).only(
            "pk", "fte", "hire_date")
        for person in people:
            # Before any recorded pattern: Monday to Friday (the default pattern).
            default = frozenset(d for d, h in enumerate(default_pattern(person.fte).hours) if h)
            weeks[person.pk].append(WorkingWeek(person.pk, default, person.hire_date))
        for row in WorkingPattern.objects.filter(
                employee_id__in_ids=id_array(employee_ids), effective_from__lte=on).order_by(
                "employee_id", "effective_from"):
            days = frozenset(d for d, h in enumerate(row.weekday_hours) if Decimal(str(h)) > 0)
            history = weeks[row.employee_id]
            if history and history[-1].effective_from >= row.effective_from:
                history.pop()  # a pattern from the hire date replaces the default
            history.append(WorkingWeek(row.employee_id, days, row.effective_from))
        return dict(weeks)
