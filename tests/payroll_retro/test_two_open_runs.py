"""Two open regular runs of one schedule both work out the same arrears from the same finalised
history: only the first to be finalised pays them; the other is refused until recalculated, and
then pays only what is left (nothing). Figures: 36,000 -> 42,000 a year, 500.00 a month."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll.models import PayRun, Payslip
from payroll.selectors_retro import arrears_paid_since_calculation
from payroll.services.runs import (
    payslip_flag_override,
    run_approve,
    run_calculate,
    run_finalise,
)
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run

pytestmark = pytest.mark.django_db


def _arrears(run, employee) -> list[Decimal]:
    return [ln.amount for ln in Payslip.objects.get(run=run, employee=employee).lines.filter(
        code="ARREARS")]


def _approve(run, payroll_admin, second_payroll_admin):
    for payslip in run.payslips.all():
        for code in {f["code"] for f in payslip.flags if f.get("blocking")}:
            payslip_flag_override(payslip=payslip, code=code, acting_user=payroll_admin,
                                  comment="Expected: arrears.")
    run_approve(run=run, acting_user=second_payroll_admin)


def test_second_open_run_cannot_pay_the_same_arrears(
        tax_months, finalise, pay_change, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given months 1 and 2 finalised, then a rise back-dated to month 2 (500.00 of arrears)
    capture = django_capture_on_commit_callbacks
    employee = paid_employee(tax_months, salary="36000.00")
    finalise(tax_months, 1)
    finalise(tax_months, 2)
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    # and months 3 and 4 calculated side by side: both see the same 500.00
    month3 = calculated_run(tax_months, 3, payroll_admin, capture)
    month4 = calculated_run(tax_months, 4, payroll_admin, capture)
    assert _arrears(month3, employee) == _arrears(month4, employee) == [Decimal("500.00")]
    _approve(month3, payroll_admin, second_payroll_admin)
    _approve(month4, payroll_admin, second_payroll_admin)

    # when month 3 is finalised, then month 4
    run_finalise(run=month3, acting_user=second_payroll_admin)
    assert arrears_paid_since_calculation(month4) == 1
    with pytest.raises(ValidationError, match="arrears that another run has paid"):
        run_finalise(run=month4, acting_user=second_payroll_admin)

    # then month 4 is not finalised; recalculated, it pays no arrears (month 3 paid them)
    month4.refresh_from_db()
    assert month4.status == PayRun.Status.APPROVED
    with capture(execute=True):
        run_calculate(run=month4, acting_user=payroll_admin)
    month4.refresh_from_db()
    assert _arrears(month4, employee) == []
    assert arrears_paid_since_calculation(month4) == 0
    _approve(month4, payroll_admin, second_payroll_admin)
    run_finalise(run=month4, acting_user=second_payroll_admin)
    month4.refresh_from_db()
    assert month4.status == PayRun.Status.FINALISED
