"""Issue 10 checked as a payroll checker would: a rate rise back-dated three finalised periods
for an hourly person whose hours varied. Figures: the hours actually paid each period times
the difference in rate (HMRC NIM02065: arrears are earnings of the period they are paid in;
the amounts are this project's retro rule, payroll/services/retro.py), worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from employees.models import CompensationRecord
from payroll.models import PayComponent, Payslip, TaxProfile
from payroll.services.inputs import run_input_set
from payroll.services.retro import retro_preview
from payroll.services.runs import run_calculate, run_create
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.factories.employees_records import BankAccountFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _run_with_hours(schedule, number, employee, hours, component, user, capture):
    run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                     acting_user=user)
    run_input_set(run=run, employee=employee, component=component, quantity=D(hours),
                  acting_user=user)
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    return run


def test_rate_rise_back_dated_three_periods_pays_each_periods_own_hours(
        tax_months, pay_change, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    from payroll.services.runs import payslip_flag_override, run_approve, run_finalise

    # given an hourly employee at 14.00 paid 150, 172.5 and 140 hours in months 1-3, finalised
    capture = django_capture_on_commit_callbacks
    employee = EmployeeFactory(hire_date=date(2024, 1, 8))
    BankAccountFactory(employee=employee)
    CompensationRecordFactory(employee=employee, basis=CompensationRecord.Basis.HOURLY,
                              annual_salary=None, hourly_rate=D("14.00"), currency="GBP",
                              pay_schedule=tax_months)
    TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                              ni_category="A")
    hours = PayComponent.objects.create(code="HOURS", name="Hours", kind="earning",
                                        calculation="rate_x_hours")
    finalised = []
    for number, worked in ((1, "150"), (2, "172.5"), (3, "140")):
        run = _run_with_hours(tax_months, number, employee, worked, hours, payroll_admin,
                              capture)
        for payslip in run.payslips.all():  # hours vary month to month: accept the variance
            if any(f["code"] == "variance" for f in payslip.flags):
                payslip_flag_override(payslip=payslip, code="variance", comment="hours",
                                      acting_user=payroll_admin)
        run_approve(run=run, acting_user=second_payroll_admin)
        run_finalise(run=run, acting_user=second_payroll_admin)
        finalised.append(Payslip.objects.get(run=run, employee=employee))
    # when the preview is asked for a rise to 15.00 from 6 April 2025 (the start of month 1)
    from employees.services.core import PayData

    pay = PayData(basis="hourly", currency="GBP", pay_schedule=tax_months, annual_salary=None,
                  hourly_rate=D("15.00"))
    # then it reaches 3 finalised periods: (150 + 172.5 + 140) h x 1.00 = 462.50
    assert retro_preview(employee=employee, effective_date=date(2025, 4, 6), pay=pay) == (
        3, D("462.50"))
    # when the rise is saved and month 4 is calculated with 160 hours
    pay_change(employee, date(2025, 4, 6), "15.00", schedule=tax_months, basis="hourly")
    run = _run_with_hours(tax_months, 4, employee, "160", hours, payroll_admin, capture)
    payslip = Payslip.objects.get(run=run, employee=employee)
    arrears = list(payslip.lines.filter(code="ARREARS").order_by("sort_order"))
    # then one line per period, each the hours paid then x 1.00: 150.00, 172.50, 140.00
    assert [(ln.description, ln.amount) for ln in arrears] == [
        ("Arrears: hourly pay 6 Apr \u2013 5 May", D("150.00")),
        ("Arrears: hourly pay 6 May \u2013 5 Jun", D("172.50")),
        ("Arrears: hourly pay 6 Jun \u2013 5 Jul", D("140.00")),
    ]
    # and each names the finalised payslip it corrects, with what was paid (14.00 x hours)
    assert [ln.trace["inputs"]["corrects"] for ln in arrears] == [
        [p.display_number] for p in finalised]
    assert [ln.trace["inputs"]["paid"] for ln in arrears] == ["2100.00", "2415.00", "1960.00"]
    # month 4 itself: 160 h x 15.00 = 2,400.00; gross 2,400.00 + 462.50 = 2,862.50
    assert payslip.gross == D("2862.50")
    assert "retro_pay" in payslip.reasons
