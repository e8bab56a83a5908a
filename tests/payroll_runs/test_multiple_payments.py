"""Several payments in one tax period through the runs: an off-cycle bonus and the salary of
the same month, an off-cycle paid in another month, runs waiting for each other, US
supplemental wages. Figures: HMRC 2025-26 monthly thresholds (CWG2: PT 1,048, ST 417, UEL 4,189;
category A 8% / 2% / 15%), 1257L free pay 1,048.26 a month, basic band 37,700 / 12 =
3,141.6666 a month (PAYE spec v24); IRS Pub 15-T 2026 Worksheet 1A and Pub 15 section 7."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll.models import PayComponent, PayRun, Payslip
from payroll.services.inputs import run_input_set
from payroll.services.periods import periods_generate
from payroll.services.runs import (
    payslip_flag_override,
    run_approve,
    run_calculate,
    run_create,
    run_finalise,
)
from tests.factories.payroll_runs import USBiweeklyScheduleFactory, paid_employee
from tests.payroll_runs.helpers import finalised_run

pytestmark = pytest.mark.django_db
D = Decimal


def _line(payslip: Payslip, code: str) -> Decimal:
    return sum((ln.amount for ln in payslip.lines.all() if ln.code == code), D("0"))


def _off_cycle(schedule, number, employee, bonus, user, capture, *, pay_date):
    period = schedule.periods.get(number=number)
    run = run_create(schedule=schedule, period=period, acting_user=user,
                     kind=PayRun.Kind.OFF_CYCLE, employees=[employee], pay_date=pay_date)
    component, _ = PayComponent.objects.get_or_create(
        code="BONUS", defaults={"name": "Bonus", "kind": "earning"})
    run_input_set(run=run, employee=employee, component=component, amount=D(bonus),
                  acting_user=user)
    return _calculate(run, user, capture)


def _calculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error
    return run


def _codes(payslip: Payslip) -> set[str]:
    return {f["code"] for f in payslip.flags}


def _approve(run, approver):
    # An off-cycle payslip is compared with the last regular one, so its net "varies": accept
    # that flag as a reviewer would (it is not what these tests are about).
    calculator = run.calculated_by
    for payslip in run.payslips.all():
        if "variance" in _codes(payslip):
            payslip_flag_override(payslip=payslip, code="variance", comment="off-cycle bonus",
                                  acting_user=calculator)
    run_approve(run=run, acting_user=approver)


def _finalise(run, approver, capture):
    _approve(run, approver)
    with capture(execute=True):
        run_finalise(run=run, acting_user=approver)
    run.refresh_from_db()
    return run


def test_off_cycle_bonus_after_the_months_salary_pays_ni_on_the_month_as_a_whole(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: 46,800 a year (3,900.00 a month), April 2025 salary finalised (paid 30 April)
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    regular = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    salary = regular.payslips.get(employee=emp)
    # when: a 1,000.00 off-cycle bonus is paid on 2 May 2025, still tax month 1 (to 5 May)
    bonus_run = _off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                           pay_date=date(2025, 5, 2))
    bonus = bonus_run.payslips.get(employee=emp)
    # then: salary NI 8% x (3,900 - 1,048) = 228.16, 15% x (3,900 - 417) = 522.45; on the
    # month's 4,900: 251.28 + 2% x 711 = 265.50 and 15% x 4,483 = 672.45. The bonus bears the
    # difference: 37.34 and 150.00 (alone it would have been 0.00 and 87.45: the issue's
    # under-deduction of 37.34 and 62.55)
    assert (_line(salary, "NI_EE"), _line(salary, "NI_ER")) == (D("228.16"), D("522.45"))
    assert (_line(bonus, "NI_EE"), _line(bonus, "NI_ER")) == (D("37.34"), D("150.00"))
    # and PAYE is cumulative in month 1: salary 3,900 - 1,048.26 -> 2,851 x 20% = 570.20; with
    # the bonus 3,851: 20% x 3,141.6666 = 628.3333 + 40% x 709.3334 = 283.7333 -> 912.06
    assert _line(salary, "PAYE") == D("570.20")
    assert _line(bonus, "PAYE") == D("912.06") - D("570.20")
    assert "pending_payment_in_period" not in _codes(bonus)


def test_regular_run_after_a_finalised_off_cycle_counts_it(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: a 1,000 bonus paid and finalised on 15 April 2025 (tax month 1), then the
    # April salary run (30 April) is calculated
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    bonus_run = _off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                           pay_date=date(2025, 4, 15))
    _finalise(bonus_run, second_payroll_admin, capture)
    # when
    regular = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                         acting_user=payroll_admin)
    salary = _calculate(regular, payroll_admin, capture).payslips.get(employee=emp)
    # then: the bonus alone paid 0.00 / 87.45; the salary makes the month's 265.50 / 672.45
    assert (_line(salary, "NI_EE"), _line(salary, "NI_ER")) == (D("265.50"), D("585.00"))


def test_off_cycle_paid_in_another_tax_month_is_taxed_in_that_month(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: April salary (3,900) finalised; an off-cycle run for the April period PAID on
    # 20 May 2025, which is tax month 2 (6 May - 5 June)
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    # when
    bonus = _off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                       pay_date=date(2025, 5, 20)).payslips.get(employee=emp)
    # then: PAYE month 2: 4,900 - 2 x 1,048.26 = 2,803.48 -> 2,803 x 20% = 560.60, less 570.20
    # paid = -9.60 (month 2's free pay); NI: nothing else paid in month 2 yet: 0.00 / 87.45
    paye = bonus.lines.get(code="PAYE")
    assert paye.trace["table"]["monthly_number"] == 2
    assert paye.amount == D("-9.60")
    assert (_line(bonus, "NI_EE"), _line(bonus, "NI_ER")) == (D("0.00"), D("87.45"))
    # and May's regular run counts the bonus in its month: 4,900 -> 265.50 / 672.45 - 87.45
    _finalise(PayRun.objects.get(pk=bonus.run_id), second_payroll_admin, capture)
    may = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=2),
                     acting_user=payroll_admin)
    salary = _calculate(may, payroll_admin, capture).payslips.get(employee=emp)
    assert (_line(salary, "NI_EE"), _line(salary, "NI_ER")) == (D("265.50"), D("585.00"))


def test_a_later_payment_waits_for_an_unfinalised_earlier_one_then_counts_it(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: the April salary run calculated but not finalised, and a bonus run on 2 May
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    regular = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                         acting_user=payroll_admin)
    _calculate(regular, payroll_admin, capture)
    # when the bonus is calculated
    bonus_run = _off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                           pay_date=date(2025, 5, 2))
    bonus = bonus_run.payslips.get(employee=emp)
    # then it carries a blocking flag naming the earlier run, which cannot be overridden
    flag = next(f for f in bonus.flags if f["code"] == "pending_payment_in_period")
    assert flag["blocking"] and not flag["overridable"]
    assert f"#{regular.pk}" in flag["message"] and "2025-04-06 to 2025-05-05" in flag["message"]
    with pytest.raises(ValidationError, match="cannot be overridden"):
        payslip_flag_override(payslip=bonus, code=flag["code"], comment="paid anyway",
                              acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="blocking flags"):
        _approve(bonus_run, second_payroll_admin)
    # and the earlier run is not blocked by the later one
    regular.refresh_from_db()
    assert regular.payslips.get(employee=emp).flags == []
    # when the salary is finalised and the bonus recalculated
    _finalise(regular, second_payroll_admin, capture)
    bonus = _calculate(bonus_run, payroll_admin, capture).payslips.get(employee=emp)
    # then the flag is gone and NI is on the month as a whole
    assert "pending_payment_in_period" not in _codes(bonus)
    assert (_line(bonus, "NI_EE"), _line(bonus, "NI_ER")) == (D("37.34"), D("150.00"))


def test_run_calculated_before_an_earlier_payment_was_finalised_must_be_recalculated(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: a bonus on 2 May calculated and approved while the 30 April salary did not exist;
    # then the salary run is calculated and finalised
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule, salary="46800.00")
    bonus_run = _off_cycle(uk_schedule, 1, emp, "1000", payroll_admin, capture,
                           pay_date=date(2025, 5, 2))
    _approve(bonus_run, second_payroll_admin)
    regular = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                         acting_user=payroll_admin)
    _finalise(_calculate(regular, payroll_admin, capture), second_payroll_admin, capture)
    # when the stale bonus run is finalised
    with pytest.raises(ValidationError, match="recalculate this run"), capture(execute=True):
        run_finalise(run=bonus_run, acting_user=second_payroll_admin)
    # then nothing was finalised; recalculating counts the salary
    bonus_run.refresh_from_db()
    assert bonus_run.status == PayRun.Status.APPROVED
    assert bonus_run.payslips.get(employee=emp).number is None
    bonus = _calculate(bonus_run, payroll_admin, capture).payslips.get(employee=emp)
    assert (_line(bonus, "NI_EE"), _line(bonus, "NI_ER")) == (D("37.34"), D("150.00"))
    _finalise(bonus_run, second_payroll_admin, capture)
    assert bonus_run.status == PayRun.Status.FINALISED


@pytest.fixture
def us_schedule(db, payroll_admin):
    schedule = USBiweeklyScheduleFactory(name="US biweekly (multipay)",
                                         first_period_start=date(2025, 12, 27))
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    return schedule


def test_us_off_cycle_bonus_at_the_optional_flat_rate(
        us_schedule, payroll_admin, django_capture_on_commit_callbacks):
    # given: the schedule withholds supplemental wages at the optional flat rate
    us_schedule.supplemental_method = "flat"
    us_schedule.save(update_fields=["supplemental_method"])
    emp = paid_employee(us_schedule, salary="52000.00")
    # when a 5,000 bonus is paid off-cycle
    run = _off_cycle(us_schedule, 1, emp, "5000", payroll_admin,
                     django_capture_on_commit_callbacks, pay_date=date(2026, 1, 16))
    payslip = run.payslips.get(employee=emp)
    # then: Pub 15 s.7 flat 22% x 5,000 = 1,100.00; FICA 6.2% and 1.45% as usual
    assert _line(payslip, "FIT") == D("1100.00")
    assert _line(payslip, "SS") == D("310.00")
    assert payslip.ytd_increments["us_supplemental_wages"] == "5000.00"


def test_us_off_cycle_bonus_aggregated_with_the_last_regular_paycheck(
        us_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: 52,000 a year, the first biweekly paycheck of 2026 (2,000.00) finalised; aggregate
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(us_schedule, salary="52000.00")
    regular = finalised_run(us_schedule, 1, payroll_admin, second_payroll_admin, capture)
    paycheck = regular.payslips.get(employee=emp)
    # when a 1,000 bonus is paid separately
    bonus = _off_cycle(us_schedule, 1, emp, "1000", payroll_admin, capture,
                       pay_date=date(2026, 1, 16)).payslips.get(employee=emp)
    # then: the paycheck: 52,000 - 8,600 = 43,400: 1,240 + 12% x 23,500 = 4,060 / 26 = 156.15;
    # with the bonus, 3,000 x 26 = 78,000 - 8,600 = 69,400: 5,800 + 22% x 11,500 = 8,330 / 26
    # = 320.38; the bonus withholds 320.38 - 156.15 = 164.23 (Pub 15 s.7 aggregate method)
    assert paycheck.gross == D("2000.00") and _line(paycheck, "FIT") == D("156.15")
    assert _line(bonus, "FIT") == D("164.23")
