"""US corrections: FICA on the difference at the year's true cumulative position (IRS Pub 15
section 9: the Social Security wage base, 184,500 in 2026, and the Additional Medicare threshold,
200,000, are calendar-year figures). Worked by hand: 2,600,000 a year is 100,000.00 a biweekly
paycheck; two paychecks (9 and 23 January 2026) are 200,000 of FICA wages."""

from datetime import date
from decimal import Decimal

import pytest

from employees.models import CompensationRecord
from payroll.models import Payslip
from payroll.services.runs import run_calculate, run_correction_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import finalised_run
from tests.payroll_runs.test_multiple_payments import us_schedule

pytestmark = pytest.mark.django_db
D = Decimal
__all__ = ["us_schedule"]  # the fixture, shared with test_multiple_payments


def _line(payslip: Payslip, code: str) -> Decimal:
    return sum((ln.amount for ln in payslip.lines.all() if ln.code == code), D("0"))


def test_correction_fica_is_at_the_true_cumulative_position(
        us_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given two finalised paychecks of 100,000.00: Social Security 6,200.00 on the first and
    # 6.2% x (184,500 - 100,000) = 5,239.00 on the second; no Additional Medicare yet (wages
    # reach 200,000 exactly, not above)
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(us_schedule, salary="2600000.00")
    first = finalised_run(us_schedule, 1, payroll_admin, second_payroll_admin, capture)
    second = finalised_run(us_schedule, 2, payroll_admin, second_payroll_admin, capture)
    assert _line(first.payslips.get(), "SS") == D("6200.00")
    assert _line(second.payslips.get(), "SS") == D("5239.00")
    assert _line(second.payslips.get(), "ADDL_MEDICARE") == D("0.00")

    # when the first paycheck is corrected on 1 February: the salary was 2,860,000 (110,000.00
    # a paycheck), 10,000.00 more FICA wages
    CompensationRecord.objects.filter(employee=emp).update(annual_salary=D("2860000.00"))
    run = run_correction_create(original=first, employee_ids=[emp.pk],
                                acting_user=payroll_admin, pay_date=date(2026, 2, 1))
    with capture(execute=True):
        run_calculate(run=run, acting_user=payroll_admin)
    payslip = Payslip.objects.get(run=run)

    # then, with 200,000 paid this year before the correction: no more Social Security (the
    # year is already past the 184,500 base; recalculated at the first paycheck's position it
    # would withhold 6.2% x 10,000 = 620.00 too much), Medicare 1.45% x 10,000 = 145.00 and
    # Additional Medicare 0.9% on all 10,000, now above 200,000 = 90.00
    assert _line(payslip, "SS") == D("0.00") and _line(payslip, "ER_SS") == D("0.00")
    assert _line(payslip, "MEDICARE") == D("145.00")
    assert _line(payslip, "ER_MEDICARE") == D("145.00")
    assert _line(payslip, "ADDL_MEDICARE") == D("90.00")
    assert payslip.ytd_increments["us_fica_wages"] == "10000.00"
    assert payslip.ytd_increments["us_social_security_tax"] == "0.00"
    assert payslip.ytd_increments["us_medicare_tax"] == "235.00"
    # the year to date after it: Social Security 6,200 + 5,239 = 11,439.00 = 6.2% x 184,500
    assert payslip.ytd["us_social_security_tax"] == "11439.00"
    assert payslip.ytd["us_fica_wages"] == "210000.00"
    # and the payslip adds up: net = gross - employee taxes (lines)
    assert payslip.net == payslip.gross - payslip.total_employee_tax - payslip.total_pre_tax - (
        payslip.total_post_tax)


def test_fica_difference_refunds_a_decrease_below_the_wage_base():
    # given 190,000 paid this year (Social Security stopped at 184,500), a correction of -10,000
    from payroll.engine.jurisdictions.us_federal import fica_difference

    lines = {ln.code: ln.amount for ln in fica_difference(
        tax_year="2026", wages_difference=D("-10000"), ytd_fica_wages=D("190000"))}
    # then wages fall to 180,000: Social Security 6.2% x (180,000 - 184,500) = -279.00;
    # Medicare -145.00; no Additional Medicare either side of the change
    assert lines["SS"] == lines["ER_SS"] == D("-279.00")
    assert lines["MEDICARE"] == D("-145.00") and lines["ADDL_MEDICARE"] == D("0.00")
