"""Reads for the run inputs grid: its rows and the employee picker."""

from django.db.models import Q, QuerySet

from employees.models import Employee
from payroll.models import PayRun, RunInput
from payroll.selectors import run_employee_ids

PICKER_LIMIT = 20
# Candidates read before the run's membership check trims them to PICKER_LIMIT: enough for a
# schedule that holds a fraction of the people matching a short query.
CANDIDATES = 200


def run_inputs_grid(run: PayRun) -> QuerySet[RunInput]:
    """The run's inputs, grouped by person then component, in one query."""
    return RunInput.objects.filter(run=run).select_related("employee", "component").order_by(
        "employee__legal_last_name", "employee__legal_first_name", "employee_id",
        "component__code", "pk")


def _matching(text: str) -> Q:
    q = Q(employee_number__istartswith=text)
    for word in text.split():
        q |= Q(legal_last_name__icontains=word) | Q(legal_first_name__icontains=word) | Q(
            preferred_name__icontains=word)
    return q


def run_employee_search(run: PayRun, text: str) -> list[Employee]:
    """Up to PICKER_LIMIT people paid in this run whose number starts with, or whose name
    contains, what was typed: two queries plus the membership check, whatever the headcount."""
    text = text.strip()
    if len(text) < 1:
        return []
    period = run.period
    candidates = list(
        Employee.objects.filter(_matching(text), hire_date__lte=period.end_date)
        .filter(Q(termination_date__isnull=True) | Q(termination_date__gte=period.start_date))
        .order_by("legal_last_name", "legal_first_name", "pk")
        .only("id", "employee_number", "legal_first_name", "legal_last_name", "preferred_name")
        [:CANDIDATES])
    paid = set(run_employee_ids(run, among=[e.pk for e in candidates]))
    return [e for e in candidates if e.pk in paid][:PICKER_LIMIT]


def employees_named(text: str) -> list[Employee]:
    """People whose display or legal name is exactly `text` (case-insensitive), at most two:
    enough to tell "unique" from "ambiguous"."""
    parts = text.strip().rsplit(" ", 1)
    if len(parts) != 2:
        return []
    first, last = parts
    return list(Employee.objects.filter(
        Q(legal_first_name__iexact=first) | Q(preferred_name__iexact=first),
        legal_last_name__iexact=last).order_by("pk")[:2])
