"""The bulk path of an import writes what `employee_create` writes for each person: the same
employee, employment, job and pay rows and the same audit events (on PostgreSQL through COPY,
on SQLite through bulk_create)."""

from datetime import date
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from audit.models import AuditEvent
from employees.models import CompensationRecord, Employee, Employment, JobRecord
from employees.services.bulk_hire import Hire, employees_bulk_create
from employees.services.core import JobData, PayData, employee_create
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
    PayScheduleFactory,
)

pytestmark = pytest.mark.django_db
SKIP = {"id", "employee", "employee_number", "work_email", "created_at", "updated_at"}


def _rows(employee: Employee) -> dict:
    def plain(obj):
        return {k: v for k, v in model_to_dict(obj).items() if k not in SKIP}

    return {
        "employee": plain(employee),
        "employment": [plain(e) for e in Employment.objects.filter(employee=employee)],
        "jobs": [plain(j) for j in JobRecord.objects.filter(employee=employee)],
        "pays": [plain(p) for p in CompensationRecord.objects.filter(employee=employee)],
        "audit": [(e.action, e.object_type,
                   e.object_label.replace(f"({employee.employee_number})", "(N)"), e.note,
                   e.source, e.actor_id,
                   {k: v for k, v in e.changes.items() if k != "employee_number"})
                  for e in AuditEvent.objects.filter(employee_id=employee.pk).order_by("pk")],
    }


def test_bulk_hire_writes_what_employee_create_writes(hr_admin):
    # given the same person's data, twice
    boss = EmployeeFactory(employee_number="BOSS")
    job = JobData(job_title=JobTitleFactory(name="Engineer"),
                  department=DepartmentFactory(name="Eng", code="ENG"),
                  location=LocationFactory(name="Leeds"), manager=boss, fte=Decimal("0.800"),
                  weekly_hours=Decimal("30.00"))
    pay = PayData(basis="salary", currency="GBP", annual_salary=Decimal("41000.00"),
                  pay_schedule=PayScheduleFactory())
    common = dict(legal_first_name="Ann", legal_last_name="Lee", hire_date=date(2026, 3, 2),
                  work_country="GB", job=job, pay=pay, status=Employee.Status.ACTIVE)
    # when one is hired by the service and the other in bulk
    one = employee_create(acting_user=hr_admin, employee_number="S1",
                          work_email="s1@acme.test", preferred_name="Annie", **common)
    [two] = employees_bulk_create(acting_user=hr_admin, hires=[Hire(
        employee_number="B1", work_email="b1@acme.test", preferred_name="Annie",
        **common)]).values()
    # then every row and audit event is the same but for the number and email
    two = Employee.objects.get(pk=two.pk)
    assert _rows(two) == _rows(one)
    assert len(_rows(two)["audit"]) == 3


def test_managers_created_in_the_same_batch_and_in_earlier_ones_are_linked(hr_admin):
    job = JobData(job_title=JobTitleFactory(), department=DepartmentFactory(),
                  location=LocationFactory())
    pay = PayData(basis="hourly", currency="GBP", hourly_rate=Decimal("15.5000"))

    def hire(number: str, manager: str = "") -> Hire:
        return Hire(employee_number=number, legal_first_name="A", legal_last_name=number,
                    work_email=f"{number}@acme.test", hire_date=date(2026, 1, 5),
                    work_country="GB", job=job, pay=pay, manager_key=manager)

    # batches of 2: M2's manager is in the first batch, R1's in its own
    created = employees_bulk_create(acting_user=hr_admin, batch=2, hires=[
        hire("M1"), hire("M2", "m1"), hire("M3", "m1"), hire("R1", "m3")])
    people = {e.employee_number: e for e in Employee.objects.filter(pk__in=[
        e.pk for e in created.values()])}
    assert people["M2"].manager == people["M1"] and people["M3"].manager == people["M1"]
    assert people["R1"].manager == people["M3"]
    assert JobRecord.objects.get(employee=people["R1"]).manager == people["M3"]


def test_people_hired_in_bulk_get_their_compliance_statuses_as_a_single_hire_does(hr_admin):
    # given a requirement that applies to everyone
    from compliance.models import ComplianceStatus
    from tests.factories.compliance import RequirementRuleFactory, RequirementTypeFactory

    RequirementRuleFactory(requirement_type=RequirementTypeFactory(name="Induction"))
    job = JobData(job_title=JobTitleFactory(), department=DepartmentFactory(),
                  location=LocationFactory())
    pay = PayData(basis="hourly", currency="GBP", hourly_rate=Decimal("15.5000"))
    common = dict(legal_first_name="A", legal_last_name="B", hire_date=date(2026, 1, 5),
                  work_country="GB", job=job, pay=pay, status=Employee.Status.ACTIVE)
    # when one person is hired by the service and two in bulk
    one = employee_create(acting_user=hr_admin, employee_number="S1",
                          work_email="s1@acme.test", **common)
    bulk = employees_bulk_create(acting_user=hr_admin, hires=[
        Hire(employee_number=n, work_email=f"{n}@acme.test", **common) for n in ("B1", "B2")])
    # then each has the same stored status row (the dashboard counts these)
    statuses = dict(ComplianceStatus.objects.values_list("employee_id", "status"))
    assert one.pk in statuses
    assert {statuses.get(e.pk) for e in bulk.values()} == {statuses[one.pk]}
