"""Builders for the directory tests: people with a job history through the real services."""

from datetime import date
from decimal import Decimal

from employees.models import ChangeReason, CompensationRecord, Employee
from employees.services.core import JobData, PayData, compensation_record_add
from tests.factories.employees import EmployeeFactory
from tests.factories.payroll import PayScheduleFactory


def salary(employee: Employee, amount: str = "42000.00", on: date | None = None,
           reason: str = ChangeReason.HIRE, acting_user=None) -> CompensationRecord:
    return compensation_record_add(
        acting_user=acting_user, employee=employee, effective_date=on or employee.hire_date,
        reason=reason,
        pay=PayData(basis="salary", currency="GBP", annual_salary=Decimal(amount),
                    pay_schedule=PayScheduleFactory()),
    )


def job_like(employee: Employee, **changes) -> JobData:
    """The employee's current job with some fields changed."""
    fields = dict(job_title=employee.job_title, department=employee.department,
                  location=employee.location, manager=employee.manager,
                  employment_type=employee.employment_type, fte=employee.fte)
    fields.update(changes)
    return JobData(**fields)


def people(n: int, **kwargs) -> list[Employee]:
    return [EmployeeFactory(**kwargs) for _ in range(n)]
