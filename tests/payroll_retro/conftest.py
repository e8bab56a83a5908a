from datetime import date
from decimal import Decimal

import pytest

from employees.services.changes import compensation_change
from employees.services.core import PayData
from payroll.services.periods import periods_generate
from payroll.services.runs import payslip_flag_override, run_approve, run_finalise
from tests.factories.payroll_runs import UKMonthlyScheduleFactory
from tests.payroll_runs.helpers import calculated_run


@pytest.fixture
def tax_months(db, payroll_admin):
    """UK monthly pay on tax months (6th to 5th): 6 Apr - 5 May 2025 is period 1."""
    schedule = UKMonthlyScheduleFactory(name="UK tax months (retro)",
                                        first_period_start=date(2025, 4, 6))
    periods_generate(schedule=schedule, until=date(2025, 12, 31), acting_user=payroll_admin)
    return schedule


@pytest.fixture
def finalise(payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    """finalise(schedule, number) -> the finalised run (four eyes respected). A pay rise or
    arrears move net pay past the variance threshold: the reviewer accepts that flag."""
    def _finalise(schedule, number):
        run = calculated_run(schedule, number, payroll_admin, django_capture_on_commit_callbacks)
        for payslip in run.payslips.all():
            if any(f["code"] == "variance" for f in payslip.flags):
                payslip_flag_override(payslip=payslip, code="variance", acting_user=payroll_admin,
                                      comment="Expected: pay rise / arrears.")
        run_approve(run=run, acting_user=second_payroll_admin)
        # Not executing the on-commit callbacks: no payslip PDFs or emails (not tested here).
        run_finalise(run=run, acting_user=second_payroll_admin)
        run.refresh_from_db()
        return run
    return _finalise


@pytest.fixture
def pay_change(hr_admin):
    """pay_change(employee, effective, amount, basis="salary", schedule=None): through the
    employees service, as the compensation page does."""
    def _change(employee, effective, amount, *, schedule, basis="salary"):
        salary = basis == "salary"
        pay = PayData(basis=basis, currency=schedule.currency, pay_schedule=schedule,
                      annual_salary=Decimal(amount) if salary else None,
                      hourly_rate=None if salary else Decimal(amount))
        return compensation_change(acting_user=hr_admin, employee=employee,
                                   effective_date=effective, pay=pay, reason="merit_increase")
    return _change
