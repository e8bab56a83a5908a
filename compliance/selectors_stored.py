"""Reads of the stored status table (compliance.models.ComplianceStatus): the matrix filters
in SQL; the dashboard and the HR home card read the summary built from it
(compliance.models.ComplianceSummary, compliance.services.summary), or count live when that is
not current, so their queries and Python work do not grow with headcount (one row and at most
EXPIRING_SHOWN listed cells)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from compliance.models import (
    ComplianceStatus,
    ComplianceSummary,
    ComplianceSummaryChange,
    RequirementType,
)
from compliance.status import Status
from employees.models import Department, Employee

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


def _expiring_window(today: date, days: int) -> QuerySet[ComplianceStatus]:
    """Cells valid until today .. today + days, verified (pending ones are listed elsewhere)."""
    return in_scope_statuses().filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=days), status__in=GOOD)


def expiring_cells(today: date, days: int) -> QuerySet[ComplianceStatus]:
    return _expiring_window(today, days).select_related(
        "employee", "employee__department", "requirement_type").order_by(
        "valid_until", "employee__legal_last_name", "employee_id", "requirement_type_id")


def _live_department_counts() -> list[list]:
    """[department id, people in scope, compliant people]: one GROUP BY counting everyone not
    terminated, and those with no cell that is not good (compliant or expiring soon)."""
    # No join back to the employee inside: the outer query already keeps people in scope.
    bad = ComplianceStatus.objects.exclude(status__in=GOOD).filter(employee=OuterRef("pk"))
    rows = (Employee.objects.exclude(status=Employee.Status.TERMINATED).values("department_id")
            .annotate(n=Count("pk"), failing=Count("pk", filter=Exists(bad))).order_by())
    return [[row["department_id"], row["n"], row["n"] - row["failing"]] for row in rows]


def live_figures(today: date) -> dict:
    """The dashboard's figures counted now from the stored statuses (six queries): what
    `compliance.models.ComplianceSummary.data` holds when it is current."""
    counts = _expiring_window(today, max(HORIZONS)).aggregate(**{
        f"d{days}": Count("pk", filter=Q(valid_until__lte=today + timedelta(days=days)))
        for days in HORIZONS})
    return {
        "cells": sorted([type_id, status, n] for (type_id, status), n
                        in _grouped("requirement_type_id", "status").items() if n),
        "departments": sorted(_live_department_counts(), key=lambda r: (r[0] is None, r[0] or 0)),
        "expiring": {str(days): counts[f"d{days}"] for days in HORIZONS},
        "expiring_ids": list(expiring_cells(today, max(HORIZONS))
                             .values_list("pk", flat=True)[:EXPIRING_SHOWN]),
        # people with at least one cell in each status: the matrix's "status" filter counts
        "people_by_status": {row["status"]: row["n"] for row in in_scope_statuses().values(
            "status").annotate(n=Count("employee_id", distinct=True)).order_by()},
    }


def matrix_count(data: dict, *, status: str = "", type_id: int | None = None) -> int | None:
    """How many people the matrix lists for HR with only these filters (everyone in scope with
    a cell of this type and/or status), from the figures: one cell per person and type. None
    when the figures cannot tell (a summary stored before this figure existed)."""
    if type_id is not None:
        return sum(n for t, s, n in data["cells"] if t == type_id and (not status or s == status))
    if status:
        people = data.get("people_by_status")
        return None if people is None else people.get(status, 0)
    return sum(row[1] for row in data["departments"])


def _fingerprint_parts() -> dict:
    """Rows, leavers and the latest `updated_at` of the employee table: index-only scans and a
    one-entry index read (employee_status, employee_updated_id), no pass over the rows."""
    # The table name is the model's own, quoted; the one value is a parameter.
    table = connection.ops.quote_name(Employee._meta.db_table)
    rows = f"SELECT COUNT(*) FROM {table}"  # noqa: S608
    return {
        "fp_rows": RawSQL(rows, [], output_field=IntegerField()),  # noqa: S611
        "fp_leavers": RawSQL(f"{rows} WHERE status = %s",  # noqa: S611
                             [Employee.Status.TERMINATED.value], output_field=IntegerField()),
        "fp_latest": Subquery(Employee.objects.order_by("-updated_at").values("updated_at")[:1]),
    }


def _fingerprint(row) -> str:
    latest = row["fp_latest"]
    return f"{row['fp_rows']}:{row['fp_leavers']}:{latest.isoformat() if latest else ''}"


def employees_fingerprint() -> str:
    """What the summary's people counts depend on beyond the stored statuses: a hire, a
    leaver or a department move changes the rows, the leavers or the latest `updated_at` (one
    query; the leavers also catch a status set by a bulk UPDATE, which leaves `updated_at`)."""
    parts = _fingerprint_parts()
    row = Employee.objects.order_by().annotate(**parts).values(*parts).first()
    return _fingerprint(row) if row else "0:0:"


def summary_current(today: date) -> ComplianceSummary | None:
    """The stored summary if it is current: no change waiting, built today, the employee
    table's fingerprint unchanged (one query)."""
    parts = _fingerprint_parts()
    summary = (ComplianceSummary.objects.filter(pk=1).annotate(
        pending=Exists(ComplianceSummaryChange.objects.all()), **parts).first())
    if summary is None or summary.pending or summary.computed_on != today:
        return None
    if summary.employees_fingerprint != _fingerprint(vars(summary)):
        return None
    return summary


def _by_requirement(data: dict) -> tuple[list[dict], dict[Status, int]]:
    types = {t.pk: t for t in RequirementType.objects.all()}
    entries: dict[int, dict] = {}
    by_status = dict.fromkeys(Status, 0)
    for type_id, status, n in data["cells"]:
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


def _by_department(data: dict) -> list[dict]:
    names = dict(Department.objects.values_list("pk", "name"))
    rows = []
    for department_id, n, compliant in data["departments"]:
        rows.append({"name": names.get(department_id, "—") if department_id else "—",
                     "people": n, "compliant": compliant,
                     "rate": round(100 * compliant / n) if n else 0})
    return sorted(rows, key=lambda d: d["name"])


def _expiring(today: date, data: dict) -> dict[int, Expiring]:
    """The first cells of the widest window, ordered by date, are also the first cells of each
    narrower one."""
    ids = data["expiring_ids"]
    found = {c.pk: c for c in ComplianceStatus.objects.filter(pk__in=ids).select_related(
        "employee", "employee__department", "requirement_type")} if ids else {}
    first = [found[pk] for pk in ids if pk in found]
    return {days: Expiring(days, data["expiring"][str(days)], [
        c for c in first if c.valid_until <= today + timedelta(days=days)])
        for days in HORIZONS}


def status_counts(data: dict) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for _type_id, status, n in data["cells"]:
        counts[Status(status)] += n
    return counts


def dashboard(*, today: date | None = None, data: dict | None = None) -> Dashboard:
    """The compliance dashboard from its figures (`data`: the summary's, see
    compliance.services.summary.compliance_figures; None: counted live now), the requirement
    types, department names and the first expiring cells by id (three queries)."""
    today = today or timezone.localdate()
    data = live_figures(today) if data is None else data
    requirements, by_status = _by_requirement(data)
    departments = _by_department(data)
    return Dashboard(by_status, requirements, departments, _expiring(today, data),
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
