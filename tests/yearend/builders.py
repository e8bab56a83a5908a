"""Finalised runs built directly (the calculation is tested by payroll_runs): an approved run with
payslips carrying the YTD increments and lines the engine would store, finalised through
payroll.services.runs.run_finalise (so numbering, issued details and the P45 hook all run)."""

from decimal import Decimal

from django.utils import timezone

from payroll.models import PayRun, Payslip, PayslipLine
from payroll.services.runs import run_finalise

D = Decimal


def uk_pay(gross: str, tax: str, ni: str, student_loan: str = "") -> tuple[dict, list]:
    increments = {"uk_taxable_pay": gross, "uk_tax_paid": tax, "uk_ni_pay": gross,
                  "uk_employee_ni": ni, "uk_employer_ni": "0"}
    lines = [("BASIC", "earning", gross), ("PAYE", "employee_tax", tax),
             ("NI_EE", "employee_tax", ni)]
    if student_loan:
        increments["uk_student_loan"] = student_loan
        lines.append(("SL", "employee_tax", student_loan))
    return increments, lines


def us_pay(gross: str, k401: str = "0", fit: str = "0") -> tuple[dict, list]:
    wages, fica = D(gross) - D(k401), D(gross)
    ss, medicare = (fica * D("0.062")).quantize(D("0.01")), (fica * D("0.0145")).quantize(
        D("0.01"))
    increments = {"us_income_tax_wages": str(wages), "us_fica_wages": str(fica),
                  "us_federal_income_tax": fit, "us_social_security_tax": str(ss),
                  "us_medicare_tax": str(medicare)}
    lines = [("BASIC", "earning", gross), ("401K", "pre_tax_deduction", k401),
             ("FIT", "employee_tax", fit), ("SS", "employee_tax", str(ss)),
             ("MEDICARE", "employee_tax", str(medicare))]
    return increments, lines


def finalised(schedule, number: int, pay: dict, acting_user, *, kind=PayRun.Kind.REGULAR,
              tax_year: str) -> PayRun:
    """`pay`: employee -> (increments, lines) as uk_pay / us_pay return them."""
    period = schedule.periods.get(number=number)
    run = PayRun.objects.create(schedule=schedule, period=period, kind=kind,
                                status=PayRun.Status.APPROVED, pay_date=period.pay_date,
                                currency=schedule.currency)
    for employee, (increments, lines) in pay.items():
        total = {c: sum((D(a) for _, cat, a in lines if cat == c), D("0")) for c in
                 ("earning", "pre_tax_deduction", "employee_tax")}
        payslip = Payslip.objects.create(
            run=run, employee=employee, currency=run.currency, tax_year=tax_year,
            gross=total["earning"], total_pre_tax=total["pre_tax_deduction"],
            total_employee_tax=total["employee_tax"], total_post_tax=D("0"),
            net=total["earning"] - total["pre_tax_deduction"] - total["employee_tax"],
            employer_cost=total["earning"], ytd_increments=increments, inputs_hash="t",
            calculated_at=timezone.now())
        PayslipLine.objects.bulk_create(
            PayslipLine(payslip=payslip, sort_order=i, code=code, description=code,
                        category=cat, amount=D(amount)) for i, (code, cat, amount) in
            enumerate(lines))
    run_finalise(run=run, acting_user=acting_user)
    run.refresh_from_db()
    return run
