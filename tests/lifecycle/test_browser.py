"""End to end in a real browser: HR hires someone with a login, the new hire signs in and
completes a task in the portal, HR sees the progress."""

import pytest

from accounts.roles import Role
from lifecycle.models import AssigneeRule, Task
from tests.browser import login, sign_out
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.factories.payroll import PayScheduleFactory


@pytest.mark.browser
def test_hire_new_hire_completes_task_hr_sees_progress(page, live_server, transactional_db):
    # given an HR Staff user (no second factor required) and an onboarding template
    hr = UserFactory(email="hr.browser@example.test", roles=[Role.HR_STAFF, Role.EMPLOYEE])
    manager = EmployeeFactory(user=UserFactory(email="boss.browser@example.test",
                                               roles=[Role.MANAGER, Role.EMPLOYEE]))
    dept = DepartmentFactory(name="Product")
    location = LocationFactory(name="Leeds")
    title = JobTitleFactory(name="Product Designer")
    PayScheduleFactory()
    make_template("General onboarding", tasks=[
        task_spec("Read the handbook", assignee_rule=AssigneeRule.EMPLOYEE,
                  requirement="acknowledge", acknowledge_text="We are kind and curious."),
        task_spec("Prepare contract", assignee_rule=AssigneeRule.HR, offset_days=-5),
    ])

    # when HR fills in "New hire"
    login(page, hr.email, PASSWORD)
    page.goto("/lifecycle/hire/")
    page.fill("input[name=legal_first_name]", "Grace")
    page.fill("input[name=legal_last_name]", "Hopper")
    page.fill("input[name=employee_number]", "B0001")
    page.fill("input[name=work_email]", "grace@work.example.test")
    page.fill("input[name=start_date]", "2027-03-01")
    page.fill("input[name=work_country]", "GB")
    page.select_option("select[name=job_title]", str(title.pk))
    page.select_option("select[name=department]", str(dept.pk))
    page.select_option("select[name=location]", str(location.pk))
    # the manager picker: typing part of the name offers them; the input takes their number
    page.fill("input[name=manager]", manager.legal_last_name[:4])
    page.wait_for_selector(f"#id_manager-options option[value='{manager.employee_number}']",
                           state="attached")
    page.fill("input[name=manager]", manager.employee_number)
    page.select_option("select[name=basis]", "salary")
    page.fill("input[name=amount]", "48000.00")
    page.check("input[name=create_login]")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/lifecycle/employees/*/")
    assert "0 of 2 tasks done (0%)" in page.content()

    # then the new hire (who chose a password from the welcome email) signs in
    from django.contrib.auth import get_user_model

    new_user = get_user_model().objects.get(email="grace@work.example.test")
    new_user.set_password("Grace-hopper-2027!")
    new_user.save()
    sign_out(page)
    login(page, "grace@work.example.test", "Grace-hopper-2027!")
    page.goto("/portal/")
    page.click("text=Read the handbook")
    assert "We are kind and curious." in page.content()
    page.check("input[name=confirm]")
    page.click("text=Acknowledge and complete")
    page.wait_for_url("**/portal/")
    assert "Nothing to do right now" in page.content()
    task = Task.objects.get(title="Read the handbook")
    assert task.status == Task.Status.DONE and task.closed_by == new_user

    # and HR sees the progress on the checklist page
    sign_out(page)
    login(page, hr.email, PASSWORD)
    page.goto(f"/lifecycle/employees/{task.checklist.employee_id}/")
    assert "1 of 2 tasks done (50%)" in page.content()
    assert "Grace Hopper" in page.content()
