"""Unpaid leave in the calculation: the exact deduction, the inputs hash, reasons, and a query
count that does not grow with the number of people on leave."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payroll.engine.money import half_up_cents
from payroll.engine.proration import PERIODS_PER_YEAR, count_days
from payroll.models import PayRun, PayslipLine
from payroll.services.calculation import calculate_employees, prepare
from payroll.services.leave import unpaid_leave_create, unpaid_leave_delete
from payroll.services.runs import run_calculate, run_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db


def _leave(employee, user, first, last):
    return unpaid_leave_create(employee=employee, first_day=first, last_day=last,
                               acting_user=user)


def _salary(run, employee) -> PayslipLine:
    return PayslipLine.objects.get(payslip__run=run, payslip__employee=employee, code="SALARY")


def _recalculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error
    return run


def test_monthly_salary_is_reduced_by_exactly_the_unpaid_days(
        uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    # given a monthly salaried employee (36,000 a year) with 3 unpaid days in period 1, plus
    # leave outside the period that must not count
    employee = paid_employee(uk_schedule, salary="36000.00")
    period = uk_schedule.periods.get(number=1)
    _leave(employee, payroll_admin, period.start_date + timedelta(days=9),
           period.start_date + timedelta(days=11))
    _leave(employee, payroll_admin, period.end_date + timedelta(days=1),
           period.end_date + timedelta(days=5))
    # when the run is calculated
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    # then the salary line is annual / 12 x (paid days / period days), on the engine's basis
    basis = uk_schedule.proration_basis
    period_days = count_days(period.start_date, period.end_date, basis)
    expected = half_up_cents(Decimal("36000.00") / PERIODS_PER_YEAR["monthly"]
                             * (period_days - 3) / period_days)
    line = _salary(run, employee)
    assert line.amount == expected
    assert (period_days, expected) == (30, Decimal("2700.00"))  # April: 3,000 x 27/30
    assert line.quantity == Decimal(period_days - 3)
    assert line.trace["inputs"]["unpaid_leave_days"] == 3
    assert "unpaid leave" in line.trace["formula"]
    assert "unpaid_leave" in run.payslips.get(employee=employee).reasons


def test_leave_on_weekends_is_not_deducted_on_a_working_days_basis(
        uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    uk_schedule.proration_basis = "working_days"
    uk_schedule.save(update_fields=["proration_basis"])
    employee = paid_employee(uk_schedule, salary="36000.00")
    # Friday 11 to Monday 14 April 2025: two working days
    _leave(employee, payroll_admin, date(2025, 4, 11), date(2025, 4, 14))
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    period = run.period
    working = count_days(period.start_date, period.end_date, "working_days")
    assert _salary(run, employee).amount == half_up_cents(
        Decimal("3000") * (working - 2) / working)


def test_recalculation_picks_up_leave_and_keeps_everyone_else(
        uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    # given a calculated run for two employees
    on_leave, steady = paid_employee(uk_schedule), paid_employee(uk_schedule)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    before = {p.employee_id: (p.pk, p.inputs_hash, p.calculated_at, p.net)
              for p in run.payslips.all()}
    # when one of them gets unpaid leave (the run goes back to draft) and it is recalculated
    _leave(on_leave, payroll_admin, run.period.start_date, run.period.start_date)
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    after = {p.employee_id: p for p in run.payslips.all()}
    # then the unchanged employee keeps the very same result, and the other one is recalculated
    kept = after[steady.pk]
    assert (kept.pk, kept.inputs_hash, kept.calculated_at, kept.net) == before[steady.pk]
    changed = after[on_leave.pk]
    assert changed.inputs_hash != before[on_leave.pk][1]
    assert changed.net < before[on_leave.pk][3]
    # and removing the leave again gives back exactly the first result
    unpaid_leave_delete(leave=on_leave.unpaid_leave.get(), acting_user=payroll_admin)
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    again = run.payslips.get(employee=on_leave)
    assert (again.inputs_hash, again.net) == before[on_leave.pk][1:4:2]
    # recalculating with nothing changed touches nothing
    snapshot = list(run.payslips.values_list("pk", "calculated_at", "inputs_hash"))
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    assert list(run.payslips.values_list("pk", "calculated_at", "inputs_hash")) == snapshot


def test_return_to_full_pay_after_leave_is_explained(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given period 1 finalised with unpaid leave
    employee = paid_employee(uk_schedule)
    p1 = uk_schedule.periods.get(number=1)
    _leave(employee, payroll_admin, p1.start_date, p1.start_date)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    # when period 2 is paid without leave
    run = finalised_run(uk_schedule, 2, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    # then the rise in pay names its cause, and only against the period with leave
    reasons = run.payslips.get(employee=employee).reasons
    assert "unpaid_leave_ended" in reasons and "unpaid_leave" not in reasons
    third = calculated_run(uk_schedule, 3, payroll_admin, django_capture_on_commit_callbacks)
    assert not {"unpaid_leave", "unpaid_leave_ended"} & set(
        third.payslips.get(employee=employee).reasons)


def test_off_cycle_runs_ignore_unpaid_leave(uk_schedule, payroll_admin):
    employee = paid_employee(uk_schedule)
    period = uk_schedule.periods.get(number=1)
    _leave(employee, payroll_admin, period.start_date, period.start_date)
    run = run_create(schedule=uk_schedule, period=period, acting_user=payroll_admin,
                     kind=PayRun.Kind.OFF_CYCLE, employees=[employee])
    assert prepare(run, [employee.pk])[0].inputs.unpaid_leave_days == ()


def _calculation_queries(run, ids) -> int:
    with CaptureQueriesContext(connection) as ctx:
        calculate_employees(run, ids)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_people_on_leave(uk_schedule, payroll_admin):
    # given two runs: one with 2 employees on leave, one with 8
    period = uk_schedule.periods.get(number=1)
    small = [paid_employee(uk_schedule) for _ in range(2)]
    large = [paid_employee(uk_schedule) for _ in range(8)]
    for employee in small + large:
        _leave(employee, payroll_admin, period.start_date + timedelta(days=2),
               period.start_date + timedelta(days=4))
        _leave(employee, payroll_admin, period.start_date + timedelta(days=10),
               period.start_date + timedelta(days=10))
    run = run_create(schedule=uk_schedule, period=period, acting_user=payroll_admin)
    # when each group is calculated as a chunk
    few = _calculation_queries(run, [e.pk for e in small])
    many = _calculation_queries(run, [e.pk for e in large])
    # then the chunk costs the same fixed number of queries: existing payslips, employees,
    # compensation, recurring items, run inputs, unpaid leave, tax profiles, YTD, the other
    # payments of the tax period, contracted weekly hours, the time-off app's statutory
    # absences (payroll.services.statutory), previous payslips, bank details, payslip insert,
    # lines (by COPY on PostgreSQL, outside the query log; one bulk INSERT elsewhere)
    assert few == many, (few, many)
    assert many == (14 if connection.vendor == "postgresql" else 15)
    assert run.payslips.count() == 10
    lines = PayslipLine.objects.filter(payslip__run=run, code="SALARY")
    assert [line.trace["inputs"]["unpaid_leave_days"] for line in lines] == [4] * 10
