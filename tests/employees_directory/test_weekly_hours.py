"""Contracted hours a week on the effective-dated job record: form, import, validation, and
what payroll reads as of a date."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import JobRecord
from employees.selectors import job_as_of, weekly_hours_as_of
from employees.services.changes import job_change
from employees.services.core import JobData
from employees.services.imports import import_run
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
    PayScheduleFactory,
)

pytestmark = pytest.mark.django_db


def _job(person, hours) -> JobData:
    return JobData(job_title=person.job_title, department=person.department,
                   location=person.location, weekly_hours=hours)


def test_weekly_hours_are_effective_dated_and_read_as_of_a_date(hr_admin):
    # given 37.5 hours from 1 March, 30 from 1 June
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    job_change(acting_user=hr_admin, employee=person, effective_date=date(2026, 3, 1),
               job=_job(person, Decimal("37.5")), reason="hours_change")
    job_change(acting_user=hr_admin, employee=person, effective_date=date(2026, 6, 1),
               job=_job(person, Decimal("30")), reason="hours_change")
    # then payroll reads the record in force on each date (none before March)
    read = {d: weekly_hours_as_of([person.pk], d).get(person.pk)
            for d in (date(2026, 2, 28), date(2026, 5, 31), date(2026, 6, 1))}
    assert read == {date(2026, 2, 28): None, date(2026, 5, 31): Decimal("37.50"),
                    date(2026, 6, 1): Decimal("30.00")}
    # and the change is audited with the field
    event = AuditEvent.objects.filter(object_type="employees.jobrecord",
                                      employee_id=person.pk).order_by("-pk").first()
    assert event.changes["weekly_hours"] == ["37.50", "30"]


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("168.5")])
def test_impossible_weekly_hours_are_refused(hr_admin, hours):
    person = EmployeeFactory()
    with pytest.raises(ValidationError, match="Contracted hours a week must be more than 0"):
        job_change(acting_user=hr_admin, employee=person, effective_date=date(2026, 3, 1),
                   job=_job(person, hours), reason="hours_change")
    assert JobRecord.objects.filter(employee=person).count() == 1


def test_job_change_form_records_weekly_hours_and_shows_them(hr_admin, login):
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    client = login(hr_admin)
    url = reverse("employees:employment", args=[person.pk])
    data = {"job-effective_date": "2025-06-01", "job-job_title": person.job_title_id,
            "job-department": person.department_id, "job-location": person.location_id,
            "job-manager": "", "job-employment_type": "full_time", "job-fte": "1",
            "job-weekly_hours": "37.5", "job-reason": "hours_change"}
    assert client.post(url, data).status_code == 302
    assert job_as_of(person, date(2025, 6, 1)).weekly_hours == Decimal("37.50")
    page = client.get(url).content.decode()
    assert "Contracted hours a week" in page and "37.5" in page
    # a bad value is a form error, nothing written
    response = client.post(url, {**data, "job-effective_date": "2025-07-01",
                                 "job-weekly_hours": "200"})
    assert response.status_code == 400
    assert "weekly_hours" in response.context["form"].errors
    assert JobRecord.objects.filter(employee=person).count() == 2


def test_import_carries_weekly_hours_for_hires_and_changes(hr_admin):
    PayScheduleFactory()
    DepartmentFactory(name="Engineering", code="ENG")
    LocationFactory(name="London")
    JobTitleFactory(name="Engineer")
    hires = (b"employee_number,legal_first_name,legal_last_name,work_email,hire_date,department,"
             b"location,job_title,work_country,pay_basis,amount,currency,weekly_hours\n"
             b"W1,Ann,Lee,w1@acme.test,2026-01-05,Engineering,London,Engineer,GB,salary,"
             b"39000.00,GBP,37.5\n")
    result = import_run(acting_user=hr_admin, kind="employees", name="p.csv", content=hires,
                        commit=True)
    assert result.committed, result.errors
    person = JobRecord.objects.get(employee__employee_number="W1").employee
    assert job_as_of(person, date(2026, 1, 5)).weekly_hours == Decimal("37.50")
    # a change file that sets only the hours carries everything else over
    changes = (b"employee_number,effective_date,reason,weekly_hours\n"
               b"W1,2026-04-01,hours_change,30\n")
    result = import_run(acting_user=hr_admin, kind="changes", name="c.csv", content=changes,
                        commit=True)
    assert result.committed, result.errors
    april = job_as_of(person, date(2026, 4, 1))
    assert april.weekly_hours == Decimal("30.00") and april.department.name == "Engineering"
