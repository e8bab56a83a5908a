"""Working tasks: who may see and complete them, requirements, skip, reassign, bulk."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import Employment
from lifecycle.models import AssigneeRule, Checklist, Task, TaskEvent
from lifecycle.services.checklists import (
    checklist_start,
    task_complete,
    task_reassign,
    task_skip,
    tasks_bulk_complete,
)
from tests.factories.lifecycle import make_template, task_spec

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 minimal test document"


@pytest.fixture
def board(org, hr_staff):
    """A running checklist for org.report with one task per assignee kind."""
    template = make_template("General", tasks=[
        task_spec("Sign handbook", assignee_rule=AssigneeRule.EMPLOYEE),
        task_spec("Welcome lunch", assignee_rule=AssigneeRule.MANAGER),
        task_spec("Contract", assignee_rule=AssigneeRule.HR),
        task_spec("Laptop", assignee_rule=AssigneeRule.IT),
        task_spec("Payroll setup", assignee_rule=AssigneeRule.PAYROLL),
    ])
    employment = Employment.objects.get(employee=org.report)
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=employment, anchor_date=date(2027, 3, 1))
    return {t.title: t for t in checklist.tasks.all()}


def _users(org, hr_staff):
    return {"hr": hr_staff, "self": org.users["employee"], "manager_of": org.users["manager"],
            "boss_of": org.users["boss"], "manager_not_of": org.users["intern"],
            "other": org.users["other"]}


# (task, who) -> (GET status, may complete)
EXPECTED = {
    "Sign handbook": {"hr": (200, True), "self": (200, True), "manager_of": (200, False),
                      "boss_of": (200, False), "manager_not_of": (404, False),
                      "other": (404, False)},
    "Welcome lunch": {"hr": (200, True), "self": (200, False), "manager_of": (200, True),
                      "boss_of": (200, False), "manager_not_of": (404, False),
                      "other": (404, False)},
    "Contract": {"hr": (200, True), "self": (200, False), "manager_of": (200, False),
                 "boss_of": (200, False), "manager_not_of": (404, False),
                 "other": (404, False)},
}


@pytest.mark.parametrize("title", list(EXPECTED))
@pytest.mark.parametrize("who", ["hr", "self", "manager_of", "boss_of", "manager_not_of",
                                 "other"])
def test_task_permissions(client, org, hr_staff, board, title, who):
    # "manager_not_of" is the intern's login: a manager of nobody relevant (the intern reports
    # to the report, not the other way round).
    task = board[title]
    user = _users(org, hr_staff)[who]
    view_status, may_complete = EXPECTED[title][who]
    client.force_login(user)
    # when
    assert client.get(reverse("lifecycle:task", args=[task.pk])).status_code == view_status
    response = client.post(reverse("lifecycle:task_complete", args=[task.pk]))
    # then
    task.refresh_from_db()
    if may_complete:
        assert response.status_code == 302
        assert task.status == Task.Status.DONE and task.closed_by == user
    else:
        assert response.status_code in (403, 404)
        assert task.status == Task.Status.OPEN


def test_role_tasks_are_for_members_of_the_role(org, board, it_user, payroll_admin):
    with pytest.raises(PermissionDenied):
        task_complete(acting_user=it_user, task=board["Payroll setup"])
    with pytest.raises(PermissionDenied):
        task_complete(acting_user=payroll_admin, task=board["Laptop"])
    task_complete(acting_user=it_user, task=board["Laptop"])
    task_complete(acting_user=payroll_admin, task=board["Payroll setup"])
    assert Task.objects.filter(status="done").count() == 2


def test_complete_records_who_when_event_and_audit(org, board):
    task = task_complete(acting_user=org.users["employee"], task=board["Sign handbook"])
    assert task.closed_at is not None
    assert TaskEvent.objects.get(task=task).action == "completed"
    assert AuditEvent.objects.filter(object_type="lifecycle.task", object_id=str(task.pk),
                                     action="status").exists()
    # idempotent
    task_complete(acting_user=org.users["employee"], task=task)
    assert TaskEvent.objects.filter(task=task).count() == 1


def test_checklist_completes_when_all_tasks_closed(hr_staff, board):
    for task in board.values():
        if task.title == "Laptop":
            task_skip(acting_user=hr_staff, task=task, reason="Brings own device")
        else:
            task_complete(acting_user=hr_staff, task=task)
    checklist = Checklist.objects.get()
    assert checklist.status == "completed" and checklist.completed_at is not None


def test_skip_needs_reason_and_is_recorded(client, org, hr_staff, board):
    task = board["Sign handbook"]
    client.force_login(org.users["employee"])
    client.post(reverse("lifecycle:task_skip", args=[task.pk]), {"reason": ""})
    task.refresh_from_db()
    assert task.status == "open"
    client.post(reverse("lifecycle:task_skip", args=[task.pk]), {"reason": "Signed on paper"})
    task.refresh_from_db()
    assert (task.status, task.skip_reason, task.closed_by) == (
        "skipped", "Signed on paper", org.users["employee"])
    with pytest.raises(ValidationError):
        task_complete(acting_user=hr_staff, task=task)


def test_reassign_is_hr_only_and_moves_the_task(client, org, hr_staff, board, it_user):
    task = board["Contract"]
    client.force_login(org.users["manager"])
    response = client.post(reverse("lifecycle:task_reassign", args=[task.pk]),
                           {"user": it_user.pk})
    assert response.status_code == 403
    client.force_login(hr_staff)
    client.post(reverse("lifecycle:task_reassign", args=[task.pk]),
                {"user": it_user.pk, "note": "IT prepares it"})
    task.refresh_from_db()
    assert (task.assignee_rule, task.assignee_user) == (AssigneeRule.USER, it_user)
    event = TaskEvent.objects.get(task=task, action="reassigned")
    assert event.actor == hr_staff and "IT prepares it" in event.note
    # now the new assignee may complete it
    task_complete(acting_user=it_user, task=task)
    with pytest.raises(PermissionDenied):
        task_reassign(acting_user=org.users["employee"], task=task, to_user=it_user)


def test_bulk_complete_only_completes_permitted_tasks(client, org, board):
    client.force_login(org.users["manager"])
    ids = [board["Welcome lunch"].pk, board["Contract"].pk, board["Sign handbook"].pk]
    response = client.post(reverse("lifecycle:bulk_complete"), {"task": ids})
    assert response.status_code == 302
    statuses = dict(Task.objects.values_list("title", "status"))
    assert statuses["Welcome lunch"] == "done"
    assert statuses["Contract"] == "open" and statuses["Sign handbook"] == "open"


def test_bulk_complete_is_post_only(client, org):
    client.force_login(org.users["manager"])
    assert client.get(reverse("lifecycle:bulk_complete")).status_code == 405


def test_bulk_reports_requirements_not_met(org, hr_staff):
    template = make_template("Docs", tasks=[
        task_spec("Passport", assignee_rule=AssigneeRule.EMPLOYEE, requirement="upload"),
        task_spec("Easy", assignee_rule=AssigneeRule.EMPLOYEE)])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    done, problems = tasks_bulk_complete(acting_user=org.users["employee"],
                                         task_ids=list(checklist.tasks.values_list("pk",
                                                                                   flat=True)))
    assert [t.title for t in done] == ["Easy"]
    assert problems == ["Passport: Upload the document first."]


@pytest.fixture
def requirement_tasks(org, hr_staff):
    template = make_template("Portal", tasks=[
        task_spec("Right to work", assignee_rule=AssigneeRule.EMPLOYEE, requirement="upload"),
        task_spec("Handbook", assignee_rule=AssigneeRule.EMPLOYEE, requirement="acknowledge",
                  acknowledge_text="Be excellent to each other."),
        task_spec("Your details", assignee_rule=AssigneeRule.EMPLOYEE, requirement="form",
                  form_fields=["phone", "personal_email", "address_line1", "city"]),
    ])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    return {t.title: t for t in checklist.tasks.all()}


def test_upload_checks_type_and_size_and_download_is_permission_checked(
    client, org, requirement_tasks, settings, tmp_path
):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    task = requirement_tasks["Right to work"]
    client.force_login(org.users["employee"])
    url = reverse("lifecycle:task_upload", args=[task.pk])
    # an exe renamed, wrong type, empty: refused
    client.post(url, {"file": SimpleUploadedFile("passport.pdf", b"MZ\x90\x00binary")})
    client.post(url, {"file": SimpleUploadedFile("passport.exe", PDF)})
    assert not task.documents.exists()
    # cannot complete before uploading
    response = client.post(reverse("lifecycle:task_complete", args=[task.pk]))
    task.refresh_from_db()
    assert response.status_code == 302 and task.status == "open"
    # a real PDF
    client.post(url, {"file": SimpleUploadedFile("passport.pdf", PDF)})
    document = task.documents.get()
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    client.post(reverse("lifecycle:task_complete", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "done"
    # download: self and HR yes; manager (may see the task) yes; others 404
    download = reverse("lifecycle:document", args=[document.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    for who, status in [("manager", 200), ("other", 404), ("intern", 404)]:
        client.force_login(org.users[who])
        assert client.get(download).status_code == status, who


def test_upload_too_large_is_refused(client, org, requirement_tasks, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
    task = requirement_tasks["Right to work"]
    client.force_login(org.users["employee"])
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = client.post(reverse("lifecycle:task_upload", args=[task.pk]),
                           {"file": SimpleUploadedFile("big.pdf", big)}, follow=True)
    assert "the limit is 5 MB" in response.content.decode()
    assert not task.documents.exists()


def test_acknowledge_completes_the_task(client, org, requirement_tasks):
    task = requirement_tasks["Handbook"]
    client.force_login(org.users["employee"])
    page = client.get(reverse("lifecycle:task", args=[task.pk]))
    assert "Be excellent to each other." in page.content.decode()
    # without ticking the box: nothing
    client.post(reverse("lifecycle:task_acknowledge", args=[task.pk]), {})
    task.refresh_from_db()
    assert task.status == "open"
    client.post(reverse("lifecycle:task_acknowledge", args=[task.pk]), {"confirm": "on"})
    task.refresh_from_db()
    assert task.status == "done" and task.acknowledged_at is not None


def test_fill_fields_writes_employee_record_with_audit(client, org, requirement_tasks):
    task = requirement_tasks["Your details"]
    client.force_login(org.users["employee"])
    url = reverse("lifecycle:task_fields", args=[task.pk])
    # invalid email: a form error, nothing saved
    response = client.post(url, {"fields-phone": "0123", "fields-personal_email": "nope",
                                 "fields-address_line1": "1 High St", "fields-city": "Leeds"})
    assert response.status_code == 400
    # a field that is not on the task is ignored (cannot sneak in e.g. a status change)
    response = client.post(url, {"fields-phone": "+44 20 7946 0000",
                                 "fields-personal_email": "me@home.example",
                                 "fields-address_line1": "1 High St", "fields-city": "Leeds",
                                 "fields-status": "terminated", "fields-hire_date": "2000-01-01"})
    assert response.status_code == 302
    employee = org.report
    before_version = employee.version
    employee.refresh_from_db()
    assert (employee.phone, employee.city, employee.status) == ("+44 20 7946 0000", "Leeds",
                                                                 "active")
    assert employee.version == before_version + 1
    event = AuditEvent.objects.get(object_type="employees.employee", action="update",
                                   employee_id=employee.pk)
    assert event.changes["phone"] == ["", "+44 20 7946 0000"]
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.parametrize(("who", "status"), [
    ("manager_of", 403), ("boss_of", 403), ("manager_not_of", 404), ("other", 404),
])
def test_only_assignee_or_hr_may_act_on_a_task(client, org, hr_staff, requirement_tasks, who,
                                               status):
    # given the employee's own tasks; when someone else tries every action on them
    client.force_login(_users(org, hr_staff)[who])
    tasks = requirement_tasks
    attempts = [
        ("lifecycle:task_skip", tasks["Right to work"], {"reason": "nope"}),
        ("lifecycle:task_upload", tasks["Right to work"],
         {"file": SimpleUploadedFile("x.pdf", PDF)}),
        ("lifecycle:task_acknowledge", tasks["Handbook"], {"confirm": "on"}),
        ("lifecycle:task_fields", tasks["Your details"], {"fields-phone": "1"}),
        ("lifecycle:task_reassign", tasks["Handbook"], {"user": org.users["other"].pk}),
    ]
    for name, task, data in attempts:
        response = client.post(reverse(name, args=[task.pk]), data)
        # then it is refused (404 for people who may not even see the task)
        assert response.status_code == status, name
    assert not Task.objects.exclude(status="open").exists()
    assert not TaskEvent.objects.exists()


def test_hr_may_act_on_any_task(client, org, hr_staff, requirement_tasks):
    client.force_login(hr_staff)
    task = requirement_tasks["Handbook"]
    client.post(reverse("lifecycle:task_skip", args=[task.pk]), {"reason": "Paper copy signed"})
    task.refresh_from_db()
    assert task.status == "skipped" and task.closed_by == hr_staff
