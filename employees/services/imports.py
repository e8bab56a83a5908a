"""Bulk import of new employees and of job/pay changes from CSV or XLSX.

The whole file is checked first (columns, values, look-ups, duplicates), every error of every row
in one pass; then it is applied inside ONE transaction, so nothing is written unless the entire
file is valid. New employees (up to 20,000 in a file) are written in bulk by
`employees_bulk_create` (the same rows and audit events as `employee_create`); changes go through
the normal services, each row in a savepoint so every failing row is reported, and a dry run of
changes runs them too and rolls back. Audit events carry source "import". Large files are checked
and applied by a worker: see `employees.services.import_jobs`.

Columns are declared per kind in `KINDS` (required, optional, planner): a new column is a name
there and a `r.get(...)` in the planner.
"""

import csv
import functools
import io
import zipfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from audit.context import audit_context
from employees.countries import country_code
from employees.hooks import record_extensions
from employees.models import (
    ChangeReason,
    CompensationRecord,
    Department,
    Employee,
    EmploymentType,
    JobTitle,
    Location,
)
from employees.selectors import compensation_as_of, job_as_of
from employees.services.bulk_hire import Hire, employees_bulk_create
from employees.services.changes import (
    compensation_change,
    job_change,
    pay_validate,
    quantize_pay,
)
from employees.services.core import JobData, PayData, check_weekly_hours
from employees.services.import_checks import employee_field_errors
from employees.services.proposals import pay_change_needs_second_approval
from hrops import exports
from payroll.models import PaySchedule

MAX_BYTES = 20 * 1024 * 1024
# New employees are written in bulk; changes through the per-row services (~30 queries a row),
# which a worker must finish within its time limit (settings.DELIVERY_TASK_SOFT_TIME_LIMIT).
MAX_ROWS = {"employees": 20_000, "changes": 5_000}
PROGRESS_EVERY = 500
ALLOWED_EXTENSIONS = (".csv", ".xlsx")

EMPLOYEE_REQUIRED = ("employee_number", "legal_first_name", "legal_last_name", "work_email",
                     "hire_date", "department", "location", "job_title", "work_country",
                     "pay_basis", "amount", "currency")
EMPLOYEE_OPTIONAL = ("preferred_name", "manager_number", "employment_type", "fte",
                     "pay_schedule", "weekly_hours")
CHANGE_REQUIRED = ("employee_number", "effective_date", "reason")
CHANGE_OPTIONAL = ("job_title", "department", "location", "manager_number", "employment_type",
                   "fte", "pay_basis", "amount", "currency", "pay_schedule", "note", "weekly_hours")
JOB_COLUMNS = ("job_title", "department", "location", "manager_number", "employment_type", "fte",
               "weekly_hours")
PAY_COLUMNS = ("pay_basis", "amount", "currency", "pay_schedule")

TEMPLATES = {
    "employees": (
        [*EMPLOYEE_REQUIRED[:4], "preferred_name", *EMPLOYEE_REQUIRED[4:8], "manager_number",
         "employment_type", "fte", "work_country", "pay_basis", "amount", "currency",
         "pay_schedule", "weekly_hours"],
        ["E1001", "Jane", "Doe", "jane.doe@example.com", "Janie", "2026-01-05", "Engineering",
         "London", "Software Engineer", "E0001", "full_time", "1.000", "GB", "salary",
         "52000.00", "GBP", "UK monthly", "37.5"],
    ),
    "changes": (
        [*CHANGE_REQUIRED, *CHANGE_OPTIONAL],
        ["E1001", "2026-04-01", "promotion", "Senior Software Engineer", "", "", "", "", "",
         "salary", "61000.00", "", "", "Annual review", ""],
    ),
}

# Where a service's field error belongs in the file.
FIELD_TO_COLUMN = {
    "manager": "manager_number", "basis": "pay_basis", "annual_salary": "amount",
    "hourly_rate": "amount", "start_date": "hire_date",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    summary: str
    apply: Callable[[object, dict], None] | None = None  # per-row services (changes)
    depends_on: str = ""  # employee number created by another row of this file
    key: str = ""
    hire: Hire | None = None  # a new employee, written in bulk
    # What apps above write once that employee exists (custom fields): fn(acting_user, employee)
    extras: tuple[Callable, ...] = ()


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding)."""


# Reading -----------------------------------------------------------------------------------

def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return repr(value)  # shortest exact decimal form of what Excel stored
    return str(value).strip()


def read_table(name: str, content: bytes) -> list[list[object]]:
    """Rows of the first sheet (XLSX) or the CSV, header first."""
    lower = name.lower()
    if not lower.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)s MB; split it into smaller files.")
                              % {"mb": MAX_BYTES // (1024 * 1024)})
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if content[:2] == b"PK" or b"\x00" in content[:1024]:
        raise ImportFileError(_("This is not a text CSV file; save it as CSV (UTF-8) or .xlsx."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The CSV is not UTF-8 encoded; save it as “CSV UTF-8”.")) from exc
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a valid Excel .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) > max(MAX_ROWS.values()) + 1:
                break
        return rows
    finally:
        workbook.close()


def _normalise_header(value: object) -> str:
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


# Parsing values ----------------------------------------------------------------------------

class _Cell(ValueError):
    pass


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Cell(_("“%(v)s” is not a date; use YYYY-MM-DD, e.g. 2026-03-31.")
                    % {"v": value}) from None


def _decimal(value: object) -> Decimal:
    text = str(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Cell(_("“%(v)s” is not a number.") % {"v": value}) from None
    if not number.is_finite():
        raise _Cell(_("“%(v)s” is not a number.") % {"v": value})
    return number


def _choice(value: object, choices: Iterable[tuple[str, str]]) -> str:
    text = str(value).strip().lower()
    for key, _label in choices:  # the key first: a label costs a translation
        if text == key:
            return key
    for key, label in choices:
        if text == str(label).lower():
            return key
    raise _Cell(_("“%(v)s” is not one of: %(options)s.")
                % {"v": value, "options": ", ".join(k for k, _label in choices)})


# `TextChoices.choices` builds a new list on every access: once here, not twice per row.
EMPLOYMENT_TYPES = EmploymentType.choices
PAY_BASES = CompensationRecord.Basis.choices
CHANGE_REASONS = ChangeReason.choices

# The names of the look-up tables, for the translation catalogue (translated when used).
LOOKUP_NAMES = (gettext_noop("department"), gettext_noop("location"), gettext_noop("job title"),
                gettext_noop("pay schedule"), gettext_noop("employee"), gettext_noop("manager"))


class _Lookups:
    """Reference data loaded once per file (a few queries, whatever the row count)."""

    def __init__(self, numbers: set[str]) -> None:
        self.departments: dict[str, Department] = {}
        for d in Department.objects.all():
            self.departments[d.name.lower()] = d
            self.departments[d.code.lower()] = d
        self.locations = {loc.name.lower(): loc for loc in Location.objects.all()}
        self.titles = {t.name.lower(): t for t in JobTitle.objects.all()}
        self.schedules = {s.name.lower(): s for s in PaySchedule.objects.all()}
        self.employees = {
            e.employee_number.lower(): e
            for e in Employee.objects.filter(employee_number__in=numbers)
        }

    def get(self, table: dict, value: object, what: str):
        """`what` names the table in the message: one of LOOKUP_NAMES, translated only when
        the value is unknown (a gettext per row per column cost seconds at 20,000 rows)."""
        found = table.get(str(value).strip().lower())
        if found is None:
            raise _Cell(_("Unknown %(what)s “%(v)s”.") % {"what": _(what), "v": value})
        return found


# Building the plan -------------------------------------------------------------------------

def _check_columns(header: list[str], required: tuple, optional: tuple) -> list[RowError]:
    errors = []
    known = set(required) | set(optional)
    for name in header:
        if name and name not in known:
            errors.append(RowError(1, name, _("Unknown column “%(c)s”.") % {"c": name}))
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            errors.append(RowError(1, name, _("Column “%(c)s” appears twice.") % {"c": name}))
        seen.add(name)
    for name in required:
        if name not in header:
            errors.append(RowError(1, name, _("Missing required column “%(c)s”.") % {"c": name}))
    return errors


class _RowReader:
    def __init__(self, row_no: int, values: dict[str, object], errors: list[RowError]) -> None:
        self.row_no, self.values, self.errors = row_no, values, errors
        self.failed = False

    def raw(self, column: str) -> object:
        return self.values.get(column, "")

    def get(self, column: str, parse: Callable[[object], object] = str, required: bool = False):
        value = self.raw(column)
        if value in ("", None):
            if required:
                self.error(column, _("This column is required."))
            return None
        try:
            return parse(value)
        except _Cell as exc:
            self.error(column, str(exc))
            return None

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.row_no, column, message))


Progress = Callable[[int], None]


def _ticker(progress: Progress | None) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    return tick


def _plan_employees(rows: list[tuple[int, dict]], errors: list[RowError],
                    progress: Progress | None = None) -> list[PlannedRow]:
    numbers = {str(v.get("employee_number", "")).strip() for _n, v in rows}
    numbers |= {str(v.get("manager_number", "")).strip() for _n, v in rows}
    look = _Lookups({n for n in numbers if n})
    existing_emails = {
        e.lower() for e in Employee.objects.filter(
            work_email__in=[str(v.get("work_email", "")).strip() for _n, v in rows]
        ).values_list("work_email", flat=True)
    }
    in_file_numbers = {str(v.get("employee_number", "")).strip().lower() for _n, v in rows}
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    today = timezone.localdate()
    planned: list[PlannedRow] = []
    tick = _ticker(progress)
    for done, (row_no, values) in enumerate(rows, start=1):
        tick(done)
        r = _RowReader(row_no, values, errors)
        number = r.get("employee_number", required=True)
        first = r.get("legal_first_name", required=True)
        last = r.get("legal_last_name", required=True)
        email = r.get("work_email", required=True)
        hire_date = r.get("hire_date", _date, required=True)
        department = r.get("department", lambda v: look.get(look.departments, v, "department"),
                           required=True)
        location = r.get("location", lambda v: look.get(look.locations, v, "location"),
                         required=True)
        title = r.get("job_title", lambda v: look.get(look.titles, v, "job title"),
                      required=True)
        etype = r.get("employment_type", lambda v: _choice(v, EMPLOYMENT_TYPES))
        fte = r.get("fte", _decimal)
        weekly_hours = r.get("weekly_hours", _decimal)
        country = r.get("work_country", _country, required=True)
        basis = r.get("pay_basis", lambda v: _choice(v, PAY_BASES),
                      required=True)
        amount = r.get("amount", _decimal, required=True)
        currency = r.get("currency", required=True)
        schedule = r.get("pay_schedule",
                         lambda v: look.get(look.schedules, v, "pay schedule"))
        manager_number = r.get("manager_number")
        if number:
            key = number.lower()
            if key in seen_numbers:
                r.error("employee_number", _("Duplicate of row %(row)s.")
                        % {"row": seen_numbers[key]})
            elif key in look.employees:
                r.error("employee_number", _("Employee %(n)s already exists.") % {"n": number})
            seen_numbers.setdefault(key, row_no)
        if email:
            key = email.lower()
            if key in seen_emails:
                r.error("work_email", _("Duplicate of row %(row)s.") % {"row": seen_emails[key]})
            elif key in existing_emails:
                r.error("work_email", _("%(e)s is already someone's work email.") % {"e": email})
            seen_emails.setdefault(key, row_no)
        manager: Employee | None = None
        depends_on = ""
        if manager_number:
            if manager_number.lower() == (number or "").lower():
                r.error("manager_number", _("Nobody can be their own manager."))
            elif manager_number.lower() in in_file_numbers:
                depends_on = manager_number.lower()
            elif manager_number.lower() in look.employees:
                manager = look.employees[manager_number.lower()]
            else:
                r.error("manager_number", _("Unknown manager “%(v)s”.") % {"v": manager_number})
        # Every check of the row runs, whatever failed before it: the record's own field
        # validation (email, lengths) and the pay rules, so one dry run lists every error.
        preferred = r.get("preferred_name") or ""
        failed = {e.column for e in r.errors if e.row == row_no}
        for column, message in employee_field_errors(
                {"employee_number": number, "legal_first_name": first, "legal_last_name": last,
                 "work_email": email, "preferred_name": preferred, "fte": fte}, skip=failed):
            r.error(column, message)
        try:
            check_weekly_hours(weekly_hours)
        except ValidationError as exc:
            _add_validation_errors(errors, row_no, exc)
            r.failed = True
        pay = _check_pay(r, basis=basis, currency=currency, schedule=schedule, amount=amount)
        extras = _extension_rows(r, values)
        if r.failed:
            continue
        planned.append(_hire_row(
            row_no, number=number, first=first, last=last, email=email,
            preferred=preferred, hire_date=hire_date, country=country,
            job=dict(job_title=title, department=department, location=location,
                     manager=manager, employment_type=etype or EmploymentType.FULL_TIME,
                     fte=fte if fte is not None else Decimal("1.000"),
                     weekly_hours=weekly_hours),
            pay=pay, depends_on=depends_on, today=today, extras=extras,
        ))
    return _order_by_dependency(planned, errors)


def _extension_rows(r: "_RowReader", values: dict) -> list[Callable]:
    """The hook each import row calls (employees.hooks.RecordExtension.import_row): errors of
    the extra columns join the row's, and what to write once the employee exists."""
    applies = []
    for extension in record_extensions():
        problems, apply = extension.import_row(values)
        for column, message in problems:
            r.error(column, message)
        if apply is not None:
            applies.append(apply)
    return applies


def _country(value: object) -> str:
    try:
        return country_code(str(value))
    except ValidationError as exc:
        raise _Cell(exc.messages[0]) from exc


def _check_pay(r: "_RowReader", *, basis, currency, schedule, amount) -> PayData | None:
    if basis is None or currency is None or amount is None:
        return None
    try:
        return pay_validate(PayData(
            basis=basis, currency=currency, pay_schedule=schedule,
            annual_salary=amount if basis == "salary" else None,
            hourly_rate=amount if basis == "hourly" else None,
        ))
    except ValidationError as exc:
        r.failed = True
        _add_validation_errors(r.errors, r.row_no, exc)
        return None


@functools.lru_cache(maxsize=16)
def _hire_texts(language: str) -> tuple[str, dict[str, str]]:
    """The summary line and the pay-basis labels, translated once per language (not per row:
    at 20,000 rows the translations were a sixth of a check)."""
    return (_("New employee %(n)s %(name)s: %(title)s, %(dept)s, from %(d)s; %(cur)s %(amt)s "
              "(%(basis)s)"),
            {key: str(label).lower() for key, label in CompensationRecord.Basis.choices})


def _hire_row(row_no: int, *, number, first, last, email, preferred, hire_date, country, job,
              pay, depends_on, today, extras=()) -> PlannedRow:
    status = Employee.Status.ACTIVE if hire_date <= today else Employee.Status.PRE_HIRE
    amount = pay.annual_salary or pay.hourly_rate
    template, bases = _hire_texts(get_language())
    summary = template % {
        "n": number, "name": f"{first} {last}", "title": job["job_title"],
        "dept": job["department"], "d": hire_date, "cur": pay.currency, "amt": amount,
        "basis": bases[pay.basis],
    }

    hire = Hire(
        employee_number=number, legal_first_name=first, legal_last_name=last,
        preferred_name=preferred, work_email=email, hire_date=hire_date, work_country=country,
        job=JobData(**job), pay=pay, status=status, manager_key=depends_on,
    )
    return PlannedRow(row_no, summary, depends_on=depends_on, key=number.lower(), hire=hire,
                      extras=tuple(extras))


def _order_by_dependency(planned: list[PlannedRow], errors: list[RowError]) -> list[PlannedRow]:
    """Managers created in the same file go before their reports: breadth first from the rows
    whose manager is not in the file, linear in the rows (a 20,000-person tree, or a chain)."""
    keys = {p.key for p in planned}
    reports: dict[str, list[PlannedRow]] = {}
    level = []
    for p in planned:
        if p.depends_on and p.depends_on in keys:
            reports.setdefault(p.depends_on, []).append(p)
        else:
            level.append(p)
    ordered: list[PlannedRow] = []
    while level:
        ordered.extend(level)
        level = [r for p in level for r in reports.pop(p.key, ())]
    placed = {id(p) for p in ordered}
    for p in planned:
        if id(p) not in placed:
            errors.append(RowError(p.row, "manager_number",
                                   _("Managers in this file report to each other in a circle.")))
    return ordered


def _plan_changes(rows: list[tuple[int, dict]], errors: list[RowError],
                  progress: Progress | None = None) -> list[PlannedRow]:
    numbers = {str(v.get("employee_number", "")).strip() for _n, v in rows}
    numbers |= {str(v.get("manager_number", "")).strip() for _n, v in rows}
    look = _Lookups({n for n in numbers if n})
    seen: dict[tuple[str, date], int] = {}
    planned: list[PlannedRow] = []
    tick = _ticker(progress)
    for done, (row_no, values) in enumerate(rows, start=1):
        tick(done)
        r = _RowReader(row_no, values, errors)
        employee = r.get("employee_number",
                         lambda v: look.get(look.employees, v, "employee"), required=True)
        effective = r.get("effective_date", _date, required=True)
        reason = r.get("reason", lambda v: _choice(v, CHANGE_REASONS), required=True)
        job = {
            "job_title": r.get("job_title", lambda v: look.get(look.titles, v, "job title")),
            "department": r.get("department",
                                lambda v: look.get(look.departments, v, "department")),
            "location": r.get("location", lambda v: look.get(look.locations, v, "location")),
            "manager": r.get("manager_number",
                             lambda v: look.get(look.employees, v, "manager")),
            "employment_type": r.get("employment_type",
                                     lambda v: _choice(v, EMPLOYMENT_TYPES)),
            "fte": r.get("fte", _decimal),
            "weekly_hours": r.get("weekly_hours", _decimal),
        }
        pay = {
            "basis": r.get("pay_basis", lambda v: _choice(v, PAY_BASES)),
            "amount": r.get("amount", _decimal),
            "currency": r.get("currency"),
            "pay_schedule": r.get("pay_schedule",
                                  lambda v: look.get(look.schedules, v, "pay schedule")),
        }
        has_job = any(r.raw(c) not in ("", None) for c in JOB_COLUMNS)
        has_pay = any(r.raw(c) not in ("", None) for c in PAY_COLUMNS)
        if not (has_job or has_pay) and not r.failed:
            r.error("", _("The row changes nothing: fill in at least one job or pay column."))
        if has_pay and pay["amount"] is None and r.raw("amount") in ("", None):
            r.error("amount", _("A pay change needs the new amount."))
        if employee and effective:
            key = (employee.employee_number.lower(), effective)
            if key in seen:
                r.error("effective_date", _("Duplicate of row %(row)s (same employee and date).")
                        % {"row": seen[key]})
            seen.setdefault(key, row_no)
        if r.failed:
            continue
        planned.append(_change_row(row_no, employee, effective, reason,
                                   r.get("note") or "", job if has_job else None,
                                   pay if has_pay else None))
    return planned


def _change_row(row_no: int, employee: Employee, effective: date, reason: str, note: str,
                job: dict | None, pay: dict | None) -> PlannedRow:
    parts = []
    if job:
        parts.append(_("job: %(fields)s") % {"fields": ", ".join(
            f"{k.replace('_', ' ')} → {v}" for k, v in job.items() if v is not None)})
    if pay:
        parts.append(_("pay: %(cur)s %(amt)s") % {"cur": pay["currency"] or "", "amt":
                                                    pay["amount"]})
    summary = _("%(n)s %(name)s from %(d)s (%(reason)s): %(parts)s") % {
        "n": employee.employee_number, "name": employee.display_name, "d": effective,
        "reason": ChangeReason(reason).label.lower(), "parts": "; ".join(parts),
    }

    def apply(acting_user, created: dict) -> None:
        if job:
            _apply_job(acting_user, employee, effective, reason, note, job)
        if pay:
            _apply_pay(acting_user, employee, effective, reason, note, pay)

    return PlannedRow(row_no, summary, apply)


def _apply_job(acting_user, employee, effective, reason, note, job: dict) -> None:
    previous = job_as_of(employee, effective)
    merged = {}
    for name in ("job_title", "department", "location", "manager", "employment_type", "fte",
                 "weekly_hours"):
        value = job[name]
        if value is None and previous is not None:
            value = getattr(previous, name)
        merged[name] = value
    missing = [n for n in ("job_title", "department", "location") if merged[n] is None]
    if missing:
        raise ValidationError({n: _("No earlier job to carry this over from; fill it in.")
                               for n in missing})
    merged["employment_type"] = merged["employment_type"] or EmploymentType.FULL_TIME
    merged["fte"] = merged["fte"] if merged["fte"] is not None else Decimal("1.000")
    job_change(acting_user=acting_user, employee=employee, effective_date=effective,
               job=JobData(**merged), reason=reason, note=note)


def _apply_pay(acting_user, employee, effective, reason, note, pay: dict) -> None:
    previous = compensation_as_of(employee, effective)
    basis = pay["basis"] or (previous.basis if previous else None)
    if basis is None:
        raise ValidationError({"basis": _("No earlier pay to carry the basis over from.")})
    currency = pay["currency"] or (previous.currency if previous else "")
    schedule = pay["pay_schedule"] or (previous.pay_schedule if previous else None)
    amount = quantize_pay(pay["amount"], basis) if pay["amount"] > 0 else pay["amount"]
    data = PayData(basis=basis, currency=currency, pay_schedule=schedule,
                   annual_salary=amount if basis == "salary" else None,
                   hourly_rate=amount if basis == "hourly" else None)
    # The company's "pay changes need a second approver" (issue 12) holds for imports too: such a
    # change is entered on the profile, where it waits for another HR Admin or Payroll Admin.
    if pay["amount"] > 0 and pay_change_needs_second_approval(
            employee=employee, effective_date=effective, pay=data):
        raise ValidationError({"amount": _(
            "This pay change needs a second approver (Access levels): enter it on the "
            "person's Compensation tab, where it waits for another HR Admin or Payroll Admin.")})
    compensation_change(acting_user=acting_user, employee=employee, effective_date=effective,
                        reason=reason, note=note, pay=data)


def _add_validation_errors(errors: list[RowError], row_no: int, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            column = FIELD_TO_COLUMN.get(name, "" if name == "__all__" else name)
            errors.extend(RowError(row_no, column, m) for m in messages)
    else:
        errors.extend(RowError(row_no, "", m) for m in exc.messages)


# Running -----------------------------------------------------------------------------------

class _Rollback(Exception):
    pass


# kind -> (required columns, optional columns, planner): extend a kind's columns here.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable]] = {
    "employees": (EMPLOYEE_REQUIRED, EMPLOYEE_OPTIONAL, _plan_employees),
    "changes": (CHANGE_REQUIRED, CHANGE_OPTIONAL, _plan_changes),
}
# progress(phase, done, total): phase "check" while rows are checked, "apply" while written.
ImportProgress = Callable[[str, int, int], None]


def _rows(table: list[list[object]], header: list[str]) -> list[tuple[int, dict]]:
    return [
        (i, {h: (row[j] if j < len(row) else "") for j, h in enumerate(header) if h})
        for i, row in enumerate(table[1:], start=2)
        if any(c not in ("", None) for c in row)
    ]


def import_run(*, acting_user, kind: str, name: str, content: bytes, commit: bool,
               progress: ImportProgress | None = None) -> ImportResult:
    """Check (and, when `commit` and the whole file is valid, write) an import file."""
    result = ImportResult(kind=kind)
    try:
        table = read_table(name, content)
    except ImportFileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    if not table or not any(table[0]):
        result.errors.append(RowError(1, "", _("The file is empty.")))
        return result
    header = [_normalise_header(h) for h in table[0]]
    required, optional, planner = KINDS[kind]
    if kind == "employees":  # columns kept by apps above (custom fields: cf_<key>)
        optional = (*optional, *(c for ext in record_extensions() for c in ext.import_columns()))
    result.errors.extend(_check_columns(header, required, optional))
    if result.errors:
        return result
    rows = _rows(table, header)
    del table
    result.rows = len(rows)
    if not rows:
        result.errors.append(RowError(2, "", _("The file has a header but no rows.")))
        return result
    if len(rows) > MAX_ROWS[kind]:
        result.errors.append(RowError(0, "", _("At most %(n)s rows per file.")
                                      % {"n": f"{MAX_ROWS[kind]:,}"}))
        return result
    check = (lambda done: progress("check", done, len(rows))) if progress else None
    with ExitStack() as session:  # each extension reads its definitions once per import
        for extension in record_extensions() if kind == "employees" else ():
            session.enter_context(extension.import_session())
        result.planned = planner(rows, result.errors, check)
        if kind == "employees":
            _execute_hires(result, acting_user, commit, progress)
        else:
            # The rows that passed planning are still tried (and always rolled back when
            # anything failed), so the services' own checks of those rows are reported in the
            # same pass.
            _execute(result, acting_user, commit, progress)
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _execute_hires(result: ImportResult, acting_user, commit: bool,
                   progress: ImportProgress | None) -> None:
    """New employees: planning checked every row against the file and the database, so a dry
    run writes nothing; the import writes them all in bulk in one transaction."""
    if result.errors or not commit:
        return
    total = len(result.planned)
    with audit_context(source="import"), transaction.atomic():
        created = employees_bulk_create(
            acting_user=acting_user, hires=[p.hire for p in result.planned],
            progress=(lambda done: progress("apply", done, total)) if progress else None)
        for planned in result.planned:
            for extra in planned.extras:
                extra(acting_user, created[planned.key])
        result.committed = True


def _execute(result: ImportResult, acting_user, commit: bool,
             progress: ImportProgress | None = None) -> None:
    """Apply every row in one transaction; roll it all back for a dry run or any error."""
    created: dict[str, Employee] = {}
    total = len(result.planned)
    with audit_context(source="import"):
        try:
            with transaction.atomic():
                for done, planned in enumerate(result.planned, start=1):
                    try:
                        with transaction.atomic():  # savepoint: keep checking later rows
                            planned.apply(acting_user, created)
                    except ValidationError as exc:
                        _add_validation_errors(result.errors, planned.row, exc)
                    if progress and done % PROGRESS_EVERY == 0:
                        progress("apply" if commit else "check", done, total)
                if result.errors or not commit:
                    raise _Rollback
                result.committed = True
        except _Rollback:
            result.committed = False


def template_csv(kind: str) -> str:
    header, example = TEMPLATES[kind]
    return exports.to_csv([header, example], bom=False).decode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """The same header and example row as `template_csv`, as a workbook: every cell text, so
    Excel keeps leading zeros and ISO dates as typed (the importer reads both formats)."""
    header, example = TEMPLATES[kind]
    return exports.to_xlsx([header, example], title=f"{kind} import", freeze="A2")
