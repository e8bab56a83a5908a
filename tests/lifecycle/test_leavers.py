"""Leavers: their open tasks are cancelled, handed over or closed; "Leaving on" is shown."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import Employment
from lifecycle.models import AssigneeRule, Checklist, ChecklistKind, Task, TaskEvent
from lifecycle.services.checklists import checklist_start
from lifecycle.services.flows import OffboardData, offboarding_start
from lifecycle.tasks import terminate_leavers_task
from tests.factories.lifecycle import make_template, task_spec

pytestmark = pytest.mark.django_db
LAST_DAY = date(2026, 12, 19)


@pytest.fixture
def leaver_tasks(org, hr_staff):
    """org.report has a running onboarding (manager, HR and own tasks) and is named on one task
    of the intern's onboarding; an offboarding template exists."""
    onboarding = make_template("Onboarding", tasks=[
        task_spec("Welcome lunch", assignee_rule=AssigneeRule.MANAGER),
        task_spec("Contract", assignee_rule=AssigneeRule.HR),
        task_spec("Sign handbook", assignee_rule=AssigneeRule.EMPLOYEE),
    ])
    buddy = make_template("Buddy", tasks=[task_spec(
        "Show the intern around", assignee_rule=AssigneeRule.USER,
        assignee_user=org.users["employee"])])
    make_template("Offboarding", kind=ChecklistKind.OFFBOARDING, tasks=[
        task_spec("Final pay", assignee_rule=AssigneeRule.PAYROLL, offset_days=5)])
    mine = checklist_start(acting_user=hr_staff, template=onboarding, employee=org.report,
                           employment=Employment.objects.get(employee=org.report),
                           anchor_date=date(2026, 11, 2))
    theirs = checklist_start(acting_user=hr_staff, template=buddy, employee=org.intern,
                             employment=Employment.objects.get(employee=org.intern),
                             anchor_date=date(2026, 11, 2))
    return {"mine": mine, "buddy_task": theirs.tasks.get()}


def _offboard(hr_staff, employee, **extra):
    return offboarding_start(acting_user=hr_staff, employee=employee, data=OffboardData(
        last_day=LAST_DAY, reason="resignation", **extra))


def test_termination_closes_the_leavers_onboarding_tasks_as_employee_left(
        org, hr_staff, leaver_tasks):
    # given a leaver with 3 open onboarding tasks
    _offboard(hr_staff, org.report)
    # when the morning job terminates them
    assert terminate_leavers_task("2026-12-20") == 1
    # then none of them is open: cancelled, with the reason and who/when on each task
    mine = leaver_tasks["mine"]
    mine.refresh_from_db()
    assert mine.status == Checklist.Status.CANCELLED
    tasks = list(mine.tasks.all())
    assert {t.status for t in tasks} == {Task.Status.CANCELLED}
    assert {t.skip_reason for t in tasks} == {"closed: employee left"}
    assert TaskEvent.objects.filter(task__in=tasks, action="cancelled",
                                    note="closed: employee left").count() == 3
    assert AuditEvent.objects.filter(object_type__endswith="checklist",
                                     object_id=str(mine.pk), action="status").exists()


def test_termination_keeps_offboarding_tasks_and_hands_named_tasks_to_hr(
        org, hr_staff, leaver_tasks):
    # given a leaver named on someone else's task, with an offboarding checklist running
    _offboard(hr_staff, org.report)
    # when they are terminated
    terminate_leavers_task("2026-12-20")
    # then the offboarding work goes on, and the task they were to do is HR's now
    offboarding = Checklist.objects.get(employee=org.report, kind=ChecklistKind.OFFBOARDING)
    assert offboarding.tasks.get().status == Task.Status.OPEN
    buddy = Task.objects.get(pk=leaver_tasks["buddy_task"].pk)
    assert (buddy.status, buddy.assignee_rule, buddy.assignee_user) == ("open", "hr", None)
    assert "left" in buddy.events.get(action="reassigned").note
    # and a second run changes nothing
    assert terminate_leavers_task("2026-12-21") == 0


def test_offboarding_can_cancel_open_tasks_now_and_hand_named_tasks_over(
        org, hr_staff, leaver_tasks):
    # when HR offboards with "cancel now" and a person to take over
    _offboard(hr_staff, org.report, cancel_open_tasks=True,
              hand_tasks_to=org.users["manager"])
    # then the onboarding tasks are cancelled at once, and the named task is the manager's
    assert set(leaver_tasks["mine"].tasks.values_list("status", flat=True)) == {"cancelled"}
    assert set(leaver_tasks["mine"].tasks.values_list("skip_reason", flat=True)) == {
        "cancelled at offboarding"}
    buddy = Task.objects.get(pk=leaver_tasks["buddy_task"].pk)
    assert buddy.assignee_user == org.users["manager"]


def test_offboard_page_lists_open_tasks_and_applies_the_choice(
        client, org, hr_staff, leaver_tasks):
    client.force_login(hr_staff)
    url = reverse("lifecycle:offboard", args=[org.report.pk])
    # given the offboard page
    page = client.get(url).content.decode()
    # then it lists both kinds of open task
    assert "Welcome lunch" in page and "Show the intern around" in page
    # when HR chooses to cancel now and hand over to the manager
    response = client.post(url, {"last_day": "2026-12-19", "reason": "resignation",
                                 "open_tasks": "cancel", "final_pay_flag": "on",
                                 "hand_tasks_to": org.users["manager"].pk})
    # then both happened
    assert response.status_code == 302
    assert not leaver_tasks["mine"].tasks.filter(status="open").exists()
    assert Task.objects.get(pk=leaver_tasks["buddy_task"].pk).assignee_user == \
        org.users["manager"]


def test_offboard_page_with_bad_hand_over_is_a_form_error(client, org, hr_staff, leaver_tasks):
    client.force_login(hr_staff)
    response = client.post(reverse("lifecycle:offboard", args=[org.report.pk]), {
        "last_day": "2026-12-19", "reason": "resignation", "hand_tasks_to": "999999"})
    assert response.status_code == 400
    assert leaver_tasks["mine"].tasks.filter(status="open").count() == 3


def test_scheduled_leaver_shows_leaving_on_profile_directory_and_home(client, org, hr_staff):
    # given a leaver scheduled for 19 Dec 2026
    _offboard(hr_staff, org.report)
    client.force_login(hr_staff)
    # when HR looks at the profile, the directory and the home page
    profile = client.get(reverse("employees:profile", args=[org.report.pk])).content.decode()
    directory = client.get(reverse("employees:directory")).content.decode()
    # then each says when they leave, not just "Active"
    assert "Leaving on 19 Dec 2026" in profile
    assert "Leaving on 19 Dec 2026" in directory
    assert org.report.display_name in directory


def test_home_card_lists_leavers_of_the_next_30_days(client, org, hr_staff, monkeypatch):
    from employees import directory

    _offboard(hr_staff, org.report)
    real = directory.leaving_soon
    monkeypatch.setattr("employees.home.leaving_soon",
                        lambda: real(today=date(2026, 12, 1)))
    client.force_login(hr_staff)
    home = client.get(reverse("home")).content.decode()
    assert "Leaving on 19 Dec 2026" in home


def test_hire_message_never_says_pre_hire_until_a_past_day(hr_staff, ref):
    from lifecycle.views.flows import hired_message
    from tests.lifecycle.helpers import hire

    # given one hire starting today (active at once) and one starting later
    started = hire(hr_staff, ref, start=date(2026, 11, 2), number="N1", today=date(2026, 12, 1))
    later = hire(hr_staff, ref, start=date(2027, 1, 4), number="N2", today=date(2026, 12, 1))
    # then the first is "active since", the second "pre-hire until"
    assert "active since 2 Nov 2026" in hired_message(started, date(2026, 11, 2))
    assert "pre-hire" not in hired_message(started, date(2026, 11, 2))
    assert "pre-hire until 4 Jan 2027" in hired_message(later, date(2027, 1, 4))


def test_pre_hire_portal_says_starts_not_started(client, hr_staff, ref):
    from tests.lifecycle.helpers import hire

    result = hire(hr_staff, ref, start=date(2027, 1, 4), number="N3", login=True,
                  today=date(2026, 12, 1))
    client.force_login(result.employee.user)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Starts" in page and "Started" not in page
    assert "4 Jan 2027" in page and "Pre-hire, starts on 4 Jan 2027" in page
