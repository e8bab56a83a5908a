"""Issue 13 item 11: in-app notifications - the bell, the list, marking read, `notify` and the
services that call it (tasks assigned and due, approvals waiting, requests decided, policies to
acknowledge)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from employees.models import Employment
from lifecycle.models import AssigneeRule
from lifecycle.services.checklists import checklist_start, task_reassign
from lifecycle.services.notify import tasks_due_notify
from notifications.models import Notification
from notifications.services import notify
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def _login(client, user):
    if user.groups.filter(name__in=[Role.HR_ADMIN, Role.PAYROLL_ADMIN]).exists():
        enrol_totp(user)
    client.force_login(user)
    return client


def _note(user, key=None, url="/portal/", text="Look at this"):
    return notify(recipient_user=user, kind=Notification.Kind.OTHER, text=text, url=url, key=key)


# notify ---------------------------------------------------------------------------------------

def test_notify_is_idempotent_on_key(org):
    user = org.users["employee"]
    first = _note(user, key="thing:1")
    again = _note(user, key="thing:1", text="changed")
    assert first.pk == again.pk and again.text == "Look at this"
    assert Notification.objects.filter(recipient=user).count() == 1
    # the same key for another user is theirs
    assert _note(org.users["other"], key="thing:1").recipient == org.users["other"]
    # no key: every call is a new one
    _note(user)
    _note(user)
    assert Notification.objects.filter(recipient=user).count() == 3


def test_notify_skips_nobody_and_inactive_users(org):
    assert _note(None) is None
    gone = UserFactory(is_active=False)
    assert _note(gone) is None
    assert not Notification.objects.exists()


# Bell and list --------------------------------------------------------------------------------

def test_bell_counts_unread_in_one_query(client, org, django_assert_num_queries):
    user = org.users["employee"]
    for _ in range(3):
        _note(user)
    _note(org.users["other"])
    client = _login(client, user)
    client.get(reverse("notifications:bell"))  # warm the session
    # session, user, groups (middleware) and the count: no navigation, nothing that grows, and
    # no session save (the bell's polling does not extend an idle session)
    with django_assert_num_queries(4) as ctx:
        response = client.get(reverse("notifications:bell"))
    assert sum("notifications_notification" in q["sql"] for q in ctx.captured_queries) == 1
    assert 'data-unread="3"' in response.content.decode()


def test_pages_do_not_pay_for_the_bell(client, org):
    _note(org.users["employee"])
    body = _login(client, org.users["employee"]).get(reverse("portal:home")).content.decode()
    # the header fetches the count after load
    assert f'hx-get="{reverse("notifications:bell")}"' in body
    assert 'hx-trigger="load, every 60s' in body


def test_list_shows_only_the_users_own(client, org):
    mine = _note(org.users["employee"], text="Mine")
    _note(org.users["other"], text="Theirs")
    response = _login(client, org.users["employee"]).get(reverse("notifications:list"))
    assert list(response.context["page"].object_list) == [mine]
    assert "Theirs" not in response.content.decode()


def test_mark_read_with_htmx_answers_the_row_and_refreshes_the_bell(client, org):
    note = _note(org.users["employee"])
    response = _login(client, org.users["employee"]).post(
        reverse("notifications:read", args=[note.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert response["HX-Trigger"] == "notifications-changed"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_answers_the_bell_out_of_band_with_the_count_after_the_change(client, org):
    # The bell's own fetch after the page loaded can still be in flight with the count from
    # before; the answer carries the new count, so the bell never stays at the stale one.
    first, _second = _note(org.users["employee"]), _note(org.users["employee"])
    html = _login(client, org.users["employee"]).post(
        reverse("notifications:read", args=[first.pk]),
        headers={"HX-Request": "true"}).content.decode()
    bell = html[html.index('id="bell"'):]
    assert 'hx-swap-oob="outerHTML"' in bell
    assert 'data-unread="1"' in bell


def test_nobody_marks_or_opens_someone_elses(client, org):
    note = _note(org.users["other"])
    client = _login(client, org.users["employee"])
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_open_marks_read_and_goes_to_the_thing_but_never_off_site(client, org):
    inside = _note(org.users["employee"], url="/lifecycle/my/")
    outside = _note(org.users["employee"], url="https://evil.example/phish")
    client = _login(client, org.users["employee"])
    assert client.post(reverse("notifications:open", args=[inside.pk]))["Location"] == (
        "/lifecycle/my/")
    assert client.post(reverse("notifications:open", args=[outside.pk]))["Location"] == "/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read(client, org):
    for _ in range(3):
        _note(org.users["employee"])
    other = _note(org.users["other"])
    _login(client, org.users["employee"]).post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=org.users["employee"],
                                           read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_get_never_marks_read(client, org):
    note = _note(org.users["employee"])
    client = _login(client, org.users["employee"])
    for name in ("read", "open"):
        assert client.get(reverse(f"notifications:{name}", args=[note.pk])).status_code == 405


# Who gets notified ----------------------------------------------------------------------------

def test_starting_a_checklist_notifies_the_manager_and_the_employee(org, hr_staff):
    # given: tasks for the manager (2), the employee (1) and HR (1, a role: no personal note)
    template = make_template("Welcome", tasks=[
        task_spec("Plan first week", assignee_rule=AssigneeRule.MANAGER),
        task_spec("Book lunch", assignee_rule=AssigneeRule.MANAGER, offset_days=3),
        task_spec("Read handbook", assignee_rule=AssigneeRule.EMPLOYEE),
        task_spec("Payroll setup"),
    ])
    # when
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    # then
    manager_note = Notification.objects.get(recipient=org.users["manager"])
    assert manager_note.kind == Notification.Kind.TASK_ASSIGNED
    assert "2 tasks" in manager_note.text and org.report.display_name in manager_note.text
    assert manager_note.url == reverse("lifecycle:my_tasks")
    employee_note = Notification.objects.get(recipient=org.users["employee"])
    task = checklist.tasks.get(title="Read handbook")
    assert employee_note.url == reverse("lifecycle:task", args=[task.pk])
    assert not Notification.objects.filter(recipient=hr_staff).exists()


def test_reassigning_a_task_notifies_the_new_assignee(org, hr_staff):
    template = make_template("Welcome", tasks=[task_spec("Laptop")])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    task = checklist.tasks.get()
    task_reassign(acting_user=hr_staff, task=task, to_user=org.users["boss"], note="")
    note = Notification.objects.get(recipient=org.users["boss"])
    assert "Laptop" in note.text and note.url == reverse("lifecycle:task", args=[task.pk])


def test_tasks_due_notifications_once_a_day_even_without_the_digest_email(org, hr_staff):
    # given: the manager has two tasks due, one overdue, and does not take the digest email
    template = make_template("Welcome", tasks=[
        task_spec("Plan", assignee_rule=AssigneeRule.MANAGER, offset_days=-2),
        task_spec("Lunch", assignee_rule=AssigneeRule.MANAGER),
    ])
    today = timezone.localdate()
    checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                    employment=Employment.objects.get(employee=org.report), anchor_date=today)
    manager = org.users["manager"]
    manager.receives_task_digest = False
    manager.save()
    # when: the morning job runs twice
    tasks_due_notify(day=today)
    tasks_due_notify(day=today)
    # then: one notification
    [due] = Notification.objects.filter(recipient=manager, kind=Notification.Kind.TASK_DUE)
    assert due.text == "2 tasks due today or overdue (1 overdue)"
    # the next day is a new one
    tasks_due_notify(day=today + timedelta(days=1))
    assert Notification.objects.filter(recipient=manager,
                                       kind=Notification.Kind.TASK_DUE).count() == 2


BANK = {"holder_name": "Jo Report", "scheme": "uk", "country": "GB", "account_type": "checking",
        "sort_code": "20-00-00", "account_number": "55779911"}


def test_bank_request_notifies_approvers_and_then_the_requester(org, hr_admin, hr_staff,
                                                               payroll_admin):
    from employees.models import BankChangeRequest
    from employees.services.bank import (
        bank_change_request_approve,
        bank_change_request_create,
    )

    # when: the employee asks
    change = bank_change_request_create(acting_user=org.users["employee"], employee=org.report,
                                        details=BANK, notify=False)
    # then: HR Admin and Payroll Admin (who may decide) are told; HR Staff is not
    waiting = Notification.objects.filter(kind=Notification.Kind.APPROVAL_WAITING)
    assert {n.recipient for n in waiting} == {hr_admin, payroll_admin}
    assert all(n.url == reverse("employees:bank_requests") for n in waiting)
    # when: approved
    bank_change_request_approve(acting_user=hr_admin, change=change)
    # then: the requester hears
    decided = Notification.objects.get(kind=Notification.Kind.REQUEST_DECIDED)
    assert decided.recipient == org.users["employee"] and "approved" in decided.text
    assert BankChangeRequest.objects.get(pk=change.pk).status == "approved"


def test_publishing_a_policy_notifies_everyone_in_scope_in_a_few_queries(
        org, hr_admin, django_assert_max_num_queries):
    from compliance.services.policies import policy_create, policy_version_publish
    from employees.models import Employee

    gone = EmployeeFactory(user=UserFactory(), status=Employee.Status.TERMINATED)
    for _ in range(20):
        EmployeeFactory(user=UserFactory())
    policy = policy_create(acting_user=hr_admin, title="Code of Conduct")
    # lock, version number, insert, audit, the users to notify, their notifications (one INSERT),
    # the policy's stored compliance statuses refreshed for everyone in one pass (6 queries),
    # and the marker that the compliance summary is out of date (one INSERT)
    with django_assert_max_num_queries(19):
        version = policy_version_publish(acting_user=hr_admin, policy=policy, label="2026",
                                         body="Be kind.")
    notes = Notification.objects.filter(kind=Notification.Kind.POLICY_TO_ACKNOWLEDGE)
    assert notes.count() == 25  # the org's five and the twenty
    assert not notes.filter(recipient=gone.user).exists()
    assert notes.first().url == reverse("compliance:my_policy", args=[version.pk])


def test_a_calculated_run_notifies_the_other_payroll_admins(
        uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    from tests.factories.payroll_runs import paid_employee
    from tests.payroll_runs.helpers import calculated_run

    second = UserFactory(roles=[Role.PAYROLL_ADMIN])
    paid_employee(uk_schedule)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    [note] = Notification.objects.filter(kind=Notification.Kind.APPROVAL_WAITING)
    assert note.recipient == second  # not the one who calculated it
    assert note.url == reverse("payroll:run_review", args=[run.pk])


def test_the_bells_polling_does_not_keep_an_idle_session_alive(client, org):
    # The bell asks every 60 s on every open page: its answers must not push the session's
    # expiry forward (SESSION_SAVE_EVERY_REQUEST), or an unattended tab would never time out.
    from django.contrib.sessions.models import Session

    client = _login(client, org.users["employee"])
    key = client.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    response = client.get(reverse("notifications:bell"))
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get(pk=key).expire_date < timezone.now() + timedelta(minutes=6)
    # while a page the person opens does
    assert "sessionid" in client.get(reverse("notifications:list")).cookies
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=20)
