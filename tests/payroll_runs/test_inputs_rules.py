"""Run inputs that cannot be wrong silently: each bad input is refused with a specific message
and nothing is written; several inputs of one component all count; salaried overtime is paid at
annual / 52 / contracted weekly hours; hourly staff without hours are flagged."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from employees.models import JobRecord
from employees.services.changes import job_change
from employees.services.core import JobData
from payroll.models import PayComponent, PayRun, PayslipLine, RunInput, TaxProfile
from payroll.services.inputs import run_input_set, run_inputs_paste
from payroll.services.runs import run_calculate, run_create
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.factories.employees_records import BankAccountFactory
from tests.payroll_runs.helpers import calculated_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def components(db):
    return {
        "BONUS": PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning"),
        "HOURS": PayComponent.objects.create(code="HOURS", name="Hours", kind="earning",
                                             calculation="rate_x_hours"),
        "OVERTIME": PayComponent.objects.create(code="OVERTIME", name="Overtime",
                                                kind="earning", calculation="rate_x_hours",
                                                multiplier=Decimal("1.5")),
        "LOAN": PayComponent.objects.create(code="LOAN", name="Loan repayment",
                                            kind="post_tax_deduction", allows_negative=True),
        "TRAINING": PayComponent.objects.create(code="TRAINING", name="Training hours",
                                                kind="earning", calculation="rate_x_hours",
                                                default_rate=Decimal("12")),
    }


@pytest.fixture
def run(uk_schedule, uk_staff, payroll_admin):
    return run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                      acting_user=payroll_admin)


def hourly_employee(schedule, rate="20.00"):
    employee = EmployeeFactory(hire_date=date(2024, 1, 8))
    BankAccountFactory(employee=employee)
    CompensationRecordFactory(employee=employee, basis="hourly", annual_salary=None,
                              hourly_rate=Decimal(rate), currency="GBP", pay_schedule=schedule)
    TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                              ni_category="A")
    return employee


def _refused(match: str, **kwargs) -> None:
    before = (RunInput.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match=match):
        run_input_set(**kwargs)
    assert (RunInput.objects.count(), AuditEvent.objects.count()) == before


def _calculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error


def test_a_second_bonus_is_paid_alongside_the_first(run, uk_staff, components, payroll_admin,
                                                    django_capture_on_commit_callbacks):
    # given two bonus inputs for one person
    for value in ("500.00", "250.00"):
        run_input_set(run=run, employee=uk_staff[0], component=components["BONUS"],
                      amount=Decimal(value), acting_user=payroll_admin)
    # when the run is calculated
    _calculate(run, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=uk_staff[0])
    # then both are paid: two lines; gross = 36,000 / 12 + 500 + 250 = 3,750.00
    assert sorted(PayslipLine.objects.filter(payslip=payslip, code="BONUS").values_list(
        "amount", flat=True)) == [Decimal("250.00"), Decimal("500.00")]
    assert payslip.gross == Decimal("3750.00")


def test_negative_amount_refused_unless_the_component_allows_it(run, uk_staff, components,
                                                                 payroll_admin):
    # a negative bonus: refused, nothing written
    _refused("BONUS does not allow negative amounts", run=run, employee=uk_staff[0],
             component=components["BONUS"], amount=Decimal("-100"), acting_user=payroll_admin)
    # a refund of a loan repayment taken twice: the component allows it
    ri = run_input_set(run=run, employee=uk_staff[0], component=components["LOAN"],
                       amount=Decimal("-40.00"), acting_user=payroll_admin)
    assert ri.amount == Decimal("-40.00")


def test_negative_hours_and_rates_are_always_refused(run, uk_staff, components, payroll_admin):
    _refused("cannot be negative", run=run, employee=uk_staff[0],
             component=components["TRAINING"], quantity=Decimal("-2"),
             acting_user=payroll_admin)
    _refused("cannot be negative", run=run, employee=uk_staff[0],
             component=components["LOAN"], rate=Decimal("-1"), acting_user=payroll_admin)


def test_salaried_overtime_without_contracted_hours_is_refused_at_input(
        run, uk_staff, components, payroll_admin):
    _refused("no contracted hours a week", run=run, employee=uk_staff[0],
             component=components["OVERTIME"], quantity=Decimal("10"),
             acting_user=payroll_admin)


def test_salaried_overtime_is_paid_at_salary_over_52_over_weekly_hours(
        run, uk_staff, components, payroll_admin, hr_admin, django_capture_on_commit_callbacks):
    # given contracted hours recorded through a job change (37.5 a week)
    employee = uk_staff[0]
    job = JobRecord.objects.get(employee=employee)
    job_change(acting_user=hr_admin, employee=employee, effective_date=date(2025, 1, 1),
               job=JobData(job_title=job.job_title, department=job.department,
                           location=job.location, weekly_hours=Decimal("37.5")),
               reason="hours_change")
    # when 10 hours of overtime are entered and the run calculated
    run_input_set(run=run, employee=employee, component=components["OVERTIME"],
                  quantity=Decimal("10"), acting_user=payroll_admin)
    _calculate(run, payroll_admin, django_capture_on_commit_callbacks)
    line = PayslipLine.objects.get(payslip__run=run, payslip__employee=employee, code="OVERTIME")
    # then (own arithmetic): 36,000 / 52 / 37.5 = 18.461538... -> 18.4615 an hour;
    # 10 h x 18.4615 x 1.5 = 276.9225 -> 276.92
    assert line.amount == Decimal("276.92")
    assert line.trace["inputs"]["hourly_rate"] == "18.4615"
    assert "36,000.00 / 52 / 37.5 h = 18.4615 an hour" in line.trace["formula"]


def test_overtime_with_hours_removed_later_is_a_calculation_error_not_zero(
        run, uk_staff, components, payroll_admin, hr_admin, django_capture_on_commit_callbacks):
    # given overtime accepted while 40 weekly hours were on file
    employee = uk_staff[0]
    JobRecord.objects.filter(employee=employee).update(weekly_hours=Decimal("40"))
    run_input_set(run=run, employee=employee, component=components["OVERTIME"],
                  quantity=Decimal("4"), acting_user=payroll_admin)
    # when the hours are then cleared from the job record and the run calculated
    JobRecord.objects.filter(employee=employee).update(weekly_hours=None)
    _calculate(run, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=employee)
    # then a blocking, non-overridable error, not an overtime line of 0
    [flag] = [f for f in payslip.flags if f["code"] == "calculation_error"]
    assert "contracted weekly hours" in flag["message"] and flag["blocking"]
    assert not flag["overridable"]


def test_hours_inputs_refused_where_they_cannot_be_paid(run, uk_schedule, uk_staff, components,
                                                         payroll_admin):
    # regular hours for a salaried person
    _refused("is salaried: their salary pays their contracted hours", run=run,
             employee=uk_staff[0], component=components["HOURS"], quantity=Decimal("160"),
             acting_user=payroll_admin)
    # hours with a rate or amount (they are paid at the person's own rate)
    hourly = hourly_employee(uk_schedule)
    _refused("takes hours only", run=run, employee=hourly, component=components["HOURS"],
             quantity=Decimal("10"), amount=Decimal("5"), acting_user=payroll_admin)
    # hours in an off-cycle run (no pay rate to work them out from)
    off = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     kind=PayRun.Kind.OFF_CYCLE, employees=[hourly], acting_user=payroll_admin)
    _refused("off-cycle run pays no salary", run=off, employee=hourly,
             component=components["HOURS"], quantity=Decimal("10"), acting_user=payroll_admin)


def test_component_kind_mismatches_are_refused(run, uk_staff, org, components, payroll_admin):
    _refused("BONUS is a fixed amount: give an amount", run=run, employee=uk_staff[0],
             component=components["BONUS"], quantity=Decimal("3"), acting_user=payroll_admin)
    _refused("Give hours, a rate or an amount", run=run, employee=uk_staff[0],
             component=components["BONUS"], rate=None, quantity=None, amount=None,
             note="x", acting_user=payroll_admin)
    _refused("TRAINING is paid by the hour: give the hours", run=run, employee=uk_staff[0],
             component=components["TRAINING"], amount=Decimal("10"), acting_user=payroll_admin)
    _refused("is not paid in this run", run=run, employee=org.peer,
             component=components["BONUS"], amount=Decimal("10"), acting_user=payroll_admin)


def test_one_input_is_changed_or_removed_by_its_row(run, uk_staff, components, payroll_admin):
    # given two bonuses
    first = run_input_set(run=run, employee=uk_staff[0], component=components["BONUS"],
                          amount=Decimal("100"), acting_user=payroll_admin)
    second = run_input_set(run=run, employee=uk_staff[0], component=components["BONUS"],
                           amount=Decimal("200"), acting_user=payroll_admin)
    # when the first is changed and the second removed
    run_input_set(run=run, employee=uk_staff[0], component=components["BONUS"],
                  amount=Decimal("150"), run_input=first, acting_user=payroll_admin)
    run_input_set(run=run, employee=uk_staff[0], component=components["BONUS"],
                  run_input=second, acting_user=payroll_admin)
    # then only the changed first one is left, and both writes are audited
    assert list(RunInput.objects.filter(run=run).values_list("pk", "amount")) == [
        (first.pk, Decimal("150.00"))]
    notes = list(AuditEvent.objects.filter(object_type="payroll.payrun").values_list(
        "note", flat=True))
    assert {"run input added", "run input changed", "run input removed"} <= set(notes)


def test_hourly_employee_without_hours_is_flagged(uk_schedule, uk_staff, components,
                                                  payroll_admin,
                                                  django_capture_on_commit_callbacks):
    # given an hourly employee with no hours and one with hours
    idle, busy = hourly_employee(uk_schedule), hourly_employee(uk_schedule)
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    run_input_set(run=run, employee=busy, component=components["HOURS"],
                  quantity=Decimal("150"), acting_user=payroll_admin)
    # when calculated
    _calculate(run, payroll_admin, django_capture_on_commit_callbacks)
    # then only the one without hours is flagged, blocking and overridable (on leave, say)
    idle_flags = run.payslips.get(employee=idle).flags
    assert [(f["code"], f["blocking"], f["overridable"]) for f in idle_flags] == [
        ("missing_hours", True, True)]
    assert run.payslips.get(employee=busy).flags == []
    # and the salaried staff are not flagged for hours
    assert all(f["code"] != "missing_hours" for p in run.payslips.filter(
        employee__in=uk_staff) for f in p.flags)


def test_paste_is_all_or_nothing_with_each_bad_row_named(run, uk_staff, components,
                                                          payroll_admin):
    a, b = (e.employee_number for e in uk_staff)
    # given a pasted block (tab separated, no header) with two bad rows
    text = (f"{a}\tBONUS\t\t\t100\tQ1\n"
            f"{b}\tBONUS\t\t\t-5\n"  # negative bonus
            f"{a}\tOVERTIME\t3\n"  # salaried, no weekly hours
            f"{b}\tLOAN\t\t\t12.345\n")  # three decimal places
    result = run_inputs_paste(run=run, text=text, acting_user=payroll_admin)
    # then each bad row is reported by line, and nothing is added
    assert [line for line, _ in result.errors] == [2, 3, 4]
    assert "does not allow negative" in result.errors[0][1]
    assert "no contracted hours" in result.errors[1][1]
    assert "decimal places" in result.errors[2][1]
    assert RunInput.objects.filter(run=run).count() == 0
    # when the good rows are pasted with a CSV header
    ok = (f"employee_number,component,amount,note\n{a},BONUS,100,Q1\n{b},BONUS,50,\n")
    result = run_inputs_paste(run=run, text=ok, acting_user=payroll_admin)
    # then both are added
    assert (result.errors, result.created) == ([], 2)
    assert RunInput.objects.get(run=run, employee=uk_staff[0]).note == "Q1"


def test_inputs_of_a_finalised_run_are_refused(uk_schedule, uk_staff, components, payroll_admin,
                                               django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED)
    _refused("finalised run cannot be changed", run=run, employee=uk_staff[0],
             component=components["BONUS"], amount=Decimal("1"), acting_user=payroll_admin)
