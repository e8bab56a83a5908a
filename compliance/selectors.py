"""Reads: who needs what (rules, evaluated live) and the status of every person x requirement.

`status_matrix` is the only place statuses are computed for many people; it issues a constant
number of queries whatever the number of employees or requirement types (rules, records,
policy versions, acknowledgements: one query each).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from compliance.models import (
    Acknowledgement,
    ComplianceRecord,
    PolicyVersion,
    RequirementKind,
    RequirementRule,
    RequirementType,
)
from compliance.status import DEFAULT_WINDOW_DAYS, RecordFacts, Status, compute_status
from employees.models import Employee


def window_days_for(requirement_type: RequirementType) -> int:
    if requirement_type.expiring_window_days is not None:
        return requirement_type.expiring_window_days
    return int(getattr(settings, "COMPLIANCE_EXPIRING_SOON_DAYS", DEFAULT_WINDOW_DAYS))


def rule_matches(rule: RequirementRule, employee: Employee) -> bool:
    """Pure: does this rule apply to the employee's CURRENT job fields?"""
    scope = rule.scope
    if scope == RequirementRule.Scope.EVERYONE:
        return True
    if scope == RequirementRule.Scope.DEPARTMENT:
        return rule.department_id is not None and rule.department_id == employee.department_id
    if scope == RequirementRule.Scope.LOCATION:
        return rule.location_id is not None and rule.location_id == employee.location_id
    if scope == RequirementRule.Scope.JOB_TITLE:
        return rule.job_title_id is not None and rule.job_title_id == employee.job_title_id
    if scope == RequirementRule.Scope.EMPLOYMENT_TYPE:
        return bool(rule.employment_type) and rule.employment_type == employee.employment_type
    if scope == RequirementRule.Scope.COUNTRY:
        return bool(rule.country) and rule.country.upper() == (employee.work_country or "").upper()
    return False


def active_rules() -> list[RequirementRule]:
    return list(
        RequirementRule.objects.filter(active=True, requirement_type__active=True)
        .select_related("requirement_type", "requirement_type__policy")
        .order_by("requirement_type__name", "id")
    )


def types_for_employee(
    employee: Employee, rules: Iterable[RequirementRule]
) -> list[RequirementType]:
    seen: dict[int, RequirementType] = {}
    for rule in rules:
        if rule.requirement_type_id not in seen and rule_matches(rule, employee):
            seen[rule.requirement_type_id] = rule.requirement_type
    return sorted(seen.values(), key=lambda t: t.name)


def requirements_for_employee(employee: Employee) -> list[RequirementType]:
    """Every requirement type that applies to the employee today (one query: the rules).

    For onboarding: lifecycle can call this for a new hire (or after a transfer) and create one
    task per returned type, e.g. `for t in requirements_for_employee(e): task(title=t.name,
    detail=t.evidence_required)`. Rules are live, so nothing needs to be "assigned" first.
    """
    return types_for_employee(employee, active_rules())


@dataclass
class Cell:
    employee: Employee
    requirement_type: RequirementType
    status: Status
    record: ComplianceRecord | None = None
    acknowledgement: Acknowledgement | None = None
    valid_until: date | None = None

    @property
    def days_left(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days


@dataclass
class MatrixRow:
    employee: Employee
    cells: dict[int, Cell] = field(default_factory=dict)  # requirement type id -> cell

    def cells_in(self, types: Sequence[RequirementType]) -> list[Cell | None]:
        return [self.cells.get(t.pk) for t in types]

    @property
    def compliant(self) -> bool:
        return all(
            c.status in (Status.COMPLIANT, Status.EXPIRING_SOON) for c in self.cells.values()
        )


def _current_versions(policy_ids: set[int]) -> dict[int, PolicyVersion]:
    current: dict[int, PolicyVersion] = {}
    if not policy_ids:
        return current
    for version in PolicyVersion.objects.filter(policy_id__in=policy_ids).order_by(
        "policy_id", "-number"
    ):
        current.setdefault(version.policy_id, version)
    return current


def status_matrix(
    employees: Sequence[Employee],
    *,
    today: date | None = None,
    type_ids: Iterable[int] | None = None,
    rules: list[RequirementRule] | None = None,
) -> list[MatrixRow]:
    """Status of each employee for each requirement that applies to them (constant queries)."""
    today = today or timezone.localdate()
    rules = active_rules() if rules is None else rules
    if type_ids is not None:
        wanted = set(type_ids)
        rules = [r for r in rules if r.requirement_type_id in wanted]
    employee_ids = [e.pk for e in employees]
    needed = {e.pk: types_for_employee(e, rules) for e in employees}

    latest: dict[tuple[int, int], ComplianceRecord] = {}
    record_type_ids = {
        t.pk for types in needed.values() for t in types if t.kind != RequirementKind.POLICY
    }
    if employee_ids and record_type_ids:
        records = (
            ComplianceRecord.objects.filter(
                employee_id__in=employee_ids, requirement_type_id__in=record_type_ids
            )
            .exclude(verification=ComplianceRecord.Verification.REJECTED)
            .select_related("verified_by")
            .order_by("employee_id", "requirement_type_id", "-created_at", "-id")
        )
        for record in records:
            latest.setdefault((record.employee_id, record.requirement_type_id), record)

    policy_ids = {
        t.policy_id for types in needed.values() for t in types
        if t.kind == RequirementKind.POLICY and t.policy_id
    }
    versions = _current_versions(policy_ids)
    acks: dict[tuple[int, int], Acknowledgement] = {}
    if versions and employee_ids:
        for ack in Acknowledgement.objects.filter(
            version_id__in=[v.pk for v in versions.values()], employee_id__in=employee_ids
        ):
            acks[(ack.employee_id, ack.version_id)] = ack

    rows: list[MatrixRow] = []
    for employee in employees:
        row = MatrixRow(employee=employee)
        for rtype in needed[employee.pk]:
            if rtype.kind == RequirementKind.POLICY:
                version = versions.get(rtype.policy_id)
                if version is None:
                    continue  # nothing published yet: nothing to acknowledge
                ack = acks.get((employee.pk, version.pk))
                facts = RecordFacts(verified=True, valid_until=None) if ack else None
                row.cells[rtype.pk] = Cell(
                    employee, rtype, compute_status(facts, today=today, window_days=0),
                    acknowledgement=ack,
                )
                continue
            record = latest.get((employee.pk, rtype.pk))
            facts = None
            if record is not None:
                facts = RecordFacts(
                    verified=record.verification == ComplianceRecord.Verification.VERIFIED,
                    valid_until=record.valid_until,
                )
            status = compute_status(facts, today=today, window_days=window_days_for(rtype))
            row.cells[rtype.pk] = Cell(
                employee, rtype, status, record=record,
                valid_until=record.valid_until if record else None,
            )
        rows.append(row)
    return rows


def employees_in_scope(base: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
    """People compliance applies to: everyone not terminated (pre-hires included, so a new hire
    shows as 'missing' before day one)."""
    qs = base if base is not None else Employee.objects.all()
    return qs.exclude(status=Employee.Status.TERMINATED).select_related(
        "department", "location", "job_title"
    )


def matrix_types(rows: Sequence[MatrixRow]) -> list[RequirementType]:
    seen: dict[int, RequirementType] = {}
    for row in rows:
        for cell in row.cells.values():
            seen.setdefault(cell.requirement_type.pk, cell.requirement_type)
    return sorted(seen.values(), key=lambda t: t.name)


@dataclass
class Dashboard:
    by_status: dict[Status, int]
    by_requirement: list[dict]
    by_department: list[dict]
    expiring: dict[int, list[Cell]]
    total_cells: int
    people: int


def dashboard(*, today: date | None = None) -> Dashboard:
    """Counts over everyone in scope (constant queries: employees, rules, records, versions,
    acknowledgements)."""
    today = today or timezone.localdate()
    employees = list(employees_in_scope())
    rows = status_matrix(employees, today=today)
    by_status = {s: 0 for s in Status}
    by_type: dict[int, dict] = {}
    by_dept: dict[str, dict] = defaultdict(lambda: {"people": 0, "compliant": 0})
    expiring: dict[int, list[Cell]] = {30: [], 60: [], 90: []}
    total = 0
    for row in rows:
        dept = row.employee.department.name if row.employee.department else "—"
        by_dept[dept]["people"] += 1
        if row.compliant:
            by_dept[dept]["compliant"] += 1
        for cell in row.cells.values():
            total += 1
            by_status[cell.status] += 1
            entry = by_type.setdefault(
                cell.requirement_type.pk,
                {"type": cell.requirement_type, **{s.value: 0 for s in Status}, "total": 0},
            )
            entry[cell.status.value] += 1
            entry["total"] += 1
            if cell.valid_until is not None and cell.status != Status.PENDING:
                left = (cell.valid_until - today).days
                for horizon in expiring:
                    if 0 <= left <= horizon:
                        expiring[horizon].append(cell)
    for cells in expiring.values():
        cells.sort(key=lambda c: (c.valid_until, c.employee.legal_last_name))
    departments = [
        {"name": name, **v, "rate": round(100 * v["compliant"] / v["people"]) if v["people"]
         else 0}
        for name, v in sorted(by_dept.items())
    ]
    requirements = sorted(by_type.values(), key=lambda e: e["type"].name)
    for entry in requirements:
        good = entry["compliant"] + entry["expiring_soon"]
        entry["rate"] = round(100 * good / entry["total"]) if entry["total"] else 0
    return Dashboard(by_status, requirements, departments, expiring, total, len(rows))


def employee_compliance(employee: Employee, *, today: date | None = None) -> dict:
    """The compliance tab: each requirement's status plus the full record history."""
    row = status_matrix([employee], today=today)[0]
    history: dict[int, list[ComplianceRecord]] = defaultdict(list)
    for record in (
        ComplianceRecord.objects.filter(employee=employee)
        .select_related("requirement_type", "verified_by", "submitted_by")
        .order_by("requirement_type__name", "-created_at", "-id")
    ):
        history[record.requirement_type_id].append(record)
    cells = sorted(row.cells.values(), key=lambda c: c.requirement_type.name)
    other = [
        records for type_id, records in history.items() if type_id not in row.cells
    ]
    return {
        "cells": [(c, history.get(c.requirement_type.pk, [])) for c in cells],
        "other_history": other,
    }


def cells_due_for_reminder(*, today: date) -> list[Cell]:
    """Current, verified records with an expiry, for people in scope (constant queries)."""
    horizon = today + timedelta(days=max(reminder_offsets(), default=0))
    employee_ids = set(
        ComplianceRecord.objects.filter(
            verification=ComplianceRecord.Verification.VERIFIED
        ).filter(expires_on__lte=horizon).values_list("employee_id", flat=True)
    ) | set(
        ComplianceRecord.objects.filter(
            verification=ComplianceRecord.Verification.VERIFIED, reverify_on__lte=horizon
        ).values_list("employee_id", flat=True)
    )
    employees = list(
        employees_in_scope().filter(pk__in=employee_ids).select_related("manager", "user")
    )
    cells = []
    for row in status_matrix(employees, today=today):
        for cell in row.cells.values():
            if cell.record is not None and cell.valid_until is not None and (
                cell.record.verification == ComplianceRecord.Verification.VERIFIED
            ):
                cells.append(cell)
    return cells


def reminder_offsets() -> tuple[int, ...]:
    return tuple(getattr(settings, "COMPLIANCE_REMINDER_OFFSETS", (60, 30, 7)))


def escalation_stages() -> frozenset[str]:
    return frozenset(getattr(settings, "COMPLIANCE_ESCALATION_STAGES", ("7", "expired")))


def policy_versions_for_employee(employee: Employee) -> list[dict]:
    """Current versions of the policies that apply to the employee, with their state."""
    types = [t for t in requirements_for_employee(employee) if t.kind == RequirementKind.POLICY]
    versions = _current_versions({t.policy_id for t in types if t.policy_id})
    acked = set(
        Acknowledgement.objects.filter(
            employee=employee, version__in=list(versions.values())
        ).values_list("version_id", flat=True)
    )
    return [
        {"version": v, "policy": v.policy, "acknowledged": v.pk in acked}
        for v in sorted(versions.values(), key=lambda v: v.policy.title)
    ]


def policy_acknowledgement_status(policy) -> dict:
    """Who in scope has and has not acknowledged the current version (constant queries)."""
    versions = _current_versions({policy.pk})
    version = versions.get(policy.pk)
    if version is None:
        return {"version": None, "rows": [], "done": 0, "total": 0}
    rtype = RequirementType.objects.filter(policy=policy).first()
    employees = list(employees_in_scope())
    rules = [r for r in active_rules() if rtype and r.requirement_type_id == rtype.pk]
    in_scope = [e for e in employees if any(rule_matches(r, e) for r in rules)]
    acks = {
        a.employee_id: a
        for a in Acknowledgement.objects.filter(
            version=version, employee_id__in=[e.pk for e in in_scope]
        )
    }
    rows = [{"employee": e, "ack": acks.get(e.pk)} for e in in_scope]
    return {"version": version, "rows": rows, "done": len(acks), "total": len(in_scope)}
