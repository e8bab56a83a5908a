"""What a payslip records when its run is finalised, so that the payment file and the printed
payslip never depend on data changed afterwards:

- how the net pay is paid: into the employee's primary bank account as it is at finalisation
  (the account kept encrypted on the payslip, its last 4 digits for display), or outside the
  payment file (no bank account and the "missing bank details" flag overridden, e.g. "paid by
  cheque"; or a negative net pay, recovered outside the file);
- what the payslip prints: the employer (payer name, legal name, address, PAYE reference or
  EIN), the tax setup the calculation used (UK tax code, basis, NI category, tax period, masked
  NI number; US Form W-4 summary) and a year-to-date figure for every line.

`issue_details` fills these on unsaved Payslip objects in bulk (a fixed number of queries) for
`run_finalise`, which saves them with the payslip numbers in one bulk update.
"""

import json
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from employees.models import Employee
from payroll.models import PaymentMethod, PayRun, Payslip, PayslipLine, TaxProfile
from payroll.services.employer import employer_details
from payroll.services.payment_details import payer_name
from payroll.services.periods import period_number

ISSUE_FIELDS = ("payment_method", "bank_snapshot", "bank_last4", "issued_details")
MISSING_BANK = "missing_bank_details"
ZERO = Decimal("0")


def _bank_details(employee_ids: list[int]) -> dict:
    try:
        from employees.selectors import bank_details_for_payment
    except ImportError:  # an installation without bank details: everyone is paid outside
        return {}
    return bank_details_for_payment(employee_ids)


def uk_tax_period(run: PayRun) -> str:
    """"Month 8" / "Week 32": the UK tax month or week of the run's pay date (a fortnightly or
    four-weekly period takes the number of its last tax week), as HMRC RTI reports it."""
    number = period_number(run.schedule, run.period.start_date, run.period.end_date,
                           run.pay_date)
    return f"{'Month' if run.schedule.frequency == 'monthly' else 'Week'} {number}"


def w4_summary(profile: TaxProfile | None) -> str:
    """One line of the Form W-4 in force: what an employee checks their withholding against."""
    if profile is None:
        return _("No Form W-4 on file: withheld as single, no adjustments")
    if profile.exempt:
        return _("Form W-4: exempt from withholding")
    if profile.w4_form_year < 2020:
        return _("Form W-4 (%(year)d): %(status)s, %(n)d allowance(s), extra %(extra)s") % {
            "year": profile.w4_form_year, "status": profile.get_marital_status_display(),
            "n": profile.allowances, "extra": f"{profile.extra_withholding:.2f}"}
    return _("Form W-4 (2020 or later): %(status)s; Step 2 %(step2)s; Step 3 %(s3)s; "
             "4(a) %(s4a)s; 4(b) %(s4b)s; 4(c) %(s4c)s") % {
        "status": profile.get_filing_status_display(),
        "step2": _("checked") if profile.step2_checkbox else _("not checked"),
        "s3": f"{profile.step3_credits:.2f}", "s4a": f"{profile.step4a_other_income:.2f}",
        "s4b": f"{profile.step4b_deductions:.2f}", "s4c": f"{profile.step4c_extra_withholding:.2f}"}


def _uk_tax(run: PayRun, lines: list[PayslipLine], profile: TaxProfile | None,
            ni_last4: str) -> dict:
    """The UK setup as the calculation used it (PAYE and NI line traces), else the profile."""
    paye = next((x.trace for x in lines if x.code == "PAYE"), {}) or {}
    ni = next((x.trace for x in lines if x.code == "NI_EE"), {}) or {}
    inputs = paye.get("inputs", {})
    basis = inputs.get("basis") or (
        "week 1 / month 1" if profile is None or profile.week1_month1 else "cumulative")
    return {
        "tax_code": inputs.get("tax_code") or (profile.tax_code if profile else "") or "1257L",
        "basis": basis,
        "ni_category": ni.get("inputs", {}).get("category")
        or (profile.ni_category if profile else "") or "A",
        "ni_number": f"•••• {ni_last4}" if ni_last4 else "",
        # The tax period of the pay date (HMRC RTI reports a payment in that tax month / week),
        # also when the tax itself was worked on a week 1 / month 1 basis.
        "tax_period": uk_tax_period(run),
    }


def _line_ytd(run: PayRun, employee_ids: list[int], tax_year: str) -> dict:
    """(employee, code) -> sum of the line's amounts in the tax year's finalised payslips paid
    on or before this run's pay date (corrections carry reversal lines, so sums stay right)."""
    rows = PayslipLine.objects.filter(
        payslip__employee_id__in=employee_ids, payslip__tax_year=tax_year,
        payslip__run__status__in=PayRun.FROZEN, payslip__run__pay_date__lte=run.pay_date,
    ).exclude(payslip__run_id=run.pk).values("payslip__employee_id", "code").annotate(
        total=Sum("amount")).order_by()
    return {(r["payslip__employee_id"], r["code"]): r["total"] for r in rows}


def _overridden_comment(payslip: Payslip) -> str:
    return next((o.get("comment", "") for o in payslip.overrides if o.get("code") == MISSING_BANK),
                "")


def _payment(payslip: Payslip, bank) -> tuple[str, str, str, str]:
    """(method, encrypted-field JSON, last 4, reason paid outside the file)."""
    if payslip.net == 0:
        return "", "", "", ""
    if payslip.net < 0:
        return PaymentMethod.OUTSIDE, "", "", _("Net pay is negative: recover it outside the file")
    if bank is None:
        return PaymentMethod.OUTSIDE, "", "", _overridden_comment(payslip) or _("No bank account")
    return PaymentMethod.BANK, json.dumps(asdict(bank), sort_keys=True), bank.last4, ""


def issue_details(run: PayRun, payslips: list[Payslip]) -> tuple[str, ...]:
    """Fill ISSUE_FIELDS on `payslips` (unsaved objects with only pk set); the field names."""
    rows = {p.pk: p for p in run.payslips.filter(pk__in=[p.pk for p in payslips]).only(
        "id", "employee_id", "net", "overrides", "tax_year").order_by()}
    employee_ids = [p.employee_id for p in rows.values()]
    lines: dict[int, list[PayslipLine]] = defaultdict(list)
    for line in PayslipLine.objects.filter(payslip__run=run).only(
            "payslip_id", "code", "amount", "trace").order_by("payslip_id", "sort_order"):
        lines[line.payslip_id].append(line)
    banks = _bank_details(employee_ids)
    jurisdiction = run.schedule.jurisdiction
    profiles = {p.employee_id: p for p in TaxProfile.objects.filter(
        employee_id__in=employee_ids, jurisdiction=jurisdiction)}
    ni_last4 = dict(Employee.objects.filter(pk__in=employee_ids).values_list(
        "pk", "national_id_last4")) if jurisdiction == "UK" else {}
    tax_years = {p.tax_year for p in rows.values()}
    prior = {}
    for tax_year in tax_years:
        prior.update(_line_ytd(run, employee_ids, tax_year))
    employer = {"payer_name": payer_name(run.schedule), **employer_details(run.schedule)}
    for target in payslips:
        row = rows[target.pk]
        emp = row.employee_id
        method, snapshot, last4, reason = _payment(row, banks.get(emp))
        target.payment_method, target.bank_snapshot, target.bank_last4 = method, snapshot, last4
        own: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in lines[row.pk]:
            own[line.code] += line.amount
        line_ytd = {code: str(prior.get((emp, code), ZERO) + amount)
                    for code, amount in own.items()}
        tax = (_uk_tax(run, lines[row.pk], profiles.get(emp), ni_last4.get(emp, ""))
               if jurisdiction == "UK" else {"w4": w4_summary(profiles.get(emp))})
        target.issued_details = {"employer": employer, "tax": tax, "line_ytd": line_ytd,
                                 "paid_outside_reason": reason}
    return ISSUE_FIELDS
