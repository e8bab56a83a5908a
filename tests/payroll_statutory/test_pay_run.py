"""Statutory pay in the pay run: the provider's absences become SSP / SMP lines, with AWE from
finalised payslips, a trace, reasons for the variance review and the recoverable amount in the
payslip's year to date. Figures hand-computed from the rules cited in payroll/engine/statutory.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payroll.absence_feed import AbsenceKind, StatutoryAbsence, WorkingWeek
from payroll.models import PayRun, Payslip, UnpaidLeave
from payroll.reasons import reason_label
from payroll.services.calculation import prepare
from payroll.services.runs import run_create
from tests.factories.payroll_runs import paid_employee

pytestmark = pytest.mark.django_db


def _sick(employee, first, last):
    return StatutoryAbsence(employee.pk, AbsenceKind.SICKNESS, first, last,
                            source=f"test:{employee.pk}")


def _statutory_lines(run, employee):
    payslip = Payslip.objects.get(run=run, employee=employee)
    return payslip, [(ln.code, ln.description, ln.amount) for ln in payslip.lines.all()
                     if ln.code in ("SSP", "SMP", "SPP", "SAP", "SHPP")]


@pytest.fixture
def employee(months):
    # 24,000 a year: 2,000.00 a month, hired long before
    return paid_employee(months, salary="24000.00", hire=date(2024, 1, 8))


def test_ten_days_of_sickness_become_ssp_in_the_next_run(absences, employee, month_run):
    # given August to October 2026 finalised at 2,000.00 a month (pay days on the 31st)
    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    # when the time-off app reports sickness Mon 2 - Fri 13 Nov (10 working days)
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 2), date(2026, 11, 13))]
    run = month_run(2026, 11)
    # then AWE over the relevant period 29 Aug - 30 Oct (pay days are working days: Fri 28 Aug,
    # as 31 Aug 2026 is a bank holiday; Fri 30 Oct) = 2 months: 4,000 / 2 x 12 / 52 = 923.08:
    # the flat rate, 123.25 / 5 =
    # 24.65 a day, from the first day (no waiting days): 10 x 24.65 = 246.50, paid in addition
    # to the salary (not unpaid leave)
    payslip, lines = _statutory_lines(run, employee)
    assert lines == [("SSP", "SSP 2 \u2013 13 Nov (10 days)", Decimal("246.50"))]
    assert payslip.lines.get(code="SALARY").amount == Decimal("2000.00")
    assert payslip.gross == Decimal("2246.50")
    trace = payslip.lines.get(code="SSP").trace
    assert trace["inputs"]["relevant_period"] == ["2026-08-29", "2026-10-30"]
    assert trace["inputs"]["awe"] == "461.5384615"
    assert "salary paid in full" in trace["salary"]
    # taxable and NI-able: in this payslip's NI pay; SSP year to date recorded
    assert Decimal(payslip.ytd_increments["uk_ni_pay"]) == Decimal("2246.50")
    assert Decimal(payslip.ytd_increments["uk_taxable_pay"]) == Decimal("2246.50")
    assert payslip.ytd_increments["uk_ssp"] == "246.50"
    assert "ssp" in payslip.reasons and reason_label("ssp") == "SSP"


def test_ssp_days_are_paid_once_and_late_recorded_days_in_the_next_run(
        absences, employee, month_run):
    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    # given sickness from Mon 23 Nov, still open at the end of November
    absences.ABSENCES[employee.pk] = [StatutoryAbsence(
        employee.pk, AbsenceKind.SICKNESS, date(2026, 11, 23), None)]
    november = month_run(2026, 11, finalise=True)
    assert _statutory_lines(november, employee)[1] == [
        ("SSP", "SSP 23 \u2013 30 Nov (6 days)", Decimal("147.90"))]
    # when it ends on Fri 4 Dec: December pays 1 - 4 Dec only
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 23), date(2026, 12, 4))]
    december = month_run(2026, 12)
    assert _statutory_lines(december, employee)[1] == [
        ("SSP", "SSP 1 \u2013 4 Dec (4 days)", Decimal("98.60"))]


def test_unpaid_leave_days_are_deducted_from_salary_and_ssp_still_paid(
        absences, employee, month_run):
    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 2), date(2026, 11, 6))]
    UnpaidLeave.objects.create(employee=employee, first_day=date(2026, 11, 2),
                               last_day=date(2026, 11, 6), reason="Sick: company pays SSP only")
    run = month_run(2026, 11)
    payslip, lines = _statutory_lines(run, employee)
    assert lines == [("SSP", "SSP 2 \u2013 6 Nov (5 days)", Decimal("123.25"))]
    # calendar-day proration: 2,000 x 25 / 30 = 1,666.67
    assert payslip.lines.get(code="SALARY").amount == Decimal("1666.67")
    assert "unpaid leave on 5 of these days" in payslip.lines.get(code="SSP").trace["salary"]


def test_maternity_pay_with_small_employer_relief_records_108_5_percent(
        absences, employee, months, month_run):
    # given pay days 30 Apr .. 31 Jul finalised
    months.small_employer_relief = True
    months.save(update_fields=["small_employer_relief"])
    for month in (5, 6, 7):
        month_run(2026, month, finalise=True)
    absences.ABSENCES[employee.pk] = [StatutoryAbsence(
        employee.pk, AbsenceKind.MATERNITY, date(2026, 11, 2), None,
        expected_week=date(2026, 11, 15))]
    run = month_run(2026, 11)
    # EWC Sun 15 Nov: QW Sun 2 - Sat 8 Aug; last pay day on or before: Fri 31 Jul; the last
    # one 8 weeks before it Fri 29 May; relevant period 30 May - 31 Jul (2 months):
    # AWE = 4,000 / 2 x 12 / 52 = 461.5384615; 90% = 415.3846153 a week;
    # 2 - 30 Nov = 29 days x 415.3846153 / 7 = 1,720.8791 -> 1,720.88 (rounded up)
    payslip, lines = _statutory_lines(run, employee)
    assert lines == [("SMP", "Maternity pay 2 \u2013 30 Nov (29 days at 90% of AWE)",
                      Decimal("1720.88"))]
    # small employer relief: 100% recovered + 8.5% compensation from 6 April 2025
    # (1,720.88 x 8.5% = 146.2748 -> 146.27)
    assert payslip.ytd_increments["uk_smp_recovered"] == "1720.88"
    assert payslip.ytd_increments["uk_smp_nic_compensation"] == "146.27"
    assert "maternity_pay" in payslip.reasons and reason_label("maternity_pay") == "Maternity pay"


def test_failing_the_earnings_test_flags_the_payslip(absences, months, month_run):
    low = paid_employee(months, salary="6000.00", hire=date(2024, 1, 8))  # 500 a month
    for month in (5, 6, 7):
        month_run(2026, month, finalise=True)
    absences.ABSENCES[low.pk] = [StatutoryAbsence(
        low.pk, AbsenceKind.MATERNITY, date(2026, 11, 2), None, expected_week=date(2026, 11, 15))]
    run = month_run(2026, 11)
    payslip, lines = _statutory_lines(run, low)
    assert lines == []
    flag = next(f for f in payslip.flags if f["code"] == "statutory_pay_not_due")
    assert not flag["blocking"] and "below the lower earnings limit 129.00" in flag["message"]


def test_working_week_from_the_provider_sets_the_qualifying_days(absences, employee, month_run):
    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    absences.WEEKS[employee.pk] = [WorkingWeek(employee.pk, frozenset({0, 2, 4}),
                                               date(2020, 1, 1))]
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 2), date(2026, 11, 8))]
    run = month_run(2026, 11)
    # Mon, Wed, Fri: 3 x 41.0833 = 123.2499 -> 123.25
    assert _statutory_lines(run, employee)[1] == [
        ("SSP", "SSP 2 \u2013 6 Nov (3 days)", Decimal("123.25"))]


def test_off_cycle_runs_pay_no_statutory_pay(absences, employee, months, payroll_admin):
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 2), date(2026, 11, 13))]
    period = months.periods.get(start_date=date(2026, 11, 1))
    run = run_create(schedule=months, period=period, acting_user=payroll_admin,
                     kind=PayRun.Kind.OFF_CYCLE, employees=[employee])
    [p] = prepare(run, [employee.pk])
    assert not any(item.component.code == "SSP" for item in p.inputs.items)
    assert absences.CALLS == []


def _queries(run, ids) -> int:
    with CaptureQueriesContext(connection) as ctx:
        prepare(run, ids)
    return len(ctx.captured_queries)


def test_queries_per_chunk_do_not_grow_with_people_on_sick_leave(
        absences, months, month_run, payroll_admin):
    people = [paid_employee(months, salary="24000.00", hire=date(2024, 1, 8)) for _ in range(6)]
    for month in (9, 10):
        month_run(2026, month, finalise=True)
    period = months.periods.get(start_date=date(2026, 11, 1))
    run = run_create(schedule=months, period=period, acting_user=payroll_admin)
    ids = [p.pk for p in people]
    absences.ABSENCES[people[0].pk] = [_sick(people[0], date(2026, 11, 2), date(2026, 11, 13))]
    one = _queries(run, ids[:2])
    for person in people:
        absences.ABSENCES[person.pk] = [_sick(person, date(2026, 11, 2), date(2026, 11, 13))]
    absences.CALLS.clear()
    six = _queries(run, ids)
    # the same queries for 1 or 6 people off sick: AWE earnings (one query) and the days already
    # paid (one query), and the provider asked once per chunk for each of its two methods
    assert six == one
    assert [c[0] for c in absences.CALLS] == ["statutory_absences", "working_weeks"]


def test_a_correction_reverses_and_repays_the_same_ssp_days(
        absences, employee, month_run, payroll_admin, django_capture_on_commit_callbacks):
    from payroll.services.runs import run_calculate, run_correction_create

    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    absences.ABSENCES[employee.pk] = [_sick(employee, date(2026, 11, 2), date(2026, 11, 13))]
    november = month_run(2026, 11, finalise=True)
    # when November is corrected (same data): SSP is reversed and paid again for the same
    # days (the corrected run does not count as having paid them), a net change of nothing
    fix = run_correction_create(original=november, employee_ids=[employee.pk],
                                acting_user=payroll_admin, pay_date=date(2026, 12, 4))
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=fix, acting_user=payroll_admin)
    payslip = Payslip.objects.get(run=fix, employee=employee)
    ssp = [(ln.description, ln.amount) for ln in payslip.lines.filter(code="SSP")]
    assert ssp == [("Reversal: SSP 2 \u2013 13 Nov (10 days)", Decimal("-246.50")),
                   ("SSP 2 \u2013 13 Nov (10 days)", Decimal("246.50"))]
    assert payslip.gross == Decimal("0.00")


def test_days_a_correction_took_back_are_due_again(
        absences, employee, month_run, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    from payroll.services.runs import (
        run_approve,
        run_calculate,
        run_correction_create,
        run_finalise,
    )

    for month in (8, 9, 10):
        month_run(2026, month, finalise=True)
    sickness = [_sick(employee, date(2026, 11, 2), date(2026, 11, 13))]
    absences.ABSENCES[employee.pk] = sickness
    november = month_run(2026, 11, finalise=True)
    # given the sickness was withdrawn and November corrected: the SSP is reversed
    absences.ABSENCES.clear()
    fix = run_correction_create(original=november, employee_ids=[employee.pk],
                                acting_user=payroll_admin, pay_date=date(2026, 12, 4))
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=fix, acting_user=payroll_admin)
    assert [ln.amount for ln in Payslip.objects.get(run=fix, employee=employee).lines.filter(
        code="SSP")] == [Decimal("-246.50")]
    run_approve(run=fix, acting_user=second_payroll_admin)
    run_finalise(run=fix, acting_user=second_payroll_admin)
    # when it is recorded again, December pays those days (the correction took them back)
    absences.ABSENCES[employee.pk] = sickness
    december = month_run(2026, 12)
    assert _statutory_lines(december, employee)[1] == [
        ("SSP", "SSP 2 – 13 Nov (10 days)", Decimal("246.50"))]


def test_neonatal_care_pay_in_the_run_with_trace_and_recoverable_amount(
        absences, employee, months, month_run):
    # given pay days to 31 Jul finalised; neonatal care began Wed 12 Aug 2026: relevant week
    # Sun 2 - Sat 8 Aug, relevant period 30 May - 31 Jul, AWE 461.5384615 (90% > 194.32)
    for month in (5, 6, 7):
        month_run(2026, month, finalise=True)
    absences.ABSENCES[employee.pk] = [StatutoryAbsence(
        employee.pk, AbsenceKind.NEONATAL_CARE, date(2026, 11, 2), date(2026, 11, 15),
        expected_week=date(2026, 8, 12))]
    run = month_run(2026, 11)
    # then 14 days x 194.32 / 7 = 388.64; 92% recovered = 357.5488 -> 357.55
    payslip = Payslip.objects.get(run=run, employee=employee)
    [line] = [ln for ln in payslip.lines.all() if ln.code == "SNCP"]
    assert (line.description, line.amount) == (
        "Neonatal care pay 2 \u2013 15 Nov (2 weeks at 194.32 a week)", Decimal("388.64"))
    assert line.trace["inputs"]["relevant_period"] == ["2026-05-30", "2026-07-31"]
    assert payslip.ytd_increments["uk_sncp_recovered"] == "357.55"
    assert "neonatal_care_pay" in payslip.reasons
