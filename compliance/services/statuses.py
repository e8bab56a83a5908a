"""The stored status table (`ComplianceStatus`): recomputed from scratch for the people and
requirement types a change touches, inside the caller's transaction.

Every write that can change a status calls `compliance_status_refresh` with what it touched:
a record or acknowledgement -> that employee; a requirement type, rule or policy version -> that
type for everyone; a job change -> that employee (through `employees.hooks`). Statuses also
change with time alone (a record becomes "expiring soon", then "expired"): each row stores the
day that happens (`changes_on`) and `compliance_status_roll` (daily, beat) refreshes those rows.

The computation is `compliance.selectors.status_matrix`, the same code every page used before,
so the table cannot disagree with it on any rule (tests/compliance/test_status_table.py checks
the table against a recomputation after random sequences of changes).
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from compliance.models import ComplianceStatus, RequirementType
from compliance.selectors import active_rules, status_matrix, window_days_for
from compliance.services.summary import compliance_summary_changed
from compliance.status import Status
from employees.models import Employee

CHUNK = 2000
# Only what rule matching reads (compliance.selectors.rule_matches).
RULE_FIELDS = ("pk", "department_id", "location_id", "job_title_id", "employment_type",
               "work_country")


def _changes_on(status: Status, valid_until: date | None, window_days: int) -> date | None:
    """The first day the status differs with no change of data (compliance.status boundaries:
    valid through `valid_until`; expiring soon from `window_days` before it)."""
    if valid_until is None:
        return None
    if status is Status.COMPLIANT:
        return valid_until - timedelta(days=window_days)
    if status is Status.EXPIRING_SOON:
        return valid_until + timedelta(days=1)
    return None


def _chunks(employee_ids: Iterable[int] | None) -> Iterator[list[Employee]]:
    qs = Employee.objects.only(*RULE_FIELDS).order_by("pk")
    if employee_ids is not None:
        ids = sorted(set(employee_ids))
        for start in range(0, len(ids), CHUNK):
            yield list(qs.filter(pk__in=ids[start:start + CHUNK]))
        return
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _rows(employees: list[Employee], *, today: date, type_ids, rules) -> list[ComplianceStatus]:
    types = {r.requirement_type_id: r.requirement_type for r in rules}
    windows = {pk: window_days_for(t) for pk, t in types.items()}
    rows = []
    for row in status_matrix(employees, today=today, type_ids=type_ids, rules=rules):
        for type_id, cell in row.cells.items():
            window = windows[type_id]
            rows.append(ComplianceStatus(
                employee_id=row.employee.pk, requirement_type_id=type_id,
                status=cell.status.value, valid_until=cell.valid_until,
                changes_on=_changes_on(cell.status, cell.valid_until, window),
                computed_on=today,
            ))
    return rows


@transaction.atomic
def compliance_status_refresh(
    *, employee_ids: Iterable[int] | None = None, type_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> int:
    """Recompute the stored statuses of these employees (None: everyone) for these requirement
    types (None: all), deleting cells that no longer apply. Returns the rows written.

    Rows are replaced (delete, then insert with ON CONFLICT UPDATE), so two refreshes of the same
    cells in concurrent transactions never fail on the unique constraint."""
    today = today or timezone.localdate()
    type_ids = None if type_ids is None else sorted(set(type_ids))
    rules = active_rules()
    if type_ids is not None and not {r.requirement_type_id for r in rules} & set(type_ids):
        # Nobody needs these types (a new type, its last rule gone, deactivated): no cells.
        scope = ComplianceStatus.objects.filter(requirement_type_id__in=type_ids)
        if employee_ids is not None:
            scope = scope.filter(employee_id__in=list(employee_ids))
        scope.delete()
        compliance_summary_changed()
        return 0
    written = 0
    for employees in _chunks(employee_ids):
        scope = ComplianceStatus.objects.filter(employee_id__in=[e.pk for e in employees])
        if type_ids is not None:
            scope = scope.filter(requirement_type_id__in=type_ids)
        scope.delete()
        rows = _rows(employees, today=today, type_ids=type_ids, rules=rules)
        ComplianceStatus.objects.bulk_create(
            rows, batch_size=1000, update_conflicts=True,
            unique_fields=["employee", "requirement_type"],
            update_fields=["status", "valid_until", "changes_on", "computed_on"],
        )
        written += len(rows)
    compliance_summary_changed()
    return written


def compliance_status_refresh_type(*, requirement_type: RequirementType) -> int:
    """After a requirement type, one of its rules or its policy's version changed."""
    RequirementType.objects.select_for_update().filter(pk=requirement_type.pk).first()
    return compliance_status_refresh(type_ids=[requirement_type.pk])


def compliance_status_refresh_employees(employee_ids: Iterable[int]) -> int:
    """The employees hook (employees.hooks.job_fields_changed): after a job change."""
    return compliance_status_refresh(employee_ids=list(employee_ids))


def compliance_status_roll(*, today: date | None = None) -> int:
    """Daily: refresh every row whose status changes by today with no change of data (a record
    entering its 'expiring soon' window, or expiring). Idempotent: a second run that day finds
    nothing due, since refreshed rows carry their next change day."""
    today = today or timezone.localdate()
    due = set(ComplianceStatus.objects.filter(changes_on__lte=today)
              .values_list("employee_id", flat=True))
    return compliance_status_refresh(employee_ids=due, today=today) if due else 0
