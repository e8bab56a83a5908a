"""Template matching (conditions), versioning, and the template pages."""

from datetime import date

import pytest
from django.urls import reverse

from lifecycle.models import AssigneeRule, Checklist, ChecklistKind, ChecklistTemplate, Task
from lifecycle.services.checklists import JobFacts, conditions_match
from lifecycle.services.templates import TemplateData, template_task_data, template_update
from tests.factories.lifecycle import make_template, task_spec
from tests.lifecycle.helpers import hire

pytestmark = pytest.mark.django_db
START = date(2027, 3, 1)  # a Monday


def facts(**kw):
    base = {"department_id": 1, "location_id": 10, "employment_type": "full_time",
            "country": "GB", "manager": None}
    base.update(kw)
    return JobFacts(**base)


def test_empty_conditions_match_everyone():
    template = ChecklistTemplate(name="x", kind="onboarding")
    assert conditions_match(template, facts())


@pytest.mark.parametrize(("conditions", "matches"), [
    ({"departments": [1, 2]}, True),
    ({"departments": [2]}, False),
    ({"locations": [10]}, True),
    ({"locations": [11]}, False),
    ({"employment_types": ["intern"]}, False),
    ({"employment_types": ["full_time", "part_time"]}, True),
    ({"countries": ["US"]}, False),
    ({"countries": ["GB", "US"]}, True),
    ({"departments": [1], "countries": ["US"]}, False),  # every condition must hold
])
def test_conditions(conditions, matches):
    assert conditions_match(ChecklistTemplate(**conditions), facts()) is matches


def test_hire_starts_only_matching_templates_and_tasks(hr_staff, ref):
    # given a general template, an engineering one, a US-only one, and a task for US only
    make_template("General", tasks=[task_spec("Welcome pack"),
                                    task_spec("I-9 check", countries=["US"])])
    make_template("Engineering", departments=[ref.eng.pk])
    make_template("US right to work", countries=["US"])
    make_template("Sales kit", departments=[ref.sales.pk])
    make_template("Leaver", kind=ChecklistKind.OFFBOARDING)
    # when an engineer in the UK is hired
    result = hire(hr_staff, ref, start=START)
    # then the general and engineering onboarding start, without the US task
    assert sorted(c.name for c in result.checklists) == ["Engineering", "General"]
    general = next(c for c in result.checklists if c.name == "General")
    assert [t.title for t in general.tasks.all()] == ["Welcome pack"]


def test_inactive_template_is_not_started(hr_staff, ref):
    make_template("Old onboarding", is_active=False)
    assert hire(hr_staff, ref, start=START).checklists == []


def test_editing_creates_new_version_and_running_checklists_keep_their_tasks(hr_staff, ref):
    # given a template with one task, started for a hire
    v1 = make_template("General", tasks=[task_spec("Old task", offset_days=-5)])
    first = hire(hr_staff, ref, start=START, number="N1").checklists[0]
    # when HR edits it (new title, extra task)
    v2 = template_update(
        acting_user=hr_staff, template=v1,
        data=TemplateData(name="General", kind="onboarding"),
        tasks=[task_spec("New task"), task_spec("Another", assignee_rule=AssigneeRule.IT)],
    )
    # then a new current version exists and the old one is kept
    v1.refresh_from_db()
    assert (v2.version, v2.family, v2.is_current) == (2, v1.family, True)
    assert v1.is_current is False
    assert [t["title"] for t in template_task_data(v1)] == ["Old task"]
    # the running checklist still has the old task and points at v1
    first.refresh_from_db()
    assert first.template_id == v1.pk
    assert list(first.tasks.values_list("title", "due_date")) == [("Old task", date(2027, 2, 24))]
    # and a new hire gets v2's tasks
    second = hire(hr_staff, ref, start=START, number="N2").checklists[0]
    assert second.template_id == v2.pk
    assert sorted(second.tasks.values_list("title", flat=True)) == ["Another", "New task"]


def test_editing_a_stale_version_is_refused(hr_staff):
    v1 = make_template("General")
    template_update(acting_user=hr_staff, template=v1,
                    data=TemplateData(name="General", kind="onboarding"), tasks=[task_spec("a")])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        template_update(acting_user=hr_staff, template=v1,
                        data=TemplateData(name="General", kind="onboarding"),
                        tasks=[task_spec("b")])


def test_task_due_dates_and_assignees_resolved_at_start(hr_staff, ref, org, it_user):
    # given tasks relative to the start date, with each assignee rule
    make_template("General", tasks=[
        task_spec("HR task", offset_days=-5),
        task_spec("IT laptop", assignee_rule=AssigneeRule.IT, offset_days=-3, business_days=True),
        task_spec("Manager 1:1", assignee_rule=AssigneeRule.MANAGER, offset_days=5,
                  roll_weekend=True),
        task_spec("Payroll setup", assignee_rule=AssigneeRule.PAYROLL, offset_days=0),
        task_spec("Your details", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=1),
        task_spec("Buddy", assignee_rule=AssigneeRule.USER, assignee_user=it_user),
    ])
    # when a report of org.manager is hired
    checklist = hire(hr_staff, ref, start=START, manager=org.manager).checklists[0]
    tasks = {t.title: t for t in checklist.tasks.all()}
    # then
    assert tasks["HR task"].due_date == date(2027, 2, 24)
    assert tasks["IT laptop"].due_date == date(2027, 2, 24)  # 3 working days before Monday
    assert tasks["Manager 1:1"].due_date == date(2027, 3, 8)  # Saturday rolled to Monday
    assert tasks["Manager 1:1"].assignee_user == org.users["manager"]
    assert tasks["IT laptop"].assignee_user is None
    assert tasks["IT laptop"].assignee_rule == AssigneeRule.IT
    assert tasks["Buddy"].assignee_user == it_user
    assert tasks["Your details"].assignee_rule == AssigneeRule.EMPLOYEE


def test_manager_without_login_falls_back_to_hr(hr_staff, ref):
    from tests.factories import EmployeeFactory

    boss = EmployeeFactory(user=None)
    make_template("General", tasks=[task_spec("1:1", assignee_rule=AssigneeRule.MANAGER)])
    task = Task.objects.get(checklist=hire(hr_staff, ref, start=START,
                                           manager=boss).checklists[0])
    assert (task.assignee_rule, task.assignee_user) == (AssigneeRule.HR, None)


def test_template_pages_hr_only(client, hr_staff, org):
    template = make_template("General")
    urls = [reverse("lifecycle:templates"), reverse("lifecycle:template", args=[template.pk]),
            reverse("lifecycle:template_edit", args=[template.pk]),
            reverse("lifecycle:template_create")]
    for user, status in [(hr_staff, 200), (org.users["manager"], 403),
                         (org.users["employee"], 403)]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)


def test_template_edit_page_saves_a_new_version(client, hr_staff):
    template = make_template("General", tasks=[task_spec("Keep me"), task_spec("Drop me")])
    client.force_login(hr_staff)
    form = {
        "name": "General onboarding", "kind": "onboarding", "description": "", "is_active": "on",
        "countries": "gb, us",
        "tasks-TOTAL_FORMS": "3", "tasks-INITIAL_FORMS": "2", "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
    }
    rows = [("Keep me", ""), ("Drop me", "on"), ("Added", "")]
    for i, (title, delete) in enumerate(rows):
        form |= {f"tasks-{i}-title": title, f"tasks-{i}-assignee_rule": "hr",
                 f"tasks-{i}-anchor": "start", f"tasks-{i}-offset_days": "-2"}
        if delete:
            form[f"tasks-{i}-DELETE"] = "on"
    response = client.post(reverse("lifecycle:template_edit", args=[template.pk]), form)
    assert response.status_code == 302
    new = ChecklistTemplate.objects.get(family=template.family, is_current=True)
    assert new.version == 2
    assert new.countries == ["GB", "US"]
    assert list(new.tasks.values_list("title", flat=True)) == ["Keep me", "Added"]


def test_template_form_rejects_bad_input(client, hr_staff):
    client.force_login(hr_staff)
    form = {"name": "X", "kind": "onboarding", "countries": "Britain",
            "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0",
            "tasks-MAX_NUM_FORMS": "1000", "tasks-0-title": "Buddy",
            "tasks-0-assignee_rule": "user", "tasks-0-anchor": "start",
            "tasks-0-offset_days": "0"}
    response = client.post(reverse("lifecycle:template_create"), form)
    assert response.status_code == 400
    assert ChecklistTemplate.objects.count() == 0
    assert "two-letter country codes" in response.content.decode()
    assert "Choose the named person" in response.content.decode()
    # no tasks at all
    form = {"name": "X", "kind": "onboarding", "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000"}
    response = client.post(reverse("lifecycle:template_create"), form)
    assert response.status_code == 400
    assert "at least one task" in response.content.decode()
    assert Checklist.objects.count() == 0


def test_template_form_extra_rows_are_bounded(client, hr_staff):
    client.force_login(hr_staff)
    url = reverse("lifecycle:template_create")
    for query, rows in [({}, 5), ({"extra": "9"}, 9), ({"extra": "999"}, 30),
                        ({"extra": "-1"}, 5)]:
        assert len(client.get(url, query).context["formset"].forms) == rows


def test_business_day_offsets_skip_the_work_countrys_public_holidays(hr_staff, ref):
    # given a task due 2 business days after the start, and one rolled off non-working days
    make_template("Holidays", tasks=[
        task_spec("Benefits enrolment", offset_days=2, business_days=True),
        task_spec("Welcome lunch", offset_days=3, roll_weekend=True),
    ])
    # when people start on Thursday 24 December 2026, one in England and one in the US
    gb = hire(hr_staff, ref, start=date(2026, 12, 24), number="N0100", country="GB",
              today=date(2026, 12, 1)).checklists[0]
    us = hire(hr_staff, ref, start=date(2026, 12, 24), number="N0101", country="US",
              today=date(2026, 12, 1)).checklists[0]
    due = {(c.employee.work_country, t.title): t.due_date
           for c in (gb, us) for t in c.tasks.all()}
    # then England skips Fri 25 and Mon 28 (bank holidays) and the US only Fri 25
    assert due["GB", "Benefits enrolment"] == date(2026, 12, 30)
    assert due["US", "Benefits enrolment"] == date(2026, 12, 29)
    # Sun 27 rolls to the next working day: Tue 29 in England, Mon 28 in the US
    assert due["GB", "Welcome lunch"] == date(2026, 12, 29)
    assert due["US", "Welcome lunch"] == date(2026, 12, 28)
