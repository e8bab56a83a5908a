"""Correction runs: reverse what was paid and pay what should have been, never editing history.

A correction payslip holds the negated lines of what is in force for the employee (the original
payslip plus any earlier finalised corrections of the same run) and the freshly calculated lines,
so its totals and YTD increments are (new - old) and plain sums of finalised payslips stay right.

Where each part is worked out:
- earnings, deductions and NI: recalculated for the ORIGINAL payment (its period, its pay date,
  the other payments of its earnings period), then reversed and replaced;
- UK PAYE: the difference in taxable pay is taxed at the cumulative position of the
  correction's OWN pay date (HMRC: PAYE is deducted when a payment is made, in the tax period
  it is made in), i.e. against everything finalised up to then, the original included;
- the payslip's year to date is the true cumulative position after it: everything finalised up
  to its pay date (the original included) plus (new - old).
A correction must be paid inside the tax year of the payment it corrects; after that year's last
pay day it is refused (see ``check_correction_pay_date``).
"""

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from payroll import engine
from payroll.engine import tax_years
from payroll.engine.jurisdictions.registry import get as get_jurisdiction
from payroll.engine.jurisdictions.uk_paye import paye_tax
from payroll.engine.jurisdictions.us_federal import fica_difference
from payroll.models import PayRun, Payslip, PayslipLine
from payroll.selectors import ytd_by_employee
from payroll.services.calculation import (
    UK_LAST_PERIOD,
    _flag,
    build_payslip,
    prepare,
    store,
)

ZERO = Decimal("0")


def _tax_year_end(jurisdiction: str, tax_year: str) -> date:
    if jurisdiction == "UK":
        return date(int(tax_year[:4]) + 1, 4, 5)
    return date(int(tax_year), 12, 31)


def correction_pay_date_error(original: PayRun, pay_date: date) -> str | None:
    """Why a correction of ``original`` cannot be paid on ``pay_date``, or None."""
    jurisdiction = original.schedule.jurisdiction
    tax_year = get_jurisdiction(jurisdiction).tax_year_for(original.pay_date)
    last_day = _tax_year_end(jurisdiction, tax_year)
    if pay_date < original.pay_date:
        return _("A correction is paid after the payment it corrects (%(date)s), not before.") % {
            "date": original.pay_date.isoformat()}
    if pay_date <= last_day:
        return None
    if jurisdiction == "UK":
        return _(
            "This correction would be paid on %(date)s, after the last pay day of tax year "
            "%(year)s (%(end)s): that year is closed for PAYE. Pay the difference in a run of the "
            "current tax year instead (an off-cycle run, or an input in the next regular run: it "
            "is taxed when paid), and report any change to %(year)s's figures to HMRC with an "
            "Earlier Year Update or a corrected final FPS for that year.") % {
            "date": pay_date.isoformat(), "year": tax_year, "end": last_day.isoformat()}
    return _(
        "This correction would be paid on %(date)s, after the last pay day of %(year)s "
        "(%(end)s). Pay the difference in a run of the current year instead (an off-cycle run, "
        "taxed as supplemental wages), and correct %(year)s's wage statement with a Form W-2c.") % {
        "date": pay_date.isoformat(), "year": tax_year, "end": last_day.isoformat()}


def check_correction_pay_date(original: PayRun, pay_date: date) -> None:
    message = correction_pay_date_error(original, pay_date)
    if message is not None:
        raise ValidationError({"pay_date": message})


def _in_force_run_ids(run: PayRun) -> list[int]:
    original = run.corrects
    earlier = PayRun.objects.filter(corrects=original, status__in=PayRun.FROZEN).exclude(
        pk=run.pk).values_list("pk", flat=True)
    return [original.pk, *earlier]


def _reversal_lines(run_ids: list[int], employee_ids: list[int]):
    totals: dict[int, dict[tuple[str, str], list]] = defaultdict(dict)
    for emp, code, desc, category, amount in PayslipLine.objects.filter(
        payslip__run_id__in=run_ids, payslip__employee_id__in=employee_ids
    ).order_by("payslip__run__pay_date", "payslip_id", "sort_order").values_list(
        "payslip__employee_id", "code", "description", "category", "amount"
    ):
        entry = totals[emp].setdefault((code, category), [desc, ZERO])
        entry[1] += amount
    lines: dict[int, list[engine.PayLine]] = defaultdict(list)
    for emp, by_code in totals.items():
        for (code, category), (desc, amount) in by_code.items():
            if amount:
                lines[emp].append(engine.PayLine(
                    code, f"Reversal: {desc}", category, -amount,
                    trace={"formula": f"-({amount}) as paid in run(s) {run_ids}",
                           "rule": "correction reverses what was paid, then pays it again"}))
    return lines


def _increments_in_force(run_ids: list[int], employee_ids: list[int]):
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for emp, increments in Payslip.objects.filter(
        run_id__in=run_ids, employee_id__in=employee_ids
    ).values_list("employee_id", "ytd_increments"):
        for key, value in increments.items():
            totals[emp][key] = totals[emp].get(key, ZERO) + Decimal(value)
    return totals


def _position_at(run: PayRun, employee_ids: list[int], tax_year: str):
    """Year to date at the correction's own pay date: every finalised payment up to the end of
    its tax period (UK) or its pay date (US), the corrected one included. One query."""
    schedule = run.schedule
    until = run.pay_date
    if schedule.jurisdiction == "UK" and schedule.frequency in UK_LAST_PERIOD:
        until = tax_years.uk_tax_period_bounds(run.pay_date, schedule.frequency)[1]
    return ytd_by_employee(employee_ids, tax_year, on_or_before=until, exclude_run_ids={run.pk})


def _paye_difference(run: PayRun, p, taxable_difference: Decimal,
                     position: dict[str, Decimal]) -> engine.PayLine:
    """UK PAYE on the difference in taxable pay, at the correction's own pay date."""
    profile = p.inputs.uk_tax or engine.UKTaxProfile(week1_month1=True)
    frequency = run.schedule.frequency
    line = paye_tax(
        tax_year=p.tax_year, tax_code=profile.tax_code, week1_month1=profile.week1_month1,
        pay_frequency=frequency, period=tax_years.uk_tax_period(run.pay_date, frequency),
        taxable_pay=taxable_difference, ytd_taxable_pay=position.get("uk_taxable_pay", ZERO),
        ytd_tax_paid=position.get("uk_tax_paid", ZERO))
    note = {"correction": (f"difference in taxable pay {taxable_difference} taxed at the "
                           f"cumulative position of the correction's pay date "
                           f"{run.pay_date.isoformat()}")}
    return replace(line, description="Income tax (PAYE) on the correction",
                   trace={**line.trace, **note})


def _correct_one(run: PayRun, p, reversals, old: dict[str, Decimal], position):
    """(lines, increments, result) of one employee's correction payslip."""
    try:
        result = engine.calculate(p.inputs)
        new_lines, new_incr = list(result.lines), dict(result.ytd_increments)
    except (LookupError, ValueError, ArithmeticError) as exc:
        result, new_lines, new_incr = None, [], {}
        p.flags.append(_flag("calculation_error", f"{type(exc).__name__}: {exc}"))
    increments = dict(new_incr)
    for key, value in old.items():
        increments[key] = increments.get(key, ZERO) - value
    lines = reversals + new_lines
    if result is None:
        return lines, increments, result
    if run.schedule.jurisdiction == "UK":
        paye = _paye_difference(run, p, increments.get("uk_taxable_pay", ZERO), position)
        lines = [line for line in lines if line.code != "PAYE"] + [paye]
        increments["uk_tax_paid"] = paye.amount
    elif run.schedule.jurisdiction == "US":
        lines, fica = _us_fica_difference(p, lines, increments, position)
        increments["us_social_security_tax"] = _sum(fica, "SS")
        increments["us_medicare_tax"] = _sum(fica, "MEDICARE", "ADDL_MEDICARE")
    increments["net"] = sum((line.amount for line in lines
                             if line.category in ("earning", "reimbursement")), ZERO) - sum(
        (line.amount for line in lines if line.category in engine.types.DEDUCTION_CATEGORIES),
        ZERO)
    return lines, increments, result


FICA_CODES = ("SS", "MEDICARE", "ADDL_MEDICARE", "ER_SS", "ER_MEDICARE")


def _sum(lines: list[engine.PayLine], *codes: str) -> Decimal:
    return sum((line.amount for line in lines if line.code in codes), ZERO)


def _us_fica_difference(p, lines: list[engine.PayLine], increments: dict[str, Decimal],
                        position: dict[str, Decimal]):
    """US: FICA on the difference in FICA wages at the correction's true cumulative position
    (everything finalised this year up to the correction, the corrected paycheck included),
    not at the original paycheck's: later paychecks may already have reached the Social
    Security wage base or the Additional Medicare threshold. Replaces the reversed and the
    recalculated FICA lines (as PAYE is replaced in the UK)."""
    fica = fica_difference(tax_year=p.tax_year,
                           wages_difference=increments.get("us_fica_wages", ZERO),
                           ytd_fica_wages=position.get("us_fica_wages", ZERO))
    kept = [line for line in lines if line.code not in FICA_CODES]
    return kept + [line for line in fica if line.amount], fica


def calculate_correction_employees(run: PayRun, employee_ids: list[int]) -> int:
    original = run.corrects
    in_force = _in_force_run_ids(run)
    existing = {p.employee_id: p for p in Payslip.objects.filter(
        run=run, employee_id__in=employee_ids).only("id", "employee_id", "inputs_hash")}
    prepared = prepare(run, employee_ids, pay_date=original.pay_date,
                       exclude_run_ids=frozenset(in_force))
    positions = _position_at(run, employee_ids, prepared[0].tax_year) if prepared else {}
    refused = correction_pay_date_error(original, run.pay_date)
    for p in prepared:
        # What is reversed and where the correction stands are part of the input: a new
        # earlier correction or a newly finalised payment changes the result.
        state = repr((in_force, sorted(positions.get(p.employee.pk, {}).items())))
        p.inputs_hash = hashlib.sha256(f"{p.inputs_hash}:{state}".encode()).hexdigest()
    todo = [p for p in prepared if existing.get(p.employee.pk) is None
            or existing[p.employee.pk].inputs_hash != p.inputs_hash]
    if not todo:
        return 0
    reversals = _reversal_lines(in_force, [p.employee.pk for p in todo])
    old_increments = _increments_in_force(in_force, [p.employee.pk for p in todo])
    built = []
    for p in todo:
        p.reasons = ["correction"]
        # The payslip's YTD: the true position after it (the corrected payment included).
        p.prior_ytd = positions.get(p.employee.pk, {})
        if refused is not None:
            p.flags.append(_flag("calculation_error", refused))
            lines, increments, result = [], {}, None
        else:
            lines, increments, result = _correct_one(
                run, p, reversals.get(p.employee.pk, []), old_increments.get(p.employee.pk, {}),
                positions.get(p.employee.pk, {}))
        built.append((build_payslip(run, p, result, lines, None, increments=increments), lines))
    store(run, built, existing)
    return len(todo)
