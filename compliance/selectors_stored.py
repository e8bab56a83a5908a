"""Reads of the stored status table (compliance.models.ComplianceStatus): the dashboard, the HR
home card and the matrix filters count and filter in SQL, so their queries and Python work do
not grow with headcount (a few GROUP BY queries and at most EXPIRING_SHOWN listed cells)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from compliance.models import ComplianceStatus, RequirementType
from compliance.status import Status
from employees.models import Employee

HORIZONS = (30, 60, 90)
EXPIRING_SHOWN = 50  # cells listed per horizon on the page; the export has them all
GOOD = (Status.COMPLIANT.value, Status.EXPIRING_SOON.value)


def in_scope_statuses() -> QuerySet[ComplianceStatus]:
    """Stored cells of people compliance applies to (not terminated; see employees_in_scope).
    Inactive types and rules have no cells (their refresh deletes them)."""
    return ComplianceStatus.objects.exclude(employee__status=Employee.Status.TERMINATED)


@dataclass
class Expiring:
    days: int
    count: int
    cells: list[ComplianceStatus]

    @property
    def more(self) -> int:
        return self.count - len(self.cells)


@dataclass
class Dashboard:
    by_status: dict[Status, int]
    by_requirement: list[dict]
    by_department: list[dict]
    expiring: dict[int, Expiring]
    total_cells: int
    people: int


def _grouped(*fields: str) -> Counter:
    """In-scope cells counted by `fields`, in two queries that avoid joining every cell to its
    employee: all cells (an index-only scan of a (type, status) index) minus the cells of
    leavers (few, reached from the employee side through the unique (employee, type) index)."""
    counts: Counter = Counter()
    for row in ComplianceStatus.objects.values_list(*fields).annotate(n=Count("*")).order_by():
        counts[row[:-1]] += row[-1]
    leavers = ComplianceStatus.objects.filter(employee__status=Employee.Status.TERMINATED)
    for row in leavers.values_list(*fields).annotate(n=Count("*")).order_by():
        counts[row[:-1]] -= row[-1]
    return counts


def status_counts() -> dict[Status, int]:
    """Cells per status (two GROUP BY queries)."""
    counts = dict.fromkeys(Status, 0)
    for (status,), n in _grouped("status").items():
        counts[Status(status)] = n
    return counts


def _expiring_window(today: date, days: int) -> QuerySet[ComplianceStatus]:
    """Cells valid until today .. today + days, verified (pending ones are listed elsewhere)."""
    return in_scope_statuses().filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=days), status__in=GOOD)


def expiring_count(today: date, days: int) -> int:
    return _expiring_window(today, days).count()


def expiring_cells(today: date, days: int) -> QuerySet[ComplianceStatus]:
    return _expiring_window(today, days).select_related(
        "employee", "employee__department", "requirement_type").order_by(
        "valid_until", "employee__legal_last_name", "employee_id", "requirement_type_id")


def _expiring(today: date) -> dict[int, Expiring]:
    """Counts for every horizon in one query; the first cells of the widest window, ordered by
    date, are also the first cells of each narrower one."""
    counts = _expiring_window(today, max(HORIZONS)).aggregate(**{
        f"d{days}": Count("pk", filter=Q(valid_until__lte=today + timedelta(days=days)))
        for days in HORIZONS})
    first = list(expiring_cells(today, max(HORIZONS))[:EXPIRING_SHOWN])
    return {days: Expiring(days, counts[f"d{days}"], [
        c for c in first if c.valid_until <= today + timedelta(days=days)])
        for days in HORIZONS}


def _by_requirement() -> tuple[list[dict], dict[Status, int]]:
    types = {t.pk: t for t in RequirementType.objects.all()}
    entries: dict[int, dict] = {}
    by_status = dict.fromkeys(Status, 0)
    for (type_id, status), n in _grouped("requirement_type_id", "status").items():
        rtype = types.get(type_id)
        if rtype is None or not n:
            continue
        entry = entries.setdefault(rtype.pk, {"type": rtype, **{s.value: 0 for s in Status},
                                              "total": 0})
        entry[status] += n
        entry["total"] += n
        by_status[Status(status)] += n
    requirements = sorted(entries.values(), key=lambda e: e["type"].name)
    for entry in requirements:
        good = entry["compliant"] + entry["expiring_soon"]
        entry["rate"] = round(100 * good / entry["total"]) if entry["total"] else 0
    return requirements, by_status


def _by_department() -> list[dict]:
    """People in scope per department, and those with no cell that is not good (compliant or
    expiring soon): two GROUP BY queries."""
    people = Employee.objects.exclude(status=Employee.Status.TERMINATED)
    totals = {row["department__name"]: row["n"] for row in
              people.values("department__name").annotate(n=Count("pk")).order_by()}
    # No join back to the employee inside: the outer query already keeps people in scope.
    bad = ComplianceStatus.objects.exclude(status__in=GOOD).filter(employee=OuterRef("pk"))
    failing = {row["department__name"]: row["n"] for row in
               people.filter(Exists(bad)).values("department__name")
               .annotate(n=Count("pk")).order_by()}
    rows = []
    for name, n in sorted(totals.items(), key=lambda item: (item[0] is None, item[0] or "")):
        compliant = n - failing.get(name, 0)
        rows.append({"name": name or "—", "people": n, "compliant": compliant,
                     "rate": round(100 * compliant / n) if n else 0})
    return sorted(rows, key=lambda d: d["name"])


def dashboard(*, today: date | None = None) -> Dashboard:
    """The compliance dashboard from the stored statuses (six queries whatever the headcount:
    types, cells per type and status, people and failing people per department, expiring counts
    and the first expiring cells)."""
    today = today or timezone.localdate()
    requirements, by_status = _by_requirement()
    departments = _by_department()
    return Dashboard(by_status, requirements, departments, _expiring(today),
                     sum(by_status.values()), sum(d["people"] for d in departments))


def employees_with_status(qs: QuerySet[Employee], *, status: str = "",
                          type_ids: list[int] | None = None) -> QuerySet[Employee]:
    """The matrix filters in SQL: people with a stored cell of these types (who need it) and,
    when given, in this status."""
    cells = ComplianceStatus.objects.filter(employee=OuterRef("pk"))
    if type_ids is not None:
        cells = cells.filter(requirement_type_id__in=type_ids)
    if status:
        cells = cells.filter(status=status)
    return qs.filter(Exists(cells))
