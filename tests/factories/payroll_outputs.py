"""A finalised pay run with payslips and lines, built directly (the calculation pipeline is
tested by payroll_runs); totals follow the engine's invariant net = gross - deductions."""

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

from employees.services.bank import bank_account_add
from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip, PayslipLine

_numbers = itertools.count(900_001)

DEFAULT_LINES = (
    ("BASIC", "Basic pay", "earning", "160", "20.000000", "3200.00"),
    ("OVERTIME", "Overtime", "earning", "4", "30.000000", "120.00"),
    ("PENSION", "Pension", "pre_tax_deduction", None, None, "160.00"),
    ("PAYE", "Income tax", "employee_tax", None, None, "410.40"),
    ("NI_EE", "Employee NI", "employee_tax", None, None, "120.16"),
    ("LOAN", "Loan repayment", "post_tax_deduction", None, None, "50.00"),
    ("NI_ER", "Employer NI", "employer_tax", None, None, "380.27"),
    ("PENSION_ER", "Employer pension", "employer_contribution", None, None, "96.00"),
)


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def payslip_for(run: PayRun, employee, lines=DEFAULT_LINES) -> Payslip:
    def total(*cats: str) -> Decimal:
        return sum((Decimal(x[5]) for x in lines if x[2] in cats), Decimal("0.00"))

    gross = total("earning", "reimbursement")
    pre, tax, post = total("pre_tax_deduction"), total("employee_tax"), total("post_tax_deduction")
    payslip = Payslip.objects.create(
        run=run, employee=employee, currency=run.currency, tax_year="2026-27", gross=gross,
        total_pre_tax=pre, total_employee_tax=tax, total_post_tax=post,
        net=gross - pre - tax - post,
        employer_cost=gross + total("employer_tax", "employer_contribution"),
        total_employer_tax=total("employer_tax"),
        ytd={"gross": str(gross * 8), "uk_tax_paid": "3283.20"}, inputs_hash="test",
    )
    PayslipLine.objects.bulk_create(
        PayslipLine(payslip=payslip, sort_order=i, code=code, description=desc, category=cat,
                    quantity=_d(qty), rate=_d(rate), amount=Decimal(amount))
        for i, (code, desc, cat, qty, rate, amount) in enumerate(lines)
    )
    return payslip


def finalised_run(employees, *, currency: str = "GBP", country: str = "GB",
                  finalise: bool = True, lines=DEFAULT_LINES) -> PayRun:
    schedule, _ = PaySchedule.objects.get_or_create(
        name=f"Outputs {currency}",
        defaults={"frequency": "monthly", "country": country, "currency": currency,
                  "first_period_start": date(2026, 4, 1)},
    )
    start = date(2026, 11, 1) if not PayPeriod.objects.filter(schedule=schedule).exists() else \
        date(2026, 4 + PayPeriod.objects.filter(schedule=schedule).count(), 1)
    period = PayPeriod.objects.create(
        schedule=schedule, number=start.month, start_date=start,
        end_date=start.replace(day=28), pay_date=start.replace(day=27),
    )
    run = PayRun.objects.create(
        schedule=schedule, period=period, status=PayRun.Status.APPROVED,
        pay_date=period.pay_date, currency=currency,
    )
    for employee in employees:
        payslip = payslip_for(run, employee, lines)
        Payslip.objects.filter(pk=payslip.pk).update(number=next(_numbers))
    if finalise:
        # The finalise service is exercised by payroll_runs; here only its outcome matters.
        PayRun.objects.filter(pk=run.pk).update(
            status=PayRun.Status.FINALISED, finalised_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        )
        run.refresh_from_db()
    return run


def add_bank(employee, actor, **details) -> None:
    scheme = details.pop("scheme", "uk")
    defaults = {
        "uk": {"country": "GB", "sort_code": "200000", "account_number": "55779911"},
        "us_ach": {"country": "US", "routing_number": "011000015",
                   "account_number": "123456789012", "account_type": "checking"},
        "iban": {"country": "FR", "iban": "FR1420041010050500013M02606", "bic": "PSSTFRPPXXX"},
    }[scheme]
    bank_account_add(
        acting_user=actor, employee=employee, notify=False,
        details={"scheme": scheme, "holder_name": f"{employee.legal_first_name} Holder",
                 **defaults, **details},
    )
