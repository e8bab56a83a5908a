"""Opening balances from a CSV or XLSX file (the employee import's reader), with a dry run:
every row is checked first and the file is posted all or nothing, one "opening" ledger entry a
row. Columns: employee_number, leave_type, amount, effective_date, reason (optional)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from employees.models import Employee
from employees.services.imports import RowError, read_table
from timeoff.models import EntryKind, LeaveType
from timeoff.services.ledger import _audit_entry, entry_post
from timeoff.services.policies import require_timeoff_admin

COLUMNS = ("employee_number", "leave_type", "amount", "effective_date", "reason")
REQUIRED = COLUMNS[:4]


@dataclass
class OpeningResult:
    rows: list[tuple[int, Employee, LeaveType, Decimal, date, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False


def template_rows() -> list[list[object]]:
    return [list(COLUMNS), ["E00001", "Holiday", "12.5", "2026-01-01", "Balance from old system"]]


def _parse(row_no: int, values: dict, people: dict, types: dict, result: OpeningResult) -> None:
    def bad(column: str, message: str) -> None:
        result.errors.append(RowError(row_no, column, message))

    employee = people.get(str(values.get("employee_number", "")).strip())
    if employee is None:
        bad("employee_number", _("No employee with this number."))
    leave_type = types.get(str(values.get("leave_type", "")).strip().lower())
    if leave_type is None:
        bad("leave_type", _("No leave type with a balance has this name."))
    try:
        amount = Decimal(str(values.get("amount", "")).replace(",", ""))
        if not amount.is_finite() or amount == 0:
            raise InvalidOperation
    except InvalidOperation:
        bad("amount", _("Give a number other than zero."))
        amount = None
    raw_day = values.get("effective_date", "")
    try:
        day = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
    except ValueError:
        bad("effective_date", _("Use YYYY-MM-DD, e.g. 2026-01-01."))
        day = None
    if employee and leave_type and amount is not None and day:
        reason = str(values.get("reason") or _("Opening balance (import)"))[:255]
        result.rows.append((row_no, employee, leave_type, amount, day, reason))


def opening_import(*, name: str, content: bytes, acting_user, commit: bool) -> OpeningResult:
    """Check every row; with `commit` and no errors, post them in one transaction. Raises
    ImportFileError for a file that cannot be read at all."""
    require_timeoff_admin(acting_user)
    table = read_table(name, content)
    result = OpeningResult()
    if not table:
        result.errors.append(RowError(1, "", _("The file is empty.")))
        return result
    header = [str(h).strip().lower().replace(" ", "_") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(RowError(1, ", ".join(missing), _("Missing columns.")))
        return result
    body = [(n, dict(zip(header, row, strict=False))) for n, row in enumerate(table[1:], start=2)
            if any(str(v).strip() for v in row)]
    numbers = {str(v.get("employee_number", "")).strip() for _n, v in body}
    people = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers)}
    types = {t.name.lower(): t for t in LeaveType.objects.filter(tracks_balance=True)}
    for row_no, values in body:
        _parse(row_no, values, people, types, result)
    if commit and not result.errors:
        _post(result, acting_user)
    return result


@transaction.atomic
def _post(result: OpeningResult, acting_user) -> None:
    from employees.access import require_not_self

    for _row, employee, leave_type, amount, day, reason in result.rows:
        require_not_self(acting_user, employee, _("leave balance"))
        entry = entry_post(employee=employee, leave_type=leave_type, kind=EntryKind.OPENING,
                           amount=amount, effective_date=day, acting_user=acting_user,
                           reason=reason)
        _audit_entry(entry, acting_user, "leave balance opening (import)")
    result.committed = True
