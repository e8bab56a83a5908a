"""A stand-in for the time-off app's absence provider (settings.HROPS_ABSENCE_PROVIDER), fed by
the tests: absences and working weeks per employee, and a log of calls."""

from payroll.absence_feed import StatutoryAbsence, WorkingWeek

ABSENCES: dict[int, list[StatutoryAbsence]] = {}
WEEKS: dict[int, list[WorkingWeek]] = {}
CALLS: list[tuple[str, tuple[int, ...]]] = []


def reset() -> None:
    ABSENCES.clear()
    WEEKS.clear()
    CALLS.clear()


class FakeAbsenceProvider:
    def statutory_absences(self, employee_ids, start, end):
        CALLS.append(("statutory_absences", tuple(employee_ids)))
        found = {}
        for employee_id in employee_ids:
            overlapping = [a for a in ABSENCES.get(employee_id, [])
                           if a.first_day <= end and (a.last_day is None or a.last_day >= start)]
            if overlapping:
                found[employee_id] = sorted(overlapping, key=lambda a: a.first_day)
        return found

    def working_weeks(self, employee_ids, on):
        CALLS.append(("working_weeks", tuple(employee_ids)))
        return {e: [w for w in WEEKS[e] if w.effective_from <= on]
                for e in employee_ids if e in WEEKS}
