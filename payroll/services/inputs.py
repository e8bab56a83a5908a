"""One-off run inputs (the grid, pasted rows and CSV files): every value is checked against its
component and the person BEFORE anything is written, so an input can never be wrong silently.

Rules (HROps policy, README "Run inputs"):
- several inputs of one component for one person all count (two bonuses: two lines);
- hours and rates are never negative; an amount is negative only when the component allows it
  (``PayComponent.allows_negative``: refunds or clawbacks);
- HOURS and OVERTIME are paid at the person's own rate, so they take hours only, and only in a
  run that pays salary or wages (not an off-cycle run);
- salaried staff get no regular HOURS (their salary pays their contracted hours), and OVERTIME
  only when their job record has contracted weekly hours (the rate is annual / 52 / hours);
- a fixed component takes an amount (or its default), a rate x hours component takes hours.
Bulk entry (paste or CSV) is all or nothing: every row is checked, then all are written in one
transaction, or none and each bad row is reported.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.context import audit_context
from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from employees.models import Employee
from employees.selectors import compensation_bases_as_of, weekly_hours_as_of
from payroll.models import PayComponent, PayRun, RunInput
from payroll.selectors import run_employee_ids
from payroll.services.calculation import HOURS_CODE, OVERTIME_CODE
from payroll.services.runs import require_payroll_admin, run_mark_inputs_changed

EDITABLE = {PayRun.Status.DRAFT, PayRun.Status.CALCULATED, PayRun.Status.APPROVED}
COLUMNS = ("employee_number", "component", "quantity", "rate", "amount", "note")
REQUIRED_COLUMNS = {"employee_number", "component"}
LIMIT = Decimal("1e9")


@dataclass(frozen=True)
class Values:
    quantity: Decimal | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None
    note: str = ""

    @property
    def empty(self) -> bool:
        return self.quantity is None and self.rate is None and self.amount is None


@dataclass
class PeopleFacts:
    """What the checks need to know about the people of a run, read once for many rows."""

    in_run: set[int]
    basis: dict[int, str]  # employee id -> "salary" / "hourly" in force at the period end
    weekly_hours: dict[int, Decimal]


def people_facts(run: PayRun, employee_ids: list[int]) -> PeopleFacts:
    """Three queries (plus the run's membership) for any number of employees."""
    end: date = run.period.end_date
    return PeopleFacts(in_run=set(run_employee_ids(run, among=employee_ids)),
                       basis=compensation_bases_as_of(employee_ids, end),
                       weekly_hours=weekly_hours_as_of(employee_ids, end))


def _editable(run: PayRun) -> None:
    if run.status not in EDITABLE:
        raise ValidationError(_("Inputs of a %(s)s run cannot be changed.")
                              % {"s": run.get_status_display().lower()})


def _hours_problem(run: PayRun, employee: Employee, component: PayComponent, values: Values,
                   facts: PeopleFacts) -> str | None:
    name = employee.display_name
    if run.kind == PayRun.Kind.OFF_CYCLE:
        return _("%(c)s is paid at the employee's own rate in a regular run; an off-cycle run "
                 "pays no salary or wages to work it out from.") % {"c": component.code}
    if values.quantity is None or values.rate is not None or values.amount is not None:
        return _("%(c)s takes hours only: it is paid at the employee's own rate.") % {
            "c": component.code}
    basis = facts.basis.get(employee.pk)
    if basis is None:
        return _("%(n)s has no salary or hourly rate in force on %(d)s.") % {
            "n": name, "d": run.period.end_date}
    if basis == "salary" and component.code == HOURS_CODE:
        return _("%(n)s is salaried: their salary pays their contracted hours. Enter extra "
                 "hours as OVERTIME.") % {"n": name}
    if basis == "salary" and employee.pk not in facts.weekly_hours:
        return _("%(n)s is salaried and their job record has no contracted hours a week, so "
                 "overtime has no hourly rate (salary / 52 / weekly hours). Record their weekly "
                 "hours with a job change first.") % {"n": name}
    return None


def input_problem(run: PayRun, employee: Employee, component: PayComponent, values: Values,
                  facts: PeopleFacts) -> str | None:
    """Why this input cannot be accepted, or None. The message names what to do instead."""
    if employee.pk not in facts.in_run:
        return _("%(n)s is not paid in this run.") % {"n": employee}
    if values.empty:
        return _("Give hours, a rate or an amount.")
    if (values.quantity is not None and values.quantity < 0) or (
        values.rate is not None and values.rate < 0
    ):
        return _("Hours and rates cannot be negative.")
    if values.amount is not None and values.amount < 0 and not component.allows_negative:
        return _("%(c)s does not allow negative amounts. To take back an overpayment, use a "
                 "component that allows them (e.g. a deduction) or correct the run that paid "
                 "it.") % {"c": component.code}
    if component.code in (HOURS_CODE, OVERTIME_CODE):
        return _hours_problem(run, employee, component, values, facts)
    if component.calculation == PayComponent.Calculation.FIXED and (
        values.quantity is not None or values.rate is not None
    ):
        return _("%(c)s is a fixed amount: give an amount, not hours or a rate.") % {
            "c": component.code}
    if component.calculation == PayComponent.Calculation.RATE_X_HOURS and (
        values.quantity is None
    ):
        return _("%(c)s is paid by the hour: give the hours.") % {"c": component.code}
    return None


def _write(run: PayRun, employee: Employee, component: PayComponent, values: Values,
           acting_user, run_input: RunInput | None) -> RunInput | None:
    """Add, change or remove one input; the audit keeps each field's before and after (the old
    value of a replaced input is kept, not [None, new])."""
    before = snapshot(run_input, INPUT_FIELDS) if run_input is not None else {}
    if run_input is not None and values.empty:
        audit_record(actor=acting_user, action="delete", obj=run, employee_id=employee.pk,
                     changes=_prefixed(component, diff(before, {})), note="run input removed")
        run_input.delete()
        return None
    if run_input is None:
        run_input = RunInput(run=run, employee=employee, component=component)
    run_input.quantity, run_input.rate, run_input.amount = (
        values.quantity, values.rate, values.amount)
    run_input.note = values.note[:200]
    run_input.save()
    run_input.refresh_from_db(fields=INPUT_FIELDS)  # stored (quantized) values, as `before` has
    audit_record(actor=acting_user, action="update", obj=run, employee_id=employee.pk,
                 changes=_prefixed(component, diff(before, snapshot(run_input, INPUT_FIELDS))),
                 note="run input added" if not before else "run input changed")
    return run_input


INPUT_FIELDS = ("quantity", "rate", "amount", "note")


def _prefixed(component: PayComponent, changes: dict) -> dict:
    """One audit row for the run lists several components: name each field after its code."""
    return {f"{component.code}.{name}": values for name, values in changes.items()}



@transaction.atomic
def run_input_set(*, run: PayRun, employee: Employee, component: PayComponent, acting_user,
                  quantity: Decimal | None = None, rate: Decimal | None = None,
                  amount: Decimal | None = None, note: str = "",
                  run_input: RunInput | None = None) -> RunInput | None:
    """Add an input (``run_input`` None: a NEW one, which counts alongside any other input of
    the same component), or change that one input (all values empty: remove it)."""
    require_payroll_admin(acting_user)
    require_not_self(acting_user, employee, _("pay run inputs"))
    run = PayRun.objects.select_for_update().select_related("period").get(pk=run.pk)
    _editable(run)
    if run_input is not None:
        run_input = RunInput.objects.select_for_update().filter(
            pk=run_input.pk, run=run).first()
        if run_input is None:
            raise ValidationError(_("That input no longer exists; reload the page."))
        employee, component = run_input.employee, run_input.component
    values = Values(quantity, rate, amount, note)
    if not (run_input is not None and values.empty):
        problem = input_problem(run, employee, component, values,
                                people_facts(run, [employee.pk]))
        if problem:
            raise ValidationError(problem)
    obj = _write(run, employee, component, values, acting_user, run_input)
    run_mark_inputs_changed(run)
    return obj


@dataclass
class ImportResult:
    created: int
    errors: list[tuple[int, str]]  # (line number, message)


def _decimal(raw: str | None, field: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("%(f)s %(v)r is not a number") % {"f": field, "v": raw}) from None
    if not value.is_finite() or abs(value) >= LIMIT:
        raise ValueError(_("%(f)s %(v)r is out of range") % {"f": field, "v": raw})
    places = 2 if field in ("quantity", "amount") else 4
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(_("%(f)s %(v)r has more than %(p)d decimal places")
                         % {"f": field, "v": raw, "p": places})
    return value


NOTE_MAX = 200  # RunInput.note


def _rows_from_text(text: str, *, header_required: bool) -> tuple[list[dict], list]:
    """Rows as dicts with their line numbers; a paste may omit the header (tab or comma)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    lines = [(n, row) for n, row in enumerate(reader, start=1) if any(c.strip() for c in row)]
    if not lines:
        return [], [(0, _("There are no rows."))]
    # A NUL byte cannot be stored (PostgreSQL text) nor even looked up: name the lines instead
    # of failing the request (a UTF-16 or binary file saved as .csv looks like this).
    nul = [(n, _("contains a null character: save the file as UTF-8 CSV text"))
           for n, row in lines if any("\x00" in c for c in row)]
    if nul:
        return [], nul
    head = lines[0][1]
    names = [c.strip().lower() for c in head]
    if "employee_number" in names:
        lines = lines[1:]
    elif header_required:
        names = []
    else:
        names = list(COLUMNS)
    missing = REQUIRED_COLUMNS - set(names)
    if missing:
        return [], [(1, _("Missing column(s): %(c)s") % {"c": ", ".join(sorted(missing))})]
    return [(n, dict(zip(names, row, strict=False))) for n, row in lines], []


def _check_rows(run: PayRun, rows: list, acting_user) -> tuple[list, list]:
    numbers = {(r.get("employee_number") or "").strip() for _n, r in rows}
    employees = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers)}
    components = {c.code: c for c in PayComponent.objects.filter(is_active=True)}
    facts = people_facts(run, [e.pk for e in employees.values()])
    valid, errors = [], []
    for lineno, row in rows:
        try:
            employee = employees.get((row.get("employee_number") or "").strip())
            if employee is None:
                raise ValueError(_("no employee has the number %(n)r")
                                 % {"n": row.get("employee_number")})
            if employee.user_id is not None and employee.user_id == acting_user.pk:
                raise ValueError(_("segregation of duties: you cannot enter your own inputs"))
            component = components.get((row.get("component") or "").strip().upper())
            if component is None:
                raise ValueError(_("unknown component %(c)r") % {"c": row.get("component")})
            note = (row.get("note") or "").strip()
            if len(note) > NOTE_MAX:  # as the grid's form says; never cut silently
                raise ValueError(_("the note is %(n)d characters long; at most %(max)d") % {
                    "n": len(note), "max": NOTE_MAX})
            values = Values(*(_decimal(row.get(f), f) for f in ("quantity", "rate", "amount")),
                            note=note)
            problem = input_problem(run, employee, component, values, facts)
            if problem:
                raise ValueError(problem)
            valid.append((employee, component, values))
        except ValueError as exc:
            errors.append((lineno, str(exc)))
    return valid, errors


def _rows_import(*, run: PayRun, text: str, acting_user, header_required: bool) -> ImportResult:
    require_payroll_admin(acting_user)
    _editable(run)
    rows, errors = _rows_from_text(text, header_required=header_required)
    if errors:
        return ImportResult(0, errors)
    valid, errors = _check_rows(run, rows, acting_user)
    if errors:
        return ImportResult(0, errors)
    with transaction.atomic(), audit_context(source="import"):
        locked = PayRun.objects.select_for_update().get(pk=run.pk)
        _editable(locked)
        for employee, component, values in valid:
            _write(locked, employee, component, values, acting_user, None)
        run_mark_inputs_changed(locked)
    return ImportResult(len(valid), [])


def run_inputs_import(*, run: PayRun, data: bytes, acting_user) -> ImportResult:
    """Add inputs from a CSV file with a header (employee_number, component, quantity, rate,
    amount, note). All or nothing; the report names each bad row by its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(0, [(0, _("The file is not UTF-8 text."))])
    return _rows_import(run=run, text=text, acting_user=acting_user, header_required=True)


def run_inputs_paste(*, run: PayRun, text: str, acting_user) -> ImportResult:
    """Add inputs pasted from a spreadsheet (tab separated) or typed as CSV; the header line is
    optional (without one the columns are employee_number, component, quantity, rate, amount,
    note). All or nothing, like the CSV import."""
    return _rows_import(run=run, text=text, acting_user=acting_user, header_required=False)
