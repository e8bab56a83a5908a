"""Writes of the analytics app: the headcount plan (audited) and the snapshot refresh
(analytics.snapshot)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from analytics.models import HeadcountPlan, PayBand
from audit.services import audit_record, diff, snapshot
from employees.models import Department

PLAN_FIELDS = ("budget_headcount", "budget_fte", "note")


@transaction.atomic
def plan_save(*, acting_user, department: Department, month: date, budget_headcount: int,
              budget_fte: Decimal, note: str = "") -> HeadcountPlan:
    """Set one department's budget for one month (creating or changing it). Idempotent."""
    month = month.replace(day=1)
    plan = (HeadcountPlan.objects.select_for_update()
            .filter(department=department, month=month).first())
    before = snapshot(plan, PLAN_FIELDS) if plan else {}
    if plan is None:
        plan = HeadcountPlan(department=department, month=month)
    plan.budget_headcount, plan.budget_fte, plan.note = budget_headcount, budget_fte, note
    plan.updated_by = acting_user
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if before and not changes:
        return plan
    plan.save()
    audit_record(actor=acting_user, action="update" if before else "create", obj=plan,
                 changes=changes)
    return plan


def _plan_row(line: int, row: dict, departments: dict[str, Department]) -> dict:
    errors = []
    department = departments.get(str(row.get("department_code") or "").strip().upper())
    if department is None:
        errors.append(_("unknown department code %(code)r") % {"code": row.get("department_code")})
    try:
        month = date.fromisoformat(f"{str(row.get('month') or '').strip()[:7]}-01")
    except ValueError:
        month = None
        errors.append(_("month must be YYYY-MM"))
    try:
        headcount = int(str(row.get("budget_headcount") or "").strip())
        fte = Decimal(str(row.get("budget_fte") or "").strip())
        if headcount < 0 or fte < 0:
            raise ValueError
    except (ValueError, InvalidOperation):
        headcount, fte = None, None
        errors.append(_("budget_headcount and budget_fte must be numbers of 0 or more"))
    if errors:
        raise ValidationError(_("Line %(line)d: %(errors)s") % {
            "line": line, "errors": "; ".join(errors)})
    return {"department": department, "month": month, "budget_headcount": headcount,
            "budget_fte": fte.quantize(Decimal("0.01"))}


@transaction.atomic
def plan_import(*, acting_user, rows: list[list[object]]) -> int:
    """All or nothing: every bad line is named, nothing is written unless all are good."""
    if not rows:
        raise ValidationError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    wanted = {"department_code", "month", "budget_headcount", "budget_fte"}
    if not wanted <= set(header):
        raise ValidationError(_("The header must name department_code, month, "
                                "budget_headcount and budget_fte."))
    departments = {d.code.upper(): d for d in Department.objects.all()}
    parsed, errors = [], []
    for line, values in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        try:
            parsed.append(_plan_row(line, dict(zip(header, values, strict=False)),
                                    departments))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for row in parsed:
        plan_save(acting_user=acting_user, **row)
    return len(parsed)


BAND_FIELDS = ("minimum", "midpoint", "maximum")


@transaction.atomic
def pay_band_save(*, acting_user, job_title, currency: str, minimum: Decimal,
                  midpoint: Decimal, maximum: Decimal) -> PayBand:
    """Set a job title's pay band in one currency (audited; unchanged: nothing written)."""
    band = (PayBand.objects.select_for_update()
            .filter(job_title=job_title, currency=currency).first())
    before = snapshot(band, BAND_FIELDS) if band else {}
    band = band or PayBand(job_title=job_title, currency=currency)
    band.minimum, band.midpoint, band.maximum = minimum, midpoint, maximum
    band.updated_by = acting_user
    changes = diff(before, snapshot(band, BAND_FIELDS))
    if before and not changes:
        return band
    band.save()
    audit_record(actor=acting_user, action="update" if before else "create", obj=band,
                 changes=changes)
    return band
