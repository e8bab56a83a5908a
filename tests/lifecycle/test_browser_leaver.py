"""The leaver flow in a real browser: HR offboards someone with onboarding still open, chooses
to cancel those tasks, sees "Leaving on …", and the day after the last day they are gone."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import Role
from employees.models import Employee, Employment
from lifecycle.models import AssigneeRule, ChecklistKind, Task
from lifecycle.services.checklists import checklist_start
from tests.browser import login
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.lifecycle import make_template, task_spec


@pytest.mark.browser
def test_hr_offboards_a_leaver_and_their_tasks_do_not_outlive_them(
        page, live_server, transactional_db):
    # given a leaver-to-be whose onboarding is still running, and an offboarding template
    hr = UserFactory(email="hr.leaver@example.test", roles=[Role.HR_STAFF, Role.EMPLOYEE])
    boss = EmployeeFactory(user=UserFactory(email="boss.leaver@example.test",
                                            roles=[Role.MANAGER, Role.EMPLOYEE]))
    leaver = EmployeeFactory(manager=boss, legal_first_name="Lea", legal_last_name="Ver")
    onboarding = make_template("Onboarding", tasks=[
        task_spec("Welcome lunch", assignee_rule=AssigneeRule.MANAGER)])
    make_template("Offboarding", kind=ChecklistKind.OFFBOARDING, tasks=[
        task_spec("Collect the laptop", assignee_rule=AssigneeRule.HR)])
    checklist_start(acting_user=hr, template=onboarding, employee=leaver,
                    employment=Employment.objects.get(employee=leaver),
                    anchor_date=timezone.localdate() - timedelta(days=20))
    last_day = timezone.localdate() + timedelta(days=10)

    # when HR offboards them, choosing to cancel the open onboarding tasks now
    login(page, hr.email, PASSWORD)
    page.goto(f"/lifecycle/employees/{leaver.pk}/offboard/")
    assert "Welcome lunch" in page.content()
    page.fill("input[name=last_day]", last_day.isoformat())
    page.select_option("select[name=reason]", "resignation")
    page.check("input[name=open_tasks][value=cancel]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/lifecycle/employees/{leaver.pk}/")

    # then the onboarding task is cancelled and the profile says when they leave
    assert Task.objects.get(title="Welcome lunch").status == Task.Status.CANCELLED
    page.goto(f"/employees/{leaver.pk}/")
    leaving = f"Leaving on {date_format(last_day, 'j M Y')}"
    assert leaving in page.inner_text(".profile-header")
    page.goto("/employees/?q=Ver")
    assert leaving in page.inner_text("#results")

    # and the morning after the last day they are terminated; offboarding work goes on
    call_command("run_due_jobs", "--date", (last_day + timedelta(days=1)).isoformat())
    leaver.refresh_from_db()
    assert leaver.status == Employee.Status.TERMINATED
    assert Task.objects.get(title="Collect the laptop").status == Task.Status.OPEN
    page.goto(f"/employees/{leaver.pk}/")
    assert "Terminated" in page.inner_text(".profile-header")
