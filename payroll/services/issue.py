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
`run_finalise`, which writes them with the payslip numbers (`payslips_save_issued`).
"""

import json
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from employees.selectors import bank_details_for_payment
from payroll.models import PaymentMethod, PayRun, Payslip, PayslipLine, TaxProfile
from payroll.services.employer import employer_details
from payroll.services.payment_details import payer_name
from payroll.services.periods import period_number

ISSUE_FIELDS = ("payment_method", "bank_snapshot", "bank_last4", "issued_details")
MISSING_BANK = "missing_bank_details"
ZERO = Decimal("0")


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


def _uk_tax(run: PayRun, traces: dict[str, dict], profile: TaxProfile | None,
            ni_last4: str) -> dict:
    """The UK setup as the calculation used it (PAYE and NI line traces), else the profile."""
    paye, ni = traces.get("PAYE") or {}, traces.get("NI_EE") or {}
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


def _line_ytd(run: PayRun, tax_year: str) -> dict:
    """(employee, code) -> sum of the line's amounts in the tax year's finalised payslips paid
    on or before this run's pay date (corrections carry reversal lines, so sums stay right)."""
    rows = PayslipLine.objects.filter(
        payslip__employee_id__in=run.payslips.values("employee_id"), payslip__tax_year=tax_year,
        payslip__run__status__in=PayRun.FROZEN, payslip__run__pay_date__lte=run.pay_date,
    ).exclude(payslip__run_id=run.pk).values("payslip__employee_id", "code").annotate(
        total=Sum("amount")).order_by()
    return {(r["payslip__employee_id"], r["code"]): r["total"] for r in rows}


def _overridden_comment(overrides: list[dict]) -> str:
    return next((o.get("comment", "") for o in overrides if o.get("code") == MISSING_BANK), "")


def _payment(row: dict, bank) -> tuple[str, str, str, str]:
    """(method, encrypted-field JSON, last 4, reason paid outside the file)."""
    if row["net"] == 0:
        return "", "", "", ""
    if row["net"] < 0:
        return PaymentMethod.OUTSIDE, "", "", _("Net pay is negative: recover it outside the file")
    if bank is None:
        return (PaymentMethod.OUTSIDE, "", "",
                _overridden_comment(row["overrides"]) or _("No bank account"))
    return PaymentMethod.BANK, json.dumps(asdict(bank), sort_keys=True), bank.last4, ""


def _line_amounts(run: PayRun) -> tuple[dict, dict]:
    """This run's amounts per payslip and line code, and (UK) only the two traces that name the
    tax setup: loading every line's trace would be most of the work for a large run."""
    own: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for payslip_id, code, amount in PayslipLine.objects.filter(payslip__run=run).values_list(
            "payslip_id", "code", "amount").order_by():
        own[payslip_id][code] += amount
    traces: dict[int, dict[str, dict]] = defaultdict(dict)
    if run.schedule.jurisdiction == "UK":
        for payslip_id, code, trace in PayslipLine.objects.filter(
                payslip__run=run, code__in=("PAYE", "NI_EE")).values_list(
                "payslip_id", "code", "trace").order_by("payslip_id", "sort_order"):
            traces[payslip_id].setdefault(code, trace)
    return own, traces


def issue_details(run: PayRun, payslips: list[Payslip]) -> tuple[str, ...]:
    """Fill ISSUE_FIELDS on `payslips` (unsaved objects of the run with only pk set); the field
    names. A fixed number of queries, with the run's employees as subqueries, not id lists."""
    rows = {r["pk"]: r for r in run.payslips.values(
        "pk", "employee_id", "net", "overrides", "tax_year", "employee__national_id_last4")}
    own, traces = _line_amounts(run)
    banks = bank_details_for_payment([r["employee_id"] for r in rows.values()])
    jurisdiction = run.schedule.jurisdiction
    profiles = {p.employee_id: p for p in TaxProfile.objects.filter(
        employee_id__in=run.payslips.values("employee_id"), jurisdiction=jurisdiction)}
    prior = {}
    for tax_year in {r["tax_year"] for r in rows.values()}:
        prior.update(_line_ytd(run, tax_year))
    employer = {"payer_name": payer_name(run.schedule), **employer_details(run.schedule)}
    for target in payslips:
        row = rows[target.pk]
        emp = row["employee_id"]
        method, snapshot, last4, reason = _payment(row, banks.get(emp))
        target.payment_method, target.bank_snapshot, target.bank_last4 = method, snapshot, last4
        line_ytd = {code: str(prior.get((emp, code), ZERO) + amount)
                    for code, amount in own[target.pk].items()}
        tax = (_uk_tax(run, traces[target.pk], profiles.get(emp),
                       row["employee__national_id_last4"])
               if jurisdiction == "UK" else {"w4": w4_summary(profiles.get(emp))})
        target.issued_details = {"employer": employer, "tax": tax, "line_ytd": line_ytd,
                                 "paid_outside_reason": reason}
    return ISSUE_FIELDS


def payslips_save_issued(payslips: list[Payslip], fields: list[str]) -> None:
    """Write `fields` of many payslips at once (finalisation: the numbers and ISSUE_FIELDS).

    On PostgreSQL one UPDATE ... FROM (VALUES ...) per 1,000 rows: Django's bulk_update builds
    a CASE with a branch per row for every field, which PostgreSQL evaluates row by row (22 s
    for the numbers alone of 20,000 payslips on the bench machine, against about 2 s here)."""
    if connection.vendor != "postgresql":
        Payslip.objects.bulk_update(payslips, fields, batch_size=1000)
        return
    columns = [Payslip._meta.get_field(name) for name in fields]
    quoted = [connection.ops.quote_name(c.column) for c in columns]
    names = ", ".join(quoted)
    sets = ", ".join(f"{name} = v.{name}" for name in quoted)
    row_sql = "(%s::bigint, " + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    table = connection.ops.quote_name(Payslip._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(payslips), 1000):
            chunk = payslips[start:start + 1000]
            params: list = []
            for payslip in chunk:
                params.append(payslip.pk)
                params.extend(c.get_db_prep_save(getattr(payslip, c.attname), connection)
                              for c in columns)
            # Identifiers come from the model's metadata; every value is a query parameter.
            cursor.execute(
                f"UPDATE {table} AS p SET {sets} FROM (VALUES "  # noqa: S608
                f"{', '.join([row_sql] * len(chunk))}) AS v(id, {names}) WHERE p.id = v.id",
                params)
