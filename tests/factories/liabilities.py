"""Finalised pay runs for an employer's tax liabilities, built directly (the calculation is
tested elsewhere): each payslip gets the lines and year-to-date increments given."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip, PayslipLine

_numbers = itertools.count(700_001)


def employer_schedule(*, country: str = "GB", name: str = "", reference: str = "") -> PaySchedule:
    uk = country == "GB"
    schedule, _ = PaySchedule.objects.get_or_create(
        name=name or f"Liabilities {country}",
        defaults={"frequency": "monthly", "country": country, "currency": "GBP" if uk else "USD",
                  "first_period_start": date(2026, 1, 1), "employer_legal_name": "Acme Ltd",
                  "employer_paye_reference": (reference or "123/AB45678") if uk else "",
                  "employer_ein": "" if uk else (reference or "12-3456789")})
    return schedule


def finalised_payslips(schedule: PaySchedule, pay_date: date, slips: list[dict], *,
                       period: tuple[date, date] | None = None,
                       status: str = PayRun.Status.FINALISED) -> PayRun:
    """`slips`: dicts of employee, lines {code: (category, amount)}, increments, gross."""
    start, end = period or (pay_date.replace(day=1), pay_date)
    period_row = PayPeriod.objects.create(schedule=schedule, number=pay_date.month,
                                          start_date=start, end_date=end, pay_date=pay_date)
    run = PayRun.objects.create(schedule=schedule, period=period_row, pay_date=pay_date,
                                currency=schedule.currency, status=PayRun.Status.APPROVED)
    for slip in slips:
        lines = {code: (cat, Decimal(amount)) for code, (cat, amount) in slip["lines"].items()}
        gross = Decimal(slip.get("gross", "3000.00"))
        tax = sum((a for c, a in lines.values() if c == "employee_tax"), Decimal("0"))
        er = sum((a for c, a in lines.values() if c == "employer_tax"), Decimal("0"))
        payslip = Payslip.objects.create(
            run=run, employee=slip["employee"], currency=run.currency, tax_year="2026-27",
            gross=gross, total_pre_tax=Decimal("0"), total_employee_tax=tax,
            total_post_tax=Decimal("0"), net=gross - tax, employer_cost=gross + er,
            total_employer_tax=er, ytd=slip.get("ytd", {}), number=next(_numbers),
            ytd_increments={k: str(v) for k, v in slip.get("increments", {}).items()},
            inputs_hash="test")
        PayslipLine.objects.bulk_create(
            PayslipLine(payslip=payslip, sort_order=i, code=code, description=code,
                        category=cat, amount=amount)
            for i, (code, (cat, amount)) in enumerate(lines.items()))
    if status != PayRun.Status.APPROVED:
        PayRun.objects.filter(pk=run.pk).update(
            status=status, finalised_at=datetime.combine(pay_date - timedelta(days=2),
                                                         datetime.min.time(), tzinfo=UTC))
        run.refresh_from_db()
    return run


def uk_lines(paye="400.00", ee="200.00", er="300.00", sl="0", pgl="0") -> dict:
    lines = {"PAYE": ("employee_tax", paye), "NI_EE": ("employee_tax", ee),
             "NI_ER": ("employer_tax", er)}
    if Decimal(sl):
        lines["SL"] = ("employee_tax", sl)
    if Decimal(pgl):
        lines["PGL"] = ("employee_tax", pgl)
    return lines


def us_lines(fit="300.00", ss="186.00", medicare="43.50", addl="0") -> dict:
    return {"FIT": ("employee_tax", fit), "SS": ("employee_tax", ss),
            "MEDICARE": ("employee_tax", medicare), "ADDL_MEDICARE": ("employee_tax", addl),
            "ER_SS": ("employer_tax", ss), "ER_MEDICARE": ("employer_tax", medicare)}
