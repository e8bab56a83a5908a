"""Retro pay: a back-dated rise is paid as arrears by the next regular run, once.

Figures are worked by hand from the HROps proration rule (payroll/engine/proration.py): a
salaried segment is paid annual / 12 x (segment days / period days), half up to the cent once per
line; a whole period is annual / 12 exactly.
"""

from datetime import date
from decimal import Decimal

import pytest

from employees.models import CompensationRecord
from payroll import engine
from payroll.models import PayComponent, PayRun, Payslip, PayslipLine, TaxProfile
from payroll.services.calculation import prepare
from payroll.services.inputs import run_input_set
from payroll.services.retro import ARREARS
from payroll.services.runs import run_calculate, run_correction_create, run_create
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.factories.employees_records import BankAccountFactory
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run

pytestmark = pytest.mark.django_db


def _arrears(run, employee) -> list[tuple[str, Decimal]]:
    payslip = Payslip.objects.get(run=run, employee=employee)
    return [(ln.description, ln.amount)
            for ln in payslip.lines.filter(code="ARREARS").order_by("sort_order")]


def test_rise_two_finalised_months_ago_pays_one_arrears_line_per_period(
        tax_months, finalise, pay_change, payroll_admin, django_capture_on_commit_callbacks):
    # given 36,000 a year (3,000.00 a month), months 1-3 finalised
    employee = paid_employee(tax_months, salary="36000.00")
    finalised = [finalise(tax_months, n) for n in (1, 2, 3)]
    # when a rise to 42,000 effective 6 May 2025 (start of month 2) is entered afterwards
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    # then month 4 pays 42,000 / 12 = 3,500.00 plus, for months 2 and 3 each,
    # 3,500.00 should have been - 3,000.00 paid = 500.00
    assert _arrears(run, employee) == [
        ("Arrears: salary 6 May \u2013 5 Jun", Decimal("500.00")),
        ("Arrears: salary 6 Jun \u2013 5 Jul", Decimal("500.00")),
    ]
    payslip = Payslip.objects.get(run=run, employee=employee)
    assert payslip.lines.get(code="SALARY").amount == Decimal("3500.00")
    assert payslip.gross == Decimal("4500.00")
    assert "retro_pay" in payslip.reasons
    # the trace names the finalised payslip each line corrects and the arithmetic
    month2 = Payslip.objects.get(run=finalised[1], employee=employee)
    trace = payslip.lines.filter(code="ARREARS").order_by("sort_order")[0].trace
    assert trace["inputs"]["corrects"] == [month2.display_number]
    assert trace["inputs"]["should_have_been"] == "3500.00"
    assert trace["inputs"]["paid"] == "3000.00"
    assert "NIM02065" in trace["rule"]
    # taxed when paid: UK NI and PAYE see the 4,500.00 of this payslip (NIM02065)
    ni = payslip.lines.get(code="NI_EE").trace
    assert "4500.00" in str(ni) or "4,500.00" in str(ni)


def test_rise_in_the_middle_of_a_finalised_month_is_prorated_like_a_recalculation(
        tax_months, finalise, pay_change, payroll_admin, django_capture_on_commit_callbacks):
    # given months 1-3 finalised at 36,000
    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    # when a rise to 42,000 takes effect on 21 May 2025, inside month 2 (6 May - 5 Jun, 31 days)
    pay_change(employee, date(2025, 5, 21), "42000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    # then month 2 should have been 3,000 x 15/31 = 1,451.61 (6-20 May) + 3,500 x 16/31 =
    # 1,806.45 (21 May - 5 Jun) = 3,258.06; paid 3,000.00 -> 258.06. Month 3: 500.00
    assert _arrears(run, employee) == [
        ("Arrears: salary 6 May \u2013 5 Jun", Decimal("258.06")),
        ("Arrears: salary 6 Jun \u2013 5 Jul", Decimal("500.00")),
    ]


def _hourly_employee(schedule, rate="15.00"):
    employee = EmployeeFactory(hire_date=date(2024, 1, 8))
    BankAccountFactory(employee=employee)
    CompensationRecordFactory(employee=employee, basis=CompensationRecord.Basis.HOURLY,
                              annual_salary=None, hourly_rate=Decimal(rate),
                              currency="GBP", pay_schedule=schedule)
    TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                              ni_category="A")
    return employee


def test_hourly_rate_change_pays_the_hours_actually_paid_at_the_new_rate(
        tax_months, pay_change, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given an hourly employee at 15.00 paid 160 h and 10 h overtime (x1.5) in month 1, and
    # 160 h in month 2, both finalised
    from payroll.services.runs import run_approve, run_finalise

    employee = _hourly_employee(tax_months)
    hours = PayComponent.objects.create(code="HOURS", name="Hours", kind="earning",
                                        calculation="rate_x_hours")
    overtime = PayComponent.objects.create(code="OVERTIME", name="Overtime", kind="earning",
                                           calculation="rate_x_hours",
                                           multiplier=Decimal("1.5"))
    for number, worked, extra in ((1, "160", "10"), (2, "160", None)):
        run = run_create(schedule=tax_months, period=tax_months.periods.get(number=number),
                         acting_user=payroll_admin)
        run_input_set(run=run, employee=employee, component=hours, quantity=Decimal(worked),
                      acting_user=payroll_admin)
        if extra:
            run_input_set(run=run, employee=employee, component=overtime,
                          quantity=Decimal(extra), acting_user=payroll_admin)
        with django_capture_on_commit_callbacks(execute=True):
            run_calculate(run=run, acting_user=payroll_admin)
        run_approve(run=run, acting_user=second_payroll_admin)
        run_finalise(run=run, acting_user=second_payroll_admin)
    # when the rate goes to 16.00 from 6 April 2025 (month 1) and month 3 is calculated with
    # no hours
    pay_change(employee, date(2025, 4, 6), "16.00", schedule=tax_months, basis="hourly")
    run = calculated_run(tax_months, 3, payroll_admin, django_capture_on_commit_callbacks)
    # then month 1: 160 h x 1.00 = 160.00 + 10 h x 1.00 x 1.5 = 15.00 -> 175.00
    # (should 160 x 16 = 2,560.00 + 10 x 16 x 1.5 = 240.00; paid 2,400.00 + 225.00);
    # month 2: 160 h x 1.00 = 160.00 (should 2,560.00, paid 2,400.00)
    assert _arrears(run, employee) == [
        ("Arrears: hourly pay 6 Apr \u2013 5 May", Decimal("175.00")),
        ("Arrears: hourly pay 6 May \u2013 5 Jun", Decimal("160.00")),
    ]


def test_arrears_are_paid_once(tax_months, finalise, pay_change, payroll_admin,
                               django_capture_on_commit_callbacks):
    # given a rise back-dated to month 2, paid as arrears by month 4, which is finalised
    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    month4 = finalise(tax_months, 4)
    assert len(_arrears(month4, employee)) == 2
    # when month 5 is calculated
    month5 = calculated_run(tax_months, 5, payroll_admin, django_capture_on_commit_callbacks)
    # then the finalised arrears lines count as paid: nothing more, just 3,500.00 salary
    assert _arrears(month5, employee) == []
    payslip = Payslip.objects.get(run=month5, employee=employee)
    assert payslip.gross == Decimal("3500.00")
    assert "retro_pay" not in payslip.reasons


def test_off_cycle_runs_do_not_pay_arrears(tax_months, finalise, pay_change, payroll_admin,
                                           django_capture_on_commit_callbacks):
    # given a rise back-dated into finalised months 2 and 3
    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    # when an off-cycle bonus run is calculated in month 4
    off = run_create(schedule=tax_months, period=tax_months.periods.get(number=4),
                     kind=PayRun.Kind.OFF_CYCLE, employees=[employee], acting_user=payroll_admin)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    run_input_set(run=off, employee=employee, component=bonus, amount=Decimal("100"),
                  acting_user=payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=off, acting_user=payroll_admin)
    # then it pays only the bonus; the regular run still pays the 2 x 500.00
    assert [ln.code for ln in Payslip.objects.get(run=off).lines.filter(category="earning")] == [
        "BONUS"]
    regular = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    assert [amount for _, amount in _arrears(regular, employee)] == [Decimal("500.00")] * 2


def test_a_finalised_correction_counts_as_paid_and_changes_the_inputs_hash(
        tax_months, finalise, pay_change, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given a rise back-dated to month 2 and month 4 calculated with 2 x 500.00 of arrears
    from payroll.services.runs import run_approve, run_finalise

    employee = paid_employee(tax_months, salary="36000.00")
    month2 = [finalise(tax_months, n) for n in (1, 2, 3)][1]
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    month4 = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    before = Payslip.objects.get(run=month4, employee=employee).inputs_hash
    # when month 2 is corrected instead (reverses 3,000.00, pays 3,500.00) and finalised
    fix = run_correction_create(original=month2, employee_ids=[employee.pk],
                                acting_user=payroll_admin, pay_date=date(2025, 7, 20))
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=fix, acting_user=payroll_admin)
    run_approve(run=fix, acting_user=second_payroll_admin)
    run_finalise(run=fix, acting_user=second_payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=month4, acting_user=payroll_admin)
    # then month 4 pays month 3's arrears only; its hash changed although its own period's
    # pay did not (so the recalculation did not keep the stale payslip)
    assert _arrears(month4, employee) == [("Arrears: salary 6 Jun \u2013 5 Jul",
                                           Decimal("500.00"))]
    assert Payslip.objects.get(run=month4, employee=employee).inputs_hash != before


def test_arrears_line_is_supplemental_for_us_withholding():
    # IRS Pub 15 section 7: retroactive pay increases are supplemental wages
    assert ARREARS.supplemental is True
    assert engine.PayComponent("X", "X", "earning").supplemental is False


def test_retro_adds_a_fixed_number_of_queries_per_chunk(
        tax_months, finalise, pay_change, payroll_admin, django_assert_num_queries,
        django_capture_on_commit_callbacks):
    # given 1 and then 3 employees with a back-dated rise into finalised months 2 and 3
    employees = [paid_employee(tax_months) for _ in range(3)]
    for n in (1, 2, 3):
        finalise(tax_months, n)
    for employee in employees:
        pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    # when / then: prepare's 9 queries with the run's period and schedule loaded (employees,
    # compensation, recurring items, run inputs, unpaid leave, tax profiles, year to date, the
    # other payments of the tax period, contracted weekly hours) + 3 for retro pay (finalised
    # runs reached, lines paid in those periods, unpaid leave in them) + 1 for statutory pay
    # (the time-off app's absences; none: nothing more): 13, for one employee or three
    run = PayRun.objects.select_related("period", "schedule").get(pk=run.pk)
    for ids in ([employees[0].pk], [e.pk for e in employees]):
        with django_assert_num_queries(13):
            prepared = prepare(run, ids)
        assert all(len(p.inputs.items) == 2 for p in prepared)


def test_no_back_dated_change_adds_no_query(tax_months, finalise, payroll_admin,
                                            django_assert_num_queries,
                                            django_capture_on_commit_callbacks):
    # given finalised months and a rise entered in advance (effective in month 3, entered
    # before month 3 was paid), so nothing finalised paid the wrong rate
    employee = paid_employee(tax_months, salary="36000.00")
    CompensationRecordFactory(employee=employee, effective_date=date(2025, 6, 6),
                              annual_salary=Decimal("42000.00"), pay_schedule=tax_months,
                              reason="merit_increase")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    # then no arrears, and one query (the finalised runs reached) on top of prepare's 12 (9
    # with the run's period and schedule not yet loaded, + 2, + the time-off app's statutory
    # absences, payroll.services.statutory)
    with django_assert_num_queries(13):
        prepared = prepare(run, [employee.pk])
    assert prepared[0].inputs.items == ()
    assert not PayslipLine.objects.filter(code="ARREARS").exists()


def test_correcting_the_payslip_that_paid_arrears_makes_them_due_again_once(
        tax_months, finalise, pay_change, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given 2 x 500.00 of arrears paid by month 4, finalised
    from payroll.services.runs import run_approve, run_finalise

    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    month4 = finalise(tax_months, 4)
    # when month 4 is corrected: the correction reverses what month 4 paid (the arrears too)
    # and recalculates month 4's own pay, which has no arrears in it
    fix = run_correction_create(original=month4, employee_ids=[employee.pk],
                                acting_user=payroll_admin, pay_date=date(2025, 8, 20))
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=fix, acting_user=payroll_admin)
    reversal = Payslip.objects.get(run=fix).lines.get(code="ARREARS")
    assert reversal.amount == Decimal("-1000.00")
    run_approve(run=fix, acting_user=second_payroll_admin)
    run_finalise(run=fix, acting_user=second_payroll_admin)
    # then the arrears are due again and month 5 pays them: not lost
    month5 = finalise(tax_months, 5)
    assert [amount for _, amount in _arrears(month5, employee)] == [Decimal("500.00")] * 2
    # and, month 5 finalised, month 6 pays none: not doubled
    month6 = calculated_run(tax_months, 6, payroll_admin, django_capture_on_commit_callbacks)
    assert _arrears(month6, employee) == []


def test_us_arrears_are_supplemental_wages_in_the_run_that_pays_them(
        db, payroll_admin, finalise, pay_change, django_capture_on_commit_callbacks):
    # given a US biweekly employee at 52,000 (52,000 / 26 = 2,000.00 a period), periods 1-3
    # finalised, then a rise to 57,200 (2,200.00) back-dated to period 2
    from payroll.services.periods import periods_generate
    from tests.factories.payroll_runs import USBiweeklyScheduleFactory

    schedule = USBiweeklyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    employee = paid_employee(schedule, salary="52000.00")
    for n in (1, 2, 3):
        finalise(schedule, n)
    second = schedule.periods.get(number=2)
    pay_change(employee, second.start_date, "57200.00", schedule=schedule)
    run = calculated_run(schedule, 4, payroll_admin, django_capture_on_commit_callbacks)
    # then periods 2 and 3 each get 2,200.00 - 2,000.00 = 200.00 of arrears
    payslip = Payslip.objects.get(run=run, employee=employee)
    assert [ln.amount for ln in payslip.lines.filter(code="ARREARS")] == [Decimal("200.00")] * 2
    # in this payslip's FICA wages (2,200.00 + 400.00 = 2,600.00): Social Security 6.2% =
    # 161.20, Medicare 1.45% = 37.70 (Pub 15 section 9), and in its income-tax wages
    assert payslip.lines.get(code="SS").amount == Decimal("161.20")
    assert payslip.lines.get(code="MEDICARE").amount == Decimal("37.70")
    assert payslip.ytd_increments["us_income_tax_wages"] == "2600.00"


def test_a_leavers_final_pay_run_pays_their_arrears(tax_months, finalise, pay_change,
                                                    payroll_admin,
                                                    django_capture_on_commit_callbacks):
    # given a leaver (last day 20 July 2025, in month 4) with a rise back-dated to month 2
    employee = paid_employee(tax_months, salary="36000.00", termination_date=date(2025, 7, 20))
    for n in (1, 2, 3):
        finalise(tax_months, n)
    pay_change(employee, date(2025, 5, 6), "42000.00", schedule=tax_months)
    # when their final pay is calculated instead of a regular month 4
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks,
                         kind=PayRun.Kind.FINAL_PAY, employees=[employee])
    # then it pays 6-20 July: 3,500.00 x 15/31 = 1,693.548... -> 1,693.55, and 2 x 500.00
    payslip = Payslip.objects.get(run=run, employee=employee)
    assert payslip.lines.get(code="SALARY").amount == Decimal("1693.55")
    assert [amount for _, amount in _arrears(run, employee)] == [Decimal("500.00")] * 2
