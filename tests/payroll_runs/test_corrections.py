"""Correction payslips: the true year to date after them, the tax difference at the
correction's own cumulative position, and no corrections after the tax year. Figures: HMRC
2025-26 (1257L free pay 1,048.26 a month, basic rate 20%; NI category A monthly PT 1,048,
ST 417, 8% / 15%), worked by hand in each test."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from employees.models import CompensationRecord
from payroll.models import PayRun, Payslip
from payroll.selectors import ytd_for
from payroll.services.runs import run_approve, run_calculate, run_correction_create, run_finalise
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db
D = Decimal


def _line(payslip: Payslip, code: str) -> Decimal:
    return sum((ln.amount for ln in payslip.lines.all() if ln.code == code), D("0"))


def _corrected(original, emp, user, capture, pay_date):
    """The salary was really 48,000 (4,000 a month): a correction run for ``emp``."""
    CompensationRecord.objects.filter(employee=emp).update(annual_salary=D("48000.00"))
    run = run_correction_create(original=original, employee_ids=[emp.pk], acting_user=user,
                                pay_date=pay_date)
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    return run, Payslip.objects.get(run=run, employee=emp)


def test_correction_ytd_is_the_true_position_and_tax_is_at_its_own_pay_date(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: April 2025 paid at 36,000 (3,000.00): PAYE 3,000 - 1,048.26 -> 1,951 x 20% =
    # 390.20; NI 8% x 1,952 = 156.16 and 15% x 2,583 = 387.45
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule)
    original = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    old = original.payslips.get(employee=emp)
    assert (_line(old, "PAYE"), _line(old, "NI_EE")) == (D("390.20"), D("156.16"))
    # when: corrected to 4,000.00 by a run paid on 15 May 2025 (tax month 2)
    run, fix = _corrected(original, emp, payroll_admin, capture, date(2025, 5, 15))
    # then: NI is recalculated for April's earnings period: on 4,000: 8% x 2,952 = 236.16 and
    # 15% x 3,583 = 537.45, so +80.00 and +150.00
    assert (_line(fix, "NI_EE"), _line(fix, "NI_ER")) == (D("80.00"), D("150.00"))
    # and the 1,000 more taxable pay is taxed at month 2's cumulative position (April's 3,000
    # and its 390.20 included): 4,000 - 2 x 1,048.26 = 1,903.48 -> 1,903 x 20% = 380.60 to
    # date, less 390.20 paid = -9.60 (one PAYE line, no reversal of April's)
    paye = [ln for ln in fix.lines.all() if ln.code == "PAYE"]
    assert [ln.amount for ln in paye] == [D("-9.60")]
    assert paye[0].trace["table"]["monthly_number"] == 2
    # net: 1,000 + 9.60 - 80.00 = 929.60, from the stored lines
    assert fix.gross == D("1000.00") and fix.net == D("929.60")
    # and the payslip's YTD is the true position after it (it used to miss April entirely)
    assert {k: fix.ytd[k] for k in ("gross", "uk_taxable_pay", "uk_tax_paid",
                                    "uk_employee_ni", "net")} == {
        "gross": "4000.00", "uk_taxable_pay": "4000.00", "uk_tax_paid": "380.60",
        "uk_employee_ni": "236.16", "net": str(old.net + D("929.60"))}
    # once finalised, the year to date from finalised payslips says the same
    run_approve(run=run, acting_user=second_payroll_admin)
    with capture(execute=True):
        run_finalise(run=run, acting_user=second_payroll_admin)
    ytd = ytd_for(emp, "2025-26")
    assert (ytd["gross"], ytd["uk_tax_paid"], ytd["net"]) == (
        D("4000.00"), D("380.60"), old.net + D("929.60"))
    # and May at 4,000: 8,000 - 2,096.52 = 5,903.48 -> 5,903 x 20% = 1,180.60 - 380.60 = 800.00:
    # two months' tax is exactly that of 8,000 by month 2 (1,180.60)
    may = calculated_run(uk_schedule, 2, payroll_admin, capture).payslips.get(employee=emp)
    assert _line(may, "PAYE") == D("800.00")


def test_correction_paid_in_the_same_month_is_taxed_in_that_month(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given April 2025 at 3,000.00 finalised (30 April)
    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule)
    original = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    # when corrected to 4,000 on 2 May 2025 (still tax month 1)
    _, fix = _corrected(original, emp, payroll_admin, capture, date(2025, 5, 2))
    # then: month 1: 4,000 - 1,048.26 -> 2,951 x 20% = 590.20, less 390.20 = 200.00
    assert _line(fix, "PAYE") == D("200.00")
    assert fix.ytd["uk_tax_paid"] == "590.20"


@pytest.mark.parametrize(("pay_date", "message"), [
    (date(2026, 4, 6), "after the last pay day of tax year 2025-26 (2026-04-05)"),
    (date(2025, 4, 29), "is paid after the payment it corrects (2025-04-30), not before"),
])
def test_correction_outside_the_tax_year_is_refused_and_nothing_is_written(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks,
        pay_date, message):
    # given
    emp = paid_employee(uk_schedule)
    original = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                             django_capture_on_commit_callbacks)
    # when / then
    with pytest.raises(ValidationError) as exc:
        run_correction_create(original=original, employee_ids=[emp.pk],
                              acting_user=payroll_admin, pay_date=pay_date)
    assert message in " ".join(exc.value.messages)
    assert not PayRun.objects.filter(kind=PayRun.Kind.CORRECTION).exists()


def test_refusal_says_what_to_do_instead():
    # given a 2025-26 payment (no database needed: the rule is about dates)
    from payroll.models import PaySchedule
    from payroll.services.corrections import correction_pay_date_error

    original = PayRun(schedule=PaySchedule(country="GB"), pay_date=date(2026, 3, 31))
    us = PayRun(schedule=PaySchedule(country="US"), pay_date=date(2025, 12, 19))
    # when
    uk_message = correction_pay_date_error(original, date(2026, 4, 10))
    us_message = correction_pay_date_error(us, date(2026, 1, 9))
    # then
    assert "Pay the difference in a run of the current tax year" in uk_message
    assert "Earlier Year Update" in uk_message
    assert "Form W-2c" in us_message and "supplemental wages" in us_message
    assert correction_pay_date_error(original, date(2026, 4, 5)) is None


def test_correcting_an_off_cycle_bonus_recalculates_the_bonus_not_a_salary(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given: April 2025 salary (3,000) and a 1,000 off-cycle bonus on 2 May, both finalised
    from payroll.models import PayComponent
    from payroll.services.inputs import run_input_set
    from payroll.services.runs import run_create

    capture = django_capture_on_commit_callbacks
    emp = paid_employee(uk_schedule)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    off = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin, kind=PayRun.Kind.OFF_CYCLE, employees=[emp],
                     pay_date=date(2025, 5, 2))
    run_input_set(run=off, employee=emp, component=bonus, amount=D("1000"),
                  acting_user=payroll_admin)
    with capture(execute=True):
        run_calculate(run=off, acting_user=payroll_admin)
    off.refresh_from_db()
    for payslip in off.payslips.all():  # its net differs from April's: accept the variance
        from payroll.services.runs import payslip_flag_override
        payslip_flag_override(payslip=payslip, code="variance", comment="bonus",
                              acting_user=payroll_admin)
    run_approve(run=off, acting_user=second_payroll_admin)
    with capture(execute=True):
        run_finalise(run=off, acting_user=second_payroll_admin)
    off.refresh_from_db()
    # when the bonus is corrected to 1,500 in the same month
    fix_run = run_correction_create(original=off, employee_ids=[emp.pk],
                                    acting_user=payroll_admin, pay_date=date(2025, 5, 5))
    copied = fix_run.inputs.get(employee=emp, component=bonus)  # the original's, copied
    run_input_set(run=fix_run, employee=emp, component=bonus, amount=D("1500"),
                  acting_user=payroll_admin, run_input=copied)
    with capture(execute=True):
        run_calculate(run=fix_run, acting_user=payroll_admin)
    fix = Payslip.objects.get(run=fix_run, employee=emp)
    # then: only the bonus is reversed and paid again (+500), no salary line
    assert {ln.code for ln in fix.lines.all() if ln.category == "earning"} == {"BONUS"}
    assert fix.gross == D("500.00")
    # NI on the month's 3,000 + 1,500 = 4,500: 8% x (4,189 - 1,048) = 251.28 + 2% x 311 =
    # 6.22 -> 257.50, against 3,000 + 1,000 = 4,000: 236.16, so +21.34
    assert _line(fix, "NI_EE") == D("21.34")
