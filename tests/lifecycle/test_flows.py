"""Hire and offboard flows and the scheduled status changes that follow them."""

from datetime import date

import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from employees.models import Employee, Employment
from lifecycle.models import AssigneeRule, Checklist, ChecklistKind, LeaverNotice, Task
from lifecycle.selectors import leaver_notices_for_payroll
from lifecycle.services.checklists import task_complete
from lifecycle.services.flows import (
    OffboardData,
    leavers_terminate_due,
    offboarding_cancel,
    offboarding_start,
    starters_activate_due,
)
from lifecycle.tasks import activate_starters_task, terminate_leavers_task
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.lifecycle.helpers import hire

pytestmark = pytest.mark.django_db
START = date(2027, 3, 1)


def test_hire_creates_prehire_with_login_checklists_and_notices(
    hr_staff, ref, org, django_capture_on_commit_callbacks
):
    # given an onboarding template with a manager task
    make_template("General", tasks=[task_spec("Welcome lunch",
                                              assignee_rule=AssigneeRule.MANAGER)])
    # when HR hires with a login, before the start date
    with django_capture_on_commit_callbacks(execute=True):
        result = hire(hr_staff, ref, start=START, manager=org.manager, login=True,
                      email="nina@work.example.test", today=date(2027, 2, 15))
    # then the employee is pre-hire with job and pay, linked to a new login
    employee = result.employee
    assert employee.status == Employee.Status.PRE_HIRE
    assert employee.user.email == "nina@work.example.test"
    assert employee.job_records.get().department == ref.eng
    assert employee.compensation_records.get().annual_salary == 50000
    assert len(result.checklists) == 1
    # a welcome email to the hire and a notice to the manager
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Welcome" in subjects["nina@work.example.test"]
    assert "onboarding starts" in subjects["manager@example.test"]
    notice = next(m for m in mail.outbox if m.to == ["manager@example.test"])
    assert "Welcome lunch" in notice.body and "1 Mar 2027" in notice.body


def test_hire_with_duplicate_number_creates_nothing(hr_staff, ref):
    EmployeeFactory(employee_number="N0001")
    with pytest.raises(ValidationError):
        hire(hr_staff, ref, start=START, number="N0001", login=True)
    assert Employee.objects.count() == 1
    assert not type(hr_staff).objects.filter(email="n0001@work.example.test").exists()


def test_prehire_becomes_active_on_start_date_not_before(hr_staff, ref):
    employee = hire(hr_staff, ref, start=START).employee
    # the day before: nothing
    assert starters_activate_due(today=date(2027, 2, 28)) == 0
    employee.refresh_from_db()
    assert employee.status == Employee.Status.PRE_HIRE
    # on the start date: active, and the current job is filled in
    assert activate_starters_task("2027-03-01") == 1
    employee.refresh_from_db()
    assert employee.status == Employee.Status.ACTIVE
    assert employee.department == ref.eng
    # running again changes nothing (idempotent)
    assert starters_activate_due(today=date(2027, 3, 1)) == 0


def test_hire_with_start_today_is_active_at_once(hr_staff, ref):
    employee = hire(hr_staff, ref, start=START, today=START).employee
    assert employee.status == Employee.Status.ACTIVE


def _offboarding_templates():
    make_template("Leaver", kind=ChecklistKind.OFFBOARDING, tasks=[
        task_spec("Return laptop", assignee_rule=AssigneeRule.EMPLOYEE, anchor="last_day"),
        task_spec("Revoke access", assignee_rule=AssigneeRule.IT, anchor="last_day",
                  offset_days=1),
        task_spec("Final pay", assignee_rule=AssigneeRule.PAYROLL, anchor="last_day",
                  offset_days=-5),
        task_spec("Exit interview", anchor="last_day", offset_days=-2, roll_weekend=True),
    ])


def test_offboard_records_leave_starts_checklist_and_flags_final_pay(hr_staff, org):
    _offboarding_templates()
    employee = org.report
    # when
    notice = offboarding_start(acting_user=hr_staff, employee=employee, data=OffboardData(
        last_day=date(2027, 3, 31), reason=Employment.TerminationReason.RESIGNATION,
        notice_given_on=date(2027, 3, 1), notice_end_date=date(2027, 3, 31),
        rehire_eligible=True))
    # then the employment has a last day, the checklist is running with dates from it
    employment = Employment.objects.get(employee=employee)
    assert employment.end_date == date(2027, 3, 31)
    assert employment.termination_reason == "resignation"
    checklist = Checklist.objects.get(employee=employee, kind=ChecklistKind.OFFBOARDING)
    due = dict(checklist.tasks.values_list("title", "due_date"))
    # (the exit interview, 2 days before the last day, is rolled off Easter Monday 29 March)
    assert due == {"Return laptop": date(2027, 3, 31), "Revoke access": date(2027, 4, 1),
                   "Final pay": date(2027, 3, 26), "Exit interview": date(2027, 3, 30)}
    # and payroll can read the final pay flag
    assert list(leaver_notices_for_payroll(date(2027, 3, 1), date(2027, 3, 31))) == [notice]
    # twice is refused
    with pytest.raises(ValidationError):
        offboarding_start(acting_user=hr_staff, employee=employee, data=OffboardData(
            last_day=date(2027, 4, 30), reason="resignation"))


def test_leaver_is_terminated_day_after_last_day_with_login_and_sessions_ended(hr_staff, org):
    employee = org.report
    user = org.users["employee"]
    UserSession.objects.create(user=user, ip="127.0.0.1", session_key="abc123",
                               user_agent="test")
    offboarding_start(acting_user=hr_staff, employee=employee,
                      data=OffboardData(last_day=date(2027, 3, 31), reason="resignation"))
    # on the last day: still employed
    assert leavers_terminate_due(today=date(2027, 3, 31)) == 0
    employee.refresh_from_db()
    assert employee.status == Employee.Status.ACTIVE
    # the day after: terminated, login disabled, sessions ended
    assert terminate_leavers_task("2027-04-01") == 1
    employee.refresh_from_db()
    user.refresh_from_db()
    assert employee.status == Employee.Status.TERMINATED
    assert employee.termination_date == date(2027, 3, 31)
    assert user.is_active is False
    assert not UserSession.objects.filter(user=user).exists()
    assert LeaverNotice.objects.get(employee=employee).status == LeaverNotice.Status.LEFT
    # idempotent
    assert leavers_terminate_due(today=date(2027, 4, 2)) == 0


def test_cancel_offboarding_cancels_open_tasks_and_keeps_history(hr_staff, org, payroll_admin):
    _offboarding_templates()
    employee = org.report
    offboarding_start(acting_user=hr_staff, employee=employee,
                      data=OffboardData(last_day=date(2027, 3, 31), reason="resignation"))
    final_pay = Task.objects.get(title="Final pay")
    task_complete(acting_user=payroll_admin, task=final_pay)
    # when
    offboarding_cancel(acting_user=hr_staff, employee=employee, note="Stays after all")
    # then the person stays, open tasks are cancelled with who/when, the done one stays done
    assert Employment.objects.get(employee=employee).end_date is None
    tasks = {t.title: t for t in Task.objects.filter(checklist__employee=employee)}
    assert tasks["Final pay"].status == Task.Status.DONE
    assert tasks["Final pay"].closed_by == payroll_admin
    for title in ("Return laptop", "Revoke access", "Exit interview"):
        assert tasks[title].status == Task.Status.CANCELLED
        assert tasks[title].closed_by == hr_staff
        assert tasks[title].closed_at is not None
        assert tasks[title].events.filter(action="cancelled").exists()
    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.status, checklist.cancelled_by) == ("cancelled", hr_staff)
    assert LeaverNotice.objects.get(employee=employee).status == "cancelled"
    assert list(leaver_notices_for_payroll(date(2027, 3, 1), date(2027, 3, 31))) == []
    # the beat never terminates them
    assert leavers_terminate_due(today=date(2027, 4, 1)) == 0
    # and they can be offboarded again later
    offboarding_start(acting_user=hr_staff, employee=employee,
                      data=OffboardData(last_day=date(2027, 6, 30), reason="retirement"))


def test_hire_page_creates_hire(client, hr_staff, ref, org):
    make_template("General")
    client.force_login(hr_staff)
    form = {
        "legal_first_name": "Ada", "legal_last_name": "Lovelace", "employee_number": "E0900",
        "work_email": "ada@work.example.test", "start_date": "2027-03-01", "work_country": "gb",
        "job_title": ref.title.pk, "department": ref.eng.pk, "location": ref.london.pk,
        "manager": org.manager.employee_number, "employment_type": "full_time", "fte": "1.000",
        "basis": "salary", "amount": "55000.00", "currency": "gbp",
        "pay_schedule": ref.schedule.pk, "create_login": "on",
    }
    response = client.post(reverse("lifecycle:hire"), form)
    employee = Employee.objects.get(employee_number="E0900")
    assert response.status_code == 302
    assert response["Location"] == reverse("lifecycle:employee_checklists", args=[employee.pk])
    assert employee.work_country == "GB" and employee.user is not None
    assert employee.checklists.count() == 1


def test_hire_page_bad_input_is_a_form_error(client, hr_staff, ref):
    client.force_login(hr_staff)
    form = {"legal_first_name": "Ada", "legal_last_name": "L", "employee_number": "E1",
            "start_date": "not a date", "work_country": "Great Britain", "job_title": ref.title.pk,
            "department": ref.eng.pk, "location": ref.london.pk, "employment_type": "full_time",
            "fte": "1", "basis": "salary", "amount": "55000.123", "currency": "GBP",
            "create_login": "on"}
    response = client.post(reverse("lifecycle:hire"), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "A login needs a work email" in body
    assert "at most 2 decimal places" in body
    assert not Employee.objects.exists()


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_hire_and_offboard_pages_are_hr_only(client, org, who):
    client.force_login(org.users[who])
    assert client.get(reverse("lifecycle:hire")).status_code == 403
    assert client.get(reverse("lifecycle:offboard", args=[org.report.pk])).status_code == 403
    response = client.post(reverse("lifecycle:offboard_cancel", args=[org.report.pk]))
    assert response.status_code == 403


def test_offboard_page_and_cancel(client, hr_staff, org):
    _offboarding_templates()
    client.force_login(hr_staff)
    url = reverse("lifecycle:offboard", args=[org.report.pk])
    assert client.get(url).status_code == 200
    # bad: notice after last day
    response = client.post(url, {"last_day": "2027-03-31", "reason": "resignation",
                                 "notice_given_on": "2027-04-15"})
    assert response.status_code == 400
    response = client.post(url, {"last_day": "2027-03-31", "reason": "dismissal",
                                 "rehire_eligible": "no", "final_pay_flag": "on"})
    assert response.status_code == 302
    notice = LeaverNotice.objects.get(employee=org.report)
    assert (notice.rehire_eligible, notice.reason) == (False, "dismissal")
    page = client.get(reverse("lifecycle:employee_checklists", args=[org.report.pk]))
    assert "Cancel offboarding" in page.content.decode()
    response = client.post(reverse("lifecycle:offboard_cancel", args=[org.report.pk]),
                           {"note": "Changed mind"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "cancelled"
    # cancelling again is a message, not an error page
    response = client.post(reverse("lifecycle:offboard_cancel", args=[org.report.pk]))
    assert response.status_code == 302


def test_offboard_an_employee_who_left_is_refused(hr_staff):
    employee = EmployeeFactory(status=Employee.Status.TERMINATED)
    with pytest.raises(ValidationError):
        offboarding_start(acting_user=hr_staff, employee=employee,
                          data=OffboardData(last_day=date(2027, 3, 31), reason="resignation"))


def test_unknown_user_on_digest_settings_page_needs_login(client):
    assert client.get(reverse("lifecycle:settings")).status_code == 302


def test_named_user_task_when_user_is_inactive_goes_to_hr(hr_staff, ref):
    gone = UserFactory(is_active=False)
    make_template("General", tasks=[task_spec("Buddy", assignee_rule=AssigneeRule.USER,
                                              assignee_user=gone)])
    task = Task.objects.get(checklist__in=hire(hr_staff, ref, start=START).checklists)
    assert task.assignee_rule == AssigneeRule.HR


def test_activation_uses_the_company_time_zone(hr_staff, ref, settings):
    # given the company runs on New York time and someone starts on 1 March
    settings.TIME_ZONE = "America/New_York"
    employee = hire(hr_staff, ref, start=START).employee
    from datetime import UTC, datetime
    from unittest import mock

    # when beat runs at 03:00 UTC on 1 March, still 28 February in New York: not yet
    with mock.patch("django.utils.timezone.now",
                    return_value=datetime(2027, 3, 1, 3, 0, tzinfo=UTC)):
        assert activate_starters_task() == 0
    employee.refresh_from_db()
    assert employee.status == Employee.Status.PRE_HIRE
    # at 06:00 UTC it is 1 March in New York: active
    with mock.patch("django.utils.timezone.now",
                    return_value=datetime(2027, 3, 1, 6, 0, tzinfo=UTC)):
        assert activate_starters_task() == 1
    employee.refresh_from_db()
    assert employee.status == Employee.Status.ACTIVE
