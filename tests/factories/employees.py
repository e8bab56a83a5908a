from datetime import date
from decimal import Decimal

import factory

from employees.hooks import job_fields_changed
from employees.models import (
    ChangeReason,
    CompensationRecord,
    Department,
    Employee,
    Employment,
    JobRecord,
    JobTitle,
    Location,
)
from tests.factories.payroll import PayScheduleFactory


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"D{n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Office {n}")
    city = "London"
    country = "GB"
    timezone = "Europe/London"


class JobTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobTitle

    name = factory.Sequence(lambda n: f"Job title {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An active employee with an open employment period and a matching first job record.

    `EmployeeFactory(manager=boss, user=login)`; pass `user=None` (default) for no login.
    """

    class Meta:
        model = Employee
        skip_postgeneration_save = True

    employee_number = factory.Sequence(lambda n: f"T{n:05d}")
    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    work_email = factory.LazyAttribute(lambda o: f"{o.employee_number.lower()}@work.example.test")
    work_country = "GB"
    status = Employee.Status.ACTIVE
    hire_date = date(2024, 1, 8)
    department = factory.SubFactory(DepartmentFactory)
    location = factory.SubFactory(LocationFactory)
    job_title = factory.SubFactory(JobTitleFactory)
    manager = None
    user = None

    @factory.post_generation
    def history(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        Employment.objects.create(employee=self, start_date=self.hire_date)
        JobRecord.objects.create(
            employee=self, effective_date=self.hire_date, job_title=self.job_title,
            department=self.department, location=self.location, manager=self.manager,
            employment_type=self.employment_type, fte=self.fte, reason=ChangeReason.HIRE,
        )
        # As employee_create does (through employee_sync_current_job): apps keeping data
        # derived from job fields (compliance's stored statuses) update it.
        job_fields_changed([self.pk])


class CompensationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationRecord

    employee = factory.SubFactory(EmployeeFactory)
    effective_date = factory.LazyAttribute(lambda o: o.employee.hire_date)
    basis = CompensationRecord.Basis.SALARY
    annual_salary = Decimal("42000.00")
    hourly_rate = None
    currency = "GBP"
    pay_schedule = factory.SubFactory(PayScheduleFactory)
    reason = ChangeReason.HIRE
