from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from employees.models import Employee, JobRecord
from employees.selectors import compensation_as_of, job_as_of
from employees.services.changes import (
    compensation_change,
    effective_changes_apply,
    job_change,
)
from employees.services.core import PayData, employee_terminate, employment_schedule_end
from employees.tasks import apply_effective_changes_task
from tests.factories import DepartmentFactory, EmployeeFactory, JobTitleFactory
from tests.factories.employees_directory import job_like, salary

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_future_dated_job_change_changes_nothing_today(hr_admin):
    # given
    person = EmployeeFactory()
    old_dept, new_dept = person.department, DepartmentFactory(name="Future dept")
    # when
    job_change(acting_user=hr_admin, employee=person, effective_date=TODAY + timedelta(days=10),
               job=job_like(person, department=new_dept), reason="transfer")
    # then
    person.refresh_from_db()
    assert person.department == old_dept
    assert job_as_of(person, TODAY).department == old_dept
    assert job_as_of(person, TODAY + timedelta(days=10)).department == new_dept


def test_back_dated_change_applies_now_and_is_audited(hr_admin):
    person = EmployeeFactory()
    title = JobTitleFactory(name="Lead")
    job_change(acting_user=hr_admin, employee=person, effective_date=TODAY - timedelta(days=3),
               job=job_like(person, job_title=title), reason="promotion", note="Well earned")
    person.refresh_from_db()
    assert person.job_title == title
    event = AuditEvent.objects.filter(object_type="employees.jobrecord").latest("id")
    assert event.actor == hr_admin and "job_title" in event.changes


def test_sync_task_brings_todays_change_into_force_and_is_idempotent(hr_admin):
    # given: a change recorded yesterday for today
    person = EmployeeFactory()
    new_dept = DepartmentFactory()
    record = job_change(acting_user=hr_admin, employee=person,
                        effective_date=TODAY + timedelta(days=1),
                        job=job_like(person, department=new_dept), reason="transfer")
    tomorrow = record.effective_date
    # when: the daily job runs on that day, twice
    first = effective_changes_apply(today=tomorrow)
    second = effective_changes_apply(today=tomorrow)
    # then
    person.refresh_from_db()
    assert (first, second) == (1, 0)
    assert person.department == new_dept


def test_celery_task_runs_the_service():
    assert apply_effective_changes_task.delay().get() == 0


def test_change_before_hire_or_for_a_leaver_is_refused(hr_admin):
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    with pytest.raises(ValidationError, match="before the hire date"):
        job_change(acting_user=hr_admin, employee=person, effective_date=date(2023, 12, 1),
                   job=job_like(person), reason="correction")
    employee_terminate(acting_user=hr_admin, employee=person)
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="has left"):
        job_change(acting_user=hr_admin, employee=person, effective_date=TODAY,
                   job=job_like(person), reason="correction")


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_nobody_becomes_their_own_manager(hr_admin, depth):
    # given a chain top <- m1 <- ... <- bottom
    top = EmployeeFactory()
    chain = [top]
    for _ in range(depth):
        chain.append(EmployeeFactory(manager=chain[-1]))
    bottom = chain[-1]
    # when top is put under bottom (or under themself when depth == 0)
    with pytest.raises(ValidationError, match="cannot be their manager"):
        job_change(acting_user=hr_admin, employee=top, effective_date=TODAY,
                   job=job_like(top, manager=bottom), reason="reorganisation")
    # then nothing changed
    assert JobRecord.objects.filter(employee=top).count() == 1


def test_pay_change_quantizes_and_future_pay_is_not_today(hr_admin):
    person = EmployeeFactory()
    salary(person, "40000.00")
    compensation_change(acting_user=hr_admin, employee=person,
                        effective_date=TODAY + timedelta(days=30), reason="merit_increase",
                        pay=PayData(basis="salary", currency="gbp",
                                    annual_salary=Decimal("45000.005")))
    assert compensation_as_of(person, TODAY).annual_salary == Decimal("40000.00")
    future = compensation_as_of(person, TODAY + timedelta(days=30))
    assert future.annual_salary == Decimal("45000.01") and future.currency == "GBP"


def test_job_tab_adds_change_and_shows_as_of(hr_admin, login):
    # given
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    dept = DepartmentFactory(name="Research")
    client = login(hr_admin)
    url = reverse("employees:employment", args=[person.pk])
    data = {"job-effective_date": "2025-06-01", "job-job_title": person.job_title_id,
            "job-department": dept.pk, "job-location": person.location_id, "job-manager": "",
            "job-employment_type": "full_time", "job-fte": "0.8", "job-reason": "transfer",
            "job-note": "Moved"}
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.department == dept and person.fte == Decimal("0.800")
    before = client.get(url, {"as_of": "2025-05-31"})
    assert before.context["in_force"].department != dept
    assert client.get(url, {"as_of": "2025-06-01"}).context["in_force"].department == dept


def test_job_tab_shows_errors_for_bad_input(hr_admin, login):
    person = EmployeeFactory()
    client = login(hr_admin)
    response = client.post(reverse("employees:employment", args=[person.pk]), {
        "job-effective_date": "not a date", "job-fte": "7", "job-manager": "NOPE"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"effective_date", "fte", "manager", "job_title"} <= set(errors)


def test_job_tab_cycle_error_is_a_form_error(hr_admin, login, org):
    response = login(hr_admin).post(reverse("employees:employment", args=[org.manager.pk]), {
        "job-effective_date": TODAY.isoformat(), "job-job_title": org.manager.job_title_id,
        "job-department": org.manager.department_id, "job-location": org.manager.location_id,
        "job-manager": org.intern.employee_number, "job-employment_type": "full_time",
        "job-fte": "1", "job-reason": "reorganisation"})
    assert response.status_code == 400
    assert "cannot be their manager" in str(response.context["form"].errors["manager"])


def test_compensation_tab_adds_change(payroll_admin, login):
    person = EmployeeFactory()
    salary(person, "30000.00")
    url = reverse("employees:compensation", args=[person.pk])
    response = login(payroll_admin).post(url, {
        "pay-effective_date": TODAY.isoformat(), "pay-basis": "hourly", "pay-amount": "15.5",
        "pay-currency": "GBP", "pay-reason": "hours_change"})
    assert response.status_code == 302
    assert compensation_as_of(person, TODAY).hourly_rate == Decimal("15.5000")


def test_compensation_tab_duplicate_date_is_a_form_error(hr_admin, login):
    person = EmployeeFactory()
    salary(person, "30000.00")
    response = login(hr_admin).post(reverse("employees:compensation", args=[person.pk]), {
        "pay-effective_date": person.hire_date.isoformat(), "pay-basis": "salary",
        "pay-amount": "31000", "pay-currency": "GBP", "pay-reason": "correction"})
    assert response.status_code == 400
    assert "already a pay change" in str(response.context["form"].errors)


@pytest.mark.parametrize("who, job, pay, change_job", [
    ("hr_admin", 200, 200, 302), ("hr_staff", 200, 200, 302), ("payroll_admin", 200, 200, 403),
    ("manager", 200, 403, 403), ("manager_not_of", 404, 404, 404), ("self", 200, 200, 403),
    ("other", 404, 404, 404),
])
def test_profile_tab_permissions(who, job, pay, change_job, request, org, login):
    # "manager_not_of": the report's login (manages the intern) looking at the peer.
    users = {"manager": org.users["manager"], "manager_not_of": org.users["employee"],
             "self": org.users["employee"], "other": org.users["other"]}
    target = org.peer if who == "manager_not_of" else org.report
    user = users.get(who) or request.getfixturevalue(who)
    client = login(user)
    salary(target)
    assert client.get(reverse("employees:profile", args=[target.pk])).status_code == (
        404 if job == 404 else 200)
    assert client.get(reverse("employees:employment", args=[target.pk])).status_code == job
    assert client.get(reverse("employees:compensation", args=[target.pk])).status_code == pay
    response = client.post(reverse("employees:employment", args=[target.pk]), {
        "job-effective_date": TODAY.isoformat(), "job-job_title": target.job_title_id,
        "job-department": target.department_id, "job-location": target.location_id,
        "job-employment_type": "full_time", "job-fte": "1", "job-reason": "correction"})
    assert response.status_code == change_job


def test_overview_shows_pay_only_to_those_who_may_see_it(org, login, hr_admin):
    salary(org.report, "47123.00")
    url = reverse("employees:profile", args=[org.report.pk])
    assert "47,123.00" in login(hr_admin).get(url).content.decode()
    assert "47,123.00" not in login(org.users["manager"]).get(url).content.decode()


def test_overview_highlights_upcoming_changes(hr_admin, login):
    person = EmployeeFactory()
    job_change(acting_user=hr_admin, employee=person, effective_date=TODAY + timedelta(days=5),
               job=job_like(person, job_title=JobTitleFactory(name="Future Boss")),
               reason="promotion")
    body = login(hr_admin).get(reverse("employees:profile", args=[person.pk])).content.decode()
    assert "Upcoming changes" in body and "Future Boss" in body


def test_leave_and_return_from_the_profile(hr_staff, login):
    person = EmployeeFactory()
    client = login(hr_staff)
    url = reverse("employees:status_change", args=[person.pk])
    client.post(url, {"action": "leave"})
    person.refresh_from_db()
    assert person.status == Employee.Status.ON_LEAVE
    client.post(url, {"action": "return"})
    person.refresh_from_db()
    assert person.status == Employee.Status.ACTIVE


def test_illegal_transition_shows_a_clear_error(hr_admin, login):
    person = EmployeeFactory(status=Employee.Status.PRE_HIRE)
    response = login(hr_admin).post(reverse("employees:status_change", args=[person.pk]),
                                    {"action": "leave"}, follow=True)
    person.refresh_from_db()
    assert person.status == Employee.Status.PRE_HIRE
    assert "is pre-hire and cannot become on leave" in response.content.decode()


@pytest.mark.parametrize("who, status", [
    ("manager", 403), ("self", 403), ("other", 404), ("payroll_admin", 403),
])
def test_only_hr_changes_status(who, status, org, login, request):
    users = {"manager": org.users["manager"], "self": org.users["employee"],
             "other": org.users["other"]}
    user = users.get(who) or request.getfixturevalue(who)
    response = login(user).post(reverse("employees:status_change", args=[org.report.pk]),
                                {"action": "leave"})
    assert response.status_code == status
    org.report.refresh_from_db()
    assert org.report.status == Employee.Status.ACTIVE


def test_rehire_form_opens_a_new_employment(hr_admin, login):
    # given a leaver
    person = EmployeeFactory(hire_date=date(2020, 1, 6))
    salary(person)
    employment_schedule_end(acting_user=hr_admin, employee=person, last_day=date(2024, 4, 30),
                            reason="resignation", rehire_eligible=True)
    employee_terminate(acting_user=hr_admin, employee=person, on=date(2024, 5, 1))
    client = login(hr_admin)
    url = reverse("employees:rehire", args=[person.pk])
    page = client.get(url)
    data = {f"rehire-{k}": v for k, v in {
        "effective_date": "2026-01-05", "job_title": person.job_title_id,
        "department": person.department_id, "location": person.location_id,
        "employment_type": "full_time", "fte": "1", "basis": "salary", "amount": "50000",
        "currency": "GBP"}.items()}
    # when
    response = client.post(url, data)
    # then
    assert page.status_code == 200 and response.status_code == 302
    person.refresh_from_db()
    assert person.status == Employee.Status.PRE_HIRE and person.hire_date == date(2026, 1, 5)
    assert person.employments.count() == 2


def test_job_history_tab_query_count_does_not_grow_with_history(hr_admin, login,
                                                                django_assert_max_num_queries):
    person = EmployeeFactory(hire_date=date(2020, 1, 6))
    client = login(hr_admin)
    url = reverse("employees:employment", args=[person.pk])

    def queries() -> int:
        # session, user, groups, employee (+ joins), job records (+ joins), record in force,
        # title/department/location options of the change form, savepoint + session update +
        # release (session tracking), the header's "Leaving on" (latest employment)
        with django_assert_max_num_queries(13) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for month in range(2, 12):
        job_change(acting_user=hr_admin, employee=person, effective_date=date(2020, month, 1),
                   job=job_like(person, fte=Decimal("0.5") + Decimal(month) / 100),
                   reason="hours_change")
    assert queries() == few


def test_hr_cancels_a_future_dated_change_but_not_one_in_force(hr_admin, login):
    # given a future job change and a future pay change
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    salary(person)
    future_job = job_change(acting_user=hr_admin, employee=person,
                            effective_date=TODAY + timedelta(days=9),
                            job=job_like(person, fte=Decimal("0.6")), reason="hours_change")
    future_pay = compensation_change(
        acting_user=hr_admin, employee=person, effective_date=TODAY + timedelta(days=9),
        reason="merit_increase",
        pay=PayData(basis="salary", currency="GBP", annual_salary=Decimal("50000")))
    hire_record = JobRecord.objects.get(employee=person, effective_date=person.hire_date)
    client = login(hr_admin)
    # when
    client.post(reverse("employees:change_cancel", args=[person.pk, "job", future_job.pk]))
    client.post(reverse("employees:change_cancel", args=[person.pk, "pay", future_pay.pk]))
    refused = client.post(reverse("employees:change_cancel",
                                  args=[person.pk, "job", hire_record.pk]), follow=True)
    # then
    assert not JobRecord.objects.filter(pk=future_job.pk).exists()
    assert compensation_as_of(person, TODAY + timedelta(days=30)).annual_salary == \
        Decimal("42000.00")
    assert JobRecord.objects.filter(pk=hire_record.pk).exists()
    assert "already in force" in refused.content.decode()
    assert AuditEvent.objects.filter(action="delete", object_type="employees.jobrecord",
                                     employee_id=person.pk).exists()


@pytest.mark.parametrize("who, status", [("manager", 403), ("self", 403), ("other", 404),
                                         ("payroll_admin", 403)])
def test_only_hr_cancels_job_changes(who, status, org, login, request, hr_admin):
    record = job_change(acting_user=hr_admin, employee=org.report,
                        effective_date=TODAY + timedelta(days=3),
                        job=job_like(org.report, fte=Decimal("0.5")), reason="hours_change")
    users = {"manager": org.users["manager"], "self": org.users["employee"],
             "other": org.users["other"]}
    user = users.get(who) or request.getfixturevalue(who)
    response = login(user).post(reverse("employees:change_cancel",
                                        args=[org.report.pk, "job", record.pk]))
    assert response.status_code == status
    assert JobRecord.objects.filter(pk=record.pk).exists()


def test_payroll_may_cancel_a_future_pay_change(payroll_admin, hr_admin, login):
    person = EmployeeFactory()
    salary(person)
    record = compensation_change(
        acting_user=hr_admin, employee=person, effective_date=TODAY + timedelta(days=3),
        reason="merit_increase",
        pay=PayData(basis="salary", currency="GBP", annual_salary=Decimal("50000")))
    login(payroll_admin).post(reverse("employees:change_cancel",
                                      args=[person.pk, "pay", record.pk]))
    assert compensation_as_of(person, TODAY + timedelta(days=3)).annual_salary == \
        Decimal("42000.00")


def test_self_sees_their_manager_by_name_without_a_dead_link(org, login):
    body = login(org.users["employee"]).get(
        reverse("employees:profile", args=[org.report.pk])).content.decode()
    assert org.manager.display_name in body
    assert reverse("employees:profile", args=[org.manager.pk]) not in body
