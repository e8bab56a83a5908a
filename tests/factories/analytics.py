"""A person with a history, for analytics tests: hired, perhaps moved, perhaps gone."""

from datetime import date
from decimal import Decimal

from employees.models import ChangeReason, Employee, Employment, JobRecord
from tests.factories.employees import EmployeeFactory


def person(*, hire: date, department, location, title, manager=None, end: date | None = None,
           reason: str = "", employment_type: str = "full_time", fte: str = "1.000",
           moves: tuple = (), today: date = date(2026, 3, 15)) -> Employee:
    """`moves`: (effective date, department) job changes after the hire."""
    gone = end is not None and end < today
    employee = EmployeeFactory(
        hire_date=hire, department=department, location=location, job_title=title,
        manager=manager, employment_type=employment_type, fte=Decimal(fte),
        status=(Employee.Status.TERMINATED if gone else Employee.Status.PRE_HIRE
                if hire > today else Employee.Status.ACTIVE),
        termination_date=end if gone else None)
    if end is not None:
        Employment.objects.filter(employee=employee).update(end_date=end,
                                                            termination_reason=reason)
    for effective, new_department in moves:
        JobRecord.objects.create(
            employee=employee, effective_date=effective, job_title=title,
            department=new_department, location=location, manager=manager,
            employment_type=employment_type, fte=Decimal(fte), reason=ChangeReason.TRANSFER)
        if effective <= today:  # the employee row mirrors the job in force today
            Employee.objects.filter(pk=employee.pk).update(department=new_department)
    return employee
