"""Boards, the employee's checklists tab, the portal and the HR dashboard."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employees.models import Employee, Employment
from lifecycle.models import AssigneeRule, Task
from lifecycle.services.checklists import checklist_start, task_complete
from lifecycle.services.flows import OffboardData, offboarding_start
from tests.factories import EmployeeFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.lifecycle.helpers import hire

pytestmark = pytest.mark.django_db


def _start(employee, hr, template, anchor=None):
    return checklist_start(acting_user=hr, template=template, employee=employee,
                           employment=Employment.objects.get(employee=employee),
                           anchor_date=anchor)


@pytest.fixture
def many_checklists(hr_staff, org):
    """Ten employees with a running onboarding of four tasks each (HR, employee, manager)."""
    template = make_template("General", tasks=[
        task_spec("Contract", offset_days=-40), task_spec("Badge", offset_days=0),
        task_spec("Handbook", assignee_rule=AssigneeRule.EMPLOYEE, offset_days=-30),
        task_spec("Lunch", assignee_rule=AssigneeRule.MANAGER, offset_days=-20),
    ])
    today = timezone.localdate()
    people = [EmployeeFactory(manager=org.manager, hire_date=today - timedelta(days=10))
              for _ in range(10)]
    for person in people:
        _start(person, hr_staff, template, anchor=today - timedelta(days=10))
    return people


def test_my_tasks_for_hr_shows_role_tasks_with_bounded_queries(
    client, hr_staff, many_checklists, django_assert_max_num_queries
):
    client.force_login(hr_staff)
    # 8 today: session, user, user's groups (roles), the tasks with checklist/employee/assignee
    # (one join), the board counts, session save and the navigation's lookups; none per row
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lifecycle:my_tasks"), {"show": "all"})
    assert response.status_code == 200
    assert len(response.context["tasks"]) == 20  # Contract + Badge for ten people
    assert response.context["counts"]["overdue"] == 20


def test_my_tasks_filters(client, org, many_checklists):
    client.force_login(org.users["manager"])
    response = client.get(reverse("lifecycle:my_tasks"), {"show": "overdue"})
    assert [t.title for t in response.context["tasks"]] == ["Lunch"] * 10
    first = response.context["tasks"][0]
    task_complete(acting_user=org.users["manager"], task=first)
    response = client.get(reverse("lifecycle:my_tasks"), {"show": "done"})
    assert [t.pk for t in response.context["tasks"]] == [first.pk]
    # a last name no generated name contains (a random "Lee" also matches "Ashlee")
    name = "Quillfeatherby"
    Employee.objects.filter(pk=many_checklists[1].pk).update(legal_last_name=name)
    response = client.get(reverse("lifecycle:my_tasks"), {"show": "open", "q": name})
    assert response.context["tasks"]
    assert all(t.checklist.employee.legal_last_name == name for t in response.context["tasks"])
    response = client.get(reverse("lifecycle:my_tasks"), {"show": "open", "kind": "offboarding"})
    assert response.context["tasks"] == []
    # bad filter values are ignored, not a 500
    assert client.get(reverse("lifecycle:my_tasks"), {"show": "bogus"}).status_code == 200


def test_dashboard_bounded_queries_and_content(client, hr_staff, org, ref,
                                               django_assert_max_num_queries):
    today = timezone.localdate()
    template = make_template("General", tasks=[task_spec("Contract", offset_days=-40),
                                               task_spec("Badge", offset_days=10)])
    for n in range(5):
        hire(hr_staff, ref, start=today + timedelta(days=5 + n), number=f"S{n}", today=today)
    done = EmployeeFactory(hire_date=today - timedelta(days=20))
    checklist = _start(done, hr_staff, template, anchor=today - timedelta(days=20))
    for task in checklist.tasks.all():
        task_complete(acting_user=hr_staff, task=task)
    offboarding_start(acting_user=hr_staff, employee=org.peer,
                      data=OffboardData(last_day=today + timedelta(days=12), reason="resignation"))
    client.force_login(hr_staff)
    # 12 today: session, user, groups; starters; their checklists; progress (one grouped
    # query); leavers; overdue grouped by assignee; completed onboardings; session save and
    # navigation. None per starter or leaver.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lifecycle:dashboard"))
    board = response.context["board"]
    assert len(board.starters) == 5
    assert board.starters[0].tasks_total == 2
    assert [n.employee for n in board.leavers] == [org.peer]
    assert board.overdue_by_assignee == [("HR (anyone in HR)", 5)]
    assert board.avg_onboarding_days == 0.0 and board.onboarding_completed == 1


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_dashboard_is_for_hr_others_go_to_their_board(client, org, who):
    client.force_login(org.users[who])
    response = client.get(reverse("lifecycle:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("lifecycle:my_tasks")


@pytest.mark.parametrize(("who", "status"), [
    ("hr", 200), ("self", 200), ("manager_of", 200), ("manager_not_of", 404), ("other", 404),
])
def test_employee_checklists_tab_permissions(client, org, hr_staff, who, status):
    template = make_template("General")
    _start(org.report, hr_staff, template)
    user = {"hr": hr_staff, "self": org.users["employee"], "manager_of": org.users["manager"],
            "manager_not_of": org.users["intern"], "other": org.users["other"]}[who]
    client.force_login(user)
    response = client.get(reverse("lifecycle:employee_checklists", args=[org.report.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Prepare contract" in response.content.decode()
        # only HR gets the offboard / start / cancel controls
        assert ("Offboard" in response.content.decode()) is (who == "hr")


def test_checklist_page_shows_progress(client, org, hr_staff):
    template = make_template("General", tasks=[task_spec("A"), task_spec("B"), task_spec("C"),
                                               task_spec("D")])
    checklist = _start(org.report, hr_staff, template)
    task_complete(acting_user=hr_staff, task=checklist.tasks.get(title="A"))
    client.force_login(hr_staff)
    response = client.get(reverse("lifecycle:employee_checklists", args=[org.report.pk]))
    assert "1 of 4 tasks done (25%)" in response.content.decode()


def test_start_and_cancel_checklist_by_hand_is_hr_only(client, org, hr_staff):
    template = make_template("Transfer", kind="other", tasks=[task_spec("New desk")])
    url = reverse("lifecycle:checklist_start", args=[org.report.pk])
    client.force_login(org.users["manager"])
    assert client.post(url, {"template": template.pk}).status_code == 403
    client.force_login(hr_staff)
    client.post(url, {"template": template.pk})
    task = Task.objects.get(title="New desk")
    assert task.due_date == timezone.localdate()
    client.post(url, {"template": "nonsense"})  # a message, not a 500
    client.force_login(org.users["manager"])
    cancel = reverse("lifecycle:checklist_cancel", args=[task.checklist_id])
    assert client.post(cancel).status_code == 403
    client.force_login(hr_staff)
    client.post(cancel, {"note": "Transfer called off"})
    task.refresh_from_db()
    assert task.status == "cancelled" and task.closed_by == hr_staff


def test_portal_shows_own_tasks_and_employee_completes_there(client, org, hr_staff):
    # given a new hire's own task and someone else's
    template = make_template("General", tasks=[
        task_spec("Read the handbook", assignee_rule=AssigneeRule.EMPLOYEE,
                  requirement="acknowledge", acknowledge_text="Our values."),
        task_spec("Order laptop", assignee_rule=AssigneeRule.IT),
    ])
    _start(org.report, hr_staff, template, anchor=date(2027, 3, 1))
    client.force_login(org.users["employee"])
    # when they open the portal
    page = client.get(reverse("portal:home")).content.decode()
    # then they see their task, not IT's
    assert "Read the handbook" in page and "Order laptop" not in page
    task = Task.objects.get(title="Read the handbook")
    response = client.post(reverse("lifecycle:task_acknowledge", args=[task.pk]),
                           {"confirm": "on", "next": reverse("portal:home")})
    assert response["Location"] == reverse("portal:home")
    task.refresh_from_db()
    assert task.status == "done" and task.closed_by == org.users["employee"]
    assert "Nothing to do right now" in client.get(reverse("portal:home")).content.decode()
    # an outside "next" is not followed
    other = Task.objects.get(title="Order laptop")
    client.force_login(hr_staff)
    response = client.post(reverse("lifecycle:task_complete", args=[other.pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("lifecycle:task", args=[other.pk])


def test_nav_and_home_card(client, hr_staff, org):
    client.force_login(hr_staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("lifecycle:dashboard") in page and "My tasks" in page
    client.force_login(org.users["employee"])
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("lifecycle:my_tasks") in page


def test_htmx_complete_swaps_the_row(client, org, hr_staff):
    template = make_template("General", tasks=[
        task_spec("Lunch", assignee_rule=AssigneeRule.MANAGER),
        task_spec("Passport", assignee_rule=AssigneeRule.MANAGER, requirement="upload")])
    checklist = _start(org.report, hr_staff, template)
    client.force_login(org.users["manager"])
    board = client.get(reverse("lifecycle:my_tasks")).content.decode()
    lunch = checklist.tasks.get(title="Lunch")
    assert f'hx-post="{reverse("lifecycle:task_complete", args=[lunch.pk])}"' in board
    # when
    response = client.post(reverse("lifecycle:task_complete", args=[lunch.pk]),
                           headers={"HX-Request": "true"})
    # then only the row comes back, now done
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="task-{lunch.pk}">') and "Done" in body
    assert "<html" not in body
    # a task with an unmet requirement sends the browser to its page
    passport = checklist.tasks.get(title="Passport")
    response = client.post(reverse("lifecycle:task_complete", args=[passport.pk]),
                           headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("lifecycle:task", args=[passport.pk])


def test_employee_checklists_page_query_count(client, hr_staff, org,
                                              django_assert_max_num_queries):
    for n in range(3):
        template = make_template(f"Template {n}", tasks=[task_spec(f"T{n}-{i}") for i in
                                                         range(8)])
        _start(org.report, hr_staff, template)
    client.force_login(hr_staff)
    # session, user, groups, the employee, checklists (+ template, started_by), their tasks
    # (+ assignee, closed_by), the leaver notice, templates to start, nav, the header's
    # "Leaving on" (latest employment's last day); none per task
    with django_assert_max_num_queries(15):
        response = client.get(reverse("lifecycle:employee_checklists", args=[org.report.pk]))
    assert len(response.context["checklists"]) == 3
