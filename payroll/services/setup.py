"""Employee pay setup (tax details, recurring items) and per-run inputs (grid and CSV import)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.context import audit_context
from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from employees.models import Employee
from payroll.models import EmployeePayItem, PayComponent, PayRun, RunInput, TaxProfile
from payroll.services.runs import require_payroll_admin, run_mark_inputs_changed

EDITABLE = {PayRun.Status.DRAFT, PayRun.Status.CALCULATED, PayRun.Status.APPROVED}


def _audit_fields(model) -> list[str]:
    """Every stored field but the key and the owner: the audit keeps each one's before/after."""
    return [f.name for f in model._meta.concrete_fields
            if f.name not in ("id", "employee", "created_at", "updated_at")]


def _stored(obj) -> dict[str, object]:
    """The row as it is in the database now (empty for a new one), locked until commit."""
    if obj.pk is None:
        return {}
    stored = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    return snapshot(stored, _audit_fields(type(obj))) if stored else {}


@transaction.atomic
def tax_profile_save(*, profile: TaxProfile, acting_user) -> TaxProfile:
    """Save a validated tax profile (the form has run full_clean); audited field by field."""
    require_not_self(acting_user, profile.employee, _("tax setup"))
    is_new = profile.pk is None
    before = _stored(profile)
    profile.save()
    profile.refresh_from_db(fields=_audit_fields(TaxProfile))
    changes = diff(before, snapshot(profile, _audit_fields(TaxProfile)))
    if changes or is_new:
        audit_record(actor=acting_user, action="create" if is_new else "update", obj=profile,
                     employee_id=profile.employee_id, changes=changes, note="tax details")
    return profile


@transaction.atomic
def pay_item_save(*, item: EmployeePayItem, acting_user) -> EmployeePayItem:
    require_not_self(acting_user, item.employee, _("recurring pay items"))
    is_new = item.pk is None
    before = _stored(item)
    item.save()
    item.refresh_from_db(fields=_audit_fields(EmployeePayItem))
    changes = diff(before, snapshot(item, _audit_fields(EmployeePayItem)))
    if changes or is_new:
        audit_record(actor=acting_user, action="create" if is_new else "update", obj=item,
                     employee_id=item.employee_id, changes=changes,
                     note=f"recurring {item.component.code}")
    return item


@transaction.atomic
def pay_item_delete(*, item: EmployeePayItem, acting_user) -> None:
    require_not_self(acting_user, item.employee, _("recurring pay items"))
    audit_record(actor=acting_user, action="delete", obj=item, employee_id=item.employee_id,
                 changes=diff(_stored(item), {}), note=f"recurring {item.component.code}")
    item.delete()


def _editable(run: PayRun) -> None:
    if run.status not in EDITABLE:
        raise ValidationError(_("Inputs of a %(s)s run cannot be changed.")
                              % {"s": run.get_status_display().lower()})


@transaction.atomic
def run_input_set(*, run: PayRun, employee: Employee, component: PayComponent, acting_user,
                  quantity: Decimal | None = None, rate: Decimal | None = None,
                  amount: Decimal | None = None, note: str = "") -> RunInput | None:
    """Create, change or (all values empty) remove one employee's input for one component."""
    require_payroll_admin(acting_user)
    require_not_self(acting_user, employee, _("pay run inputs"))
    run = PayRun.objects.select_for_update().get(pk=run.pk)
    _editable(run)
    existing = (RunInput.objects.select_for_update()
                .filter(run=run, employee=employee, component=component).first())
    before = snapshot(existing, INPUT_FIELDS) if existing else {}
    if quantity is None and rate is None and amount is None:
        if existing is not None:
            existing.delete()
            audit_record(actor=acting_user, action="delete", obj=run, employee_id=employee.pk,
                         changes=_prefixed(component, diff(before, {})), note="run input")
        run_mark_inputs_changed(run)
        return None
    obj, _created = RunInput.objects.update_or_create(
        run=run, employee=employee, component=component,
        defaults={"quantity": quantity, "rate": rate, "amount": amount, "note": note})
    obj.refresh_from_db(fields=INPUT_FIELDS)  # stored (quantized) values, as `before` has
    changes = diff(before, snapshot(obj, INPUT_FIELDS))
    if changes:
        # The old value is kept (issue 12: a replaced input used to read [None, new]).
        audit_record(actor=acting_user, action="update", obj=run, employee_id=employee.pk,
                     changes=_prefixed(component, changes), note="run input")
    run_mark_inputs_changed(run)
    return obj


INPUT_FIELDS = ("quantity", "rate", "amount", "note")


def _prefixed(component: PayComponent, changes: dict) -> dict:
    """One audit row for the run lists several components: name each field after its code."""
    return {f"{component.code}.{name}": values for name, values in changes.items()}


@dataclass
class ImportResult:
    created: int
    errors: list[tuple[int, str]]  # (line number, message)


def _decimal(raw: str, field: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("%(f)s %(v)r is not a number") % {"f": field, "v": raw}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e9"):
        raise ValueError(_("%(f)s %(v)r is out of range") % {"f": field, "v": raw})
    return value


REQUIRED_COLUMNS = {"employee_number", "component"}


def run_inputs_import(*, run: PayRun, data: bytes, acting_user) -> ImportResult:
    """Import inputs from CSV (employee_number, component, quantity, rate, amount, note).

    All or nothing: every row is checked first; with any error nothing is written and the report
    names each bad row."""
    require_payroll_admin(acting_user)
    _editable(run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(0, [(0, _("The file is not UTF-8 text."))])
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        return ImportResult(0, [(1, _("Missing column(s): %(c)s") % {
            "c": ", ".join(sorted(missing))})])
    rows = list(reader)
    numbers = {r.get("employee_number", "").strip() for r in rows}
    employees = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers)}
    components = {c.code: c for c in PayComponent.objects.filter(is_active=True)}
    from payroll.selectors import run_employee_ids

    in_run = set(run_employee_ids(run))
    valid, errors, seen = [], [], set()
    for lineno, row in enumerate(rows, start=2):
        try:
            employee = employees.get((row.get("employee_number") or "").strip())
            if employee is None or employee.pk not in in_run:
                raise ValueError(_("employee %(n)r is not paid in this run")
                                 % {"n": row.get("employee_number")})
            if employee.user_id is not None and employee.user_id == acting_user.pk:
                raise ValueError(_("segregation of duties: you cannot enter your own inputs"))
            component = components.get((row.get("component") or "").strip().upper())
            if component is None:
                raise ValueError(_("unknown component %(c)r") % {"c": row.get("component")})
            values = [_decimal(row.get(f, ""), f) for f in ("quantity", "rate", "amount")]
            if all(v is None for v in values):
                raise ValueError(_("give a quantity, rate or amount"))
            if (employee.pk, component.pk) in seen:
                raise ValueError(_("duplicate row for this employee and component"))
            seen.add((employee.pk, component.pk))
            valid.append((employee, component, values, (row.get("note") or "")[:200]))
        except ValueError as exc:
            errors.append((lineno, str(exc)))
    if errors:
        return ImportResult(0, errors)
    with transaction.atomic(), audit_context(source="import"):
        for employee, component, (quantity, rate, amount), note in valid:
            run_input_set(run=run, employee=employee, component=component,
                          acting_user=acting_user, quantity=quantity, rate=rate, amount=amount,
                          note=note)
    return ImportResult(len(valid), [])
