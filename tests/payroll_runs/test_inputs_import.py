from decimal import Decimal

import pytest

from employees.models import JobRecord
from payroll.models import PayComponent, RunInput
from payroll.services.inputs import run_inputs_import
from payroll.services.runs import run_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(uk_schedule, uk_staff, payroll_admin):
    PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    PayComponent.objects.create(code="OVERTIME", name="Overtime", kind="earning",
                                calculation="rate_x_hours", multiplier=Decimal("1.5"))
    return run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                      acting_user=payroll_admin)


def test_valid_csv_imports_every_row(run, uk_staff, payroll_admin):
    a, b = (e.employee_number for e in uk_staff)
    # salaried overtime needs contracted weekly hours on the job record
    JobRecord.objects.filter(employee=uk_staff[1]).update(weekly_hours=Decimal("37.5"))
    data = (f"employee_number,component,quantity,rate,amount,note\n"
            f"{a},bonus,,,250.00,Q1\n{b},OVERTIME,10,,,\n").encode()
    result = run_inputs_import(run=run, data=data, acting_user=payroll_admin)
    assert result.errors == [] and result.created == 2
    assert RunInput.objects.get(run=run, employee=uk_staff[0]).amount == Decimal("250.00")


def test_any_bad_row_writes_nothing_and_reports_each_row(run, uk_staff, payroll_admin, org):
    a = uk_staff[0].employee_number
    data = (f"employee_number,component,amount\n"
            f"{a},BONUS,100\n"  # fine
            f"{a},NOPE,100\n"  # unknown component
            f"{org.peer.employee_number},BONUS,100\n"  # not paid in this run
            f"{a},BONUS,\n"  # no value
            f"{a},OVERTIME,1e999\n"  # out of range
            f"{a},OVERTIME,12x\n").encode()  # not a number
    result = run_inputs_import(run=run, data=data, acting_user=payroll_admin)
    assert [line for line, _ in result.errors] == [3, 4, 5, 6, 7]
    assert "unknown component" in result.errors[0][1]
    assert RunInput.objects.filter(run=run).count() == 0


def test_duplicate_rows_both_count_missing_columns_and_binary_files_refused(run, uk_staff,
                                                                          payroll_admin):
    a = uk_staff[0].employee_number
    # given two rows of one component for one person: both are added (two bonuses)
    dup = f"employee_number,component,amount\n{a},BONUS,1\n{a},BONUS,2\n".encode()
    assert run_inputs_import(run=run, data=dup, acting_user=payroll_admin).created == 2
    assert sorted(RunInput.objects.filter(run=run).values_list("amount", flat=True)) == [
        Decimal("1.00"), Decimal("2.00")]
    no_cols = b"who,what\nx,y\n"
    assert "Missing column" in run_inputs_import(run=run, data=no_cols,
                                                 acting_user=payroll_admin).errors[0][1]
    binary = b"\xff\xfe\x00garbage"
    assert run_inputs_import(run=run, data=binary, acting_user=payroll_admin).errors
    assert RunInput.objects.count() == 2
