"""Issue 10 checked the way a payroll checker would: scenarios the other tests do not cover,
each worked by hand. Figures: HMRC 2025-26 rates and thresholds (CWG2 2025-26 section 1.3:
monthly PT 1,048, ST 417, UEL 4,189; annual PT 12,570, ST 5,000; category A 8% / 2% / 15%),
1257L free pay 1,048.26 a month and the basic band 37,700 / 12 = 3,141.6666 a month (HMRC PAYE
specification, Tax Tables A and LR); directors' annual earnings period (HMRC NIM12002,
CWG2 2025-26 chapter 4)."""

from datetime import date
from decimal import Decimal

import pytest

from employees.models import CompensationRecord
from payroll.models import PayRun, Payslip, TaxProfile
from payroll.selectors import ytd_for
from payroll.services.runs import (
    payslip_flag_override,
    run_approve,
    run_correction_create,
    run_create,
    run_finalise,
)
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.test_multiple_payments import _calculate, _line, _off_cycle

pytestmark = pytest.mark.django_db
D = Decimal


def _ni(payslip: Payslip) -> tuple[Decimal, Decimal]:
    return _line(payslip, "NI_EE"), _line(payslip, "NI_ER")


def _finalise(run, approver, capture):
    for payslip in run.payslips.all():  # an off-cycle's net "varies" from the regular one
        if any(f["code"] == "variance" for f in payslip.flags):
            payslip_flag_override(payslip=payslip, code="variance", comment="checked",
                                  acting_user=run.calculated_by)
    run_approve(run=run, acting_user=approver)
    with capture(execute=False):  # PDFs and emails are not what these tests are about
        run_finalise(run=run, acting_user=approver)
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED
    return run


def _regular(schedule, number, calculator, approver, capture):
    run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                     acting_user=calculator)
    return _finalise(_calculate(run, calculator, capture), approver, capture)


def test_two_off_cycles_and_the_salary_of_one_month_pay_the_ni_of_the_month_as_a_whole(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: 3,900.00 April salary (30 April) and a 1,000 bonus on 2 May, both finalised
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    _regular(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    _finalise(_off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                         pay_date=date(2025, 5, 2)), second_payroll_admin, capture)
    # when a second off-cycle pays 500 on 5 May 2025 (still tax month 1, to 5 May)
    second = _off_cycle(uk_schedule, 1, emp, "500", payroll_admin, capture,
                        pay_date=date(2025, 5, 5)).payslips.get(employee=emp)
    # then NI on the month's 5,400: EE 8% x (4,189 - 1,048) = 251.28 + 2% x (5,400 - 4,189)
    # = 24.22 -> 275.50, less 265.50 already paid on 4,900 = 10.00 (2% only: above the UEL);
    # ER 15% x (5,400 - 417) = 747.45 less 672.45 = 75.00 (15% x 500)
    assert _ni(second) == (D("10.00"), D("75.00"))
    # and PAYE month 1 on 5,400: 5,400 - 1,048.26 -> 4,351 taxable: 628.3333 + 40% x
    # (4,351 - 3,141.6666) = 483.7333 -> 1,112.06 to date, less 912.06 paid = 200.00 (40% x 500)
    assert _line(second, "PAYE") == D("200.00")
    assert second.ytd["gross"] == "5400.00"


def test_a_directors_off_cycle_bonus_is_cumulative_over_the_year_not_the_month(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: a director (annual earnings period, NIM12002) on 48,000 (4,000 a month) and an
    # ordinary employee on the same pay; April's salary finalised
    capture = django_capture_on_commit_callbacks
    director = paid_employee(uk_schedule, salary="48000.00")
    TaxProfile.objects.filter(employee=director).update(is_director=True)
    staff = paid_employee(uk_schedule, salary="48000.00")
    april = _regular(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    # April: the director's 4,000 is below the annual ST 5,000: no NI; staff 8% x 2,952 =
    # 236.16 and 15% x 3,583 = 537.45
    assert _ni(april.payslips.get(employee=director)) == (D("0.00"), D("0.00"))
    # when each gets a 2,000 off-cycle bonus on 2 May (tax month 1)
    boss = _off_cycle(uk_schedule, 1, director, "2000", payroll_admin, capture,
                      pay_date=date(2025, 5, 2))
    boss_slip = boss.payslips.get(employee=director)
    other = _off_cycle(uk_schedule, 1, staff, "2000", payroll_admin, capture,
                       pay_date=date(2025, 5, 2)).payslips.get(employee=staff)
    # then the director: cumulative 6,000 for the year: EE nothing (below PT 12,570), ER 15% x
    # (6,000 - 5,000) = 150.00, nothing paid yet
    assert _ni(boss_slip) == (D("0.00"), D("150.00"))
    # the employee: the month's 6,000: EE 251.28 + 2% x (6,000 - 4,189) = 36.22 -> 287.50,
    # less 236.16 = 51.34; ER 15% x (6,000 - 417) = 837.45 less 537.45 = 300.00
    assert _ni(other) == (D("51.34"), D("300.00"))
    # and May's regular run for the director: cumulative 10,000: ER 15% x 5,000 = 750.00 less
    # 150.00 paid = 600.00; EE still nothing
    _finalise(boss, second_payroll_admin, capture)
    may = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=2),
                     acting_user=payroll_admin)
    _calculate(may, payroll_admin, capture)
    assert _ni(may.payslips.get(employee=director)) == (D("0.00"), D("600.00"))


def test_a_correction_of_a_correction_pays_only_what_is_still_missing(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: April 2025 paid at 3,000.00, corrected to 4,000.00 on 15 May (finalised)
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule)
    original = _regular(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    CompensationRecord.objects.filter(employee=emp).update(annual_salary=D("48000.00"))
    first = run_correction_create(original=original, employee_ids=[emp.pk],
                                  acting_user=payroll_admin, pay_date=date(2025, 5, 15))
    _finalise(_calculate(first, payroll_admin, capture), second_payroll_admin, capture)
    # when April is found to be 4,500 (54,000 a year) and the CORRECTION run is corrected
    CompensationRecord.objects.filter(employee=emp).update(annual_salary=D("54000.00"))
    second = run_correction_create(original=first, employee_ids=[emp.pk],
                                   acting_user=payroll_admin, pay_date=date(2025, 5, 20))
    fix = _calculate(second, payroll_admin, capture).payslips.get(employee=emp)
    # then it corrects April's payment (not the difference payslip as if it were a salary):
    # only the 500 still missing is paid
    assert second.corrects_id == original.pk
    assert fix.gross == D("500.00")
    # NI for April's earnings period on 4,500: 251.28 + 2% x 311 = 6.22 -> 257.50, less 236.16
    # = 21.34; ER 15% x 4,083 = 612.45 less 537.45 = 75.00
    assert _ni(fix) == (D("21.34"), D("75.00"))
    # PAYE at 20 May (month 2): 4,500 - 2,096.52 -> 2,403 x 20% = 480.60, less 380.60 = 100.00
    assert _line(fix, "PAYE") == D("100.00")
    assert (fix.ytd["gross"], fix.ytd["uk_tax_paid"]) == ("4500.00", "480.60")
    _finalise(second, second_payroll_admin, capture)
    assert ytd_for(emp, "2025-26")["gross"] == D("4500.00")
