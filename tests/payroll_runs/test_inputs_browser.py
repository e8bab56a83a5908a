"""In a real browser: the employee picker, a grid row saved by htmx (with its message), and the
bulk flag override loaded into the run page; no CSP violations on the way."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from payroll.models import PayComponent, RunInput
from payroll.services.periods import periods_generate
from payroll.services.runs import blocking_payslips, run_calculate, run_create
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp


@pytest.mark.browser
def test_picker_grid_edit_and_bulk_override_in_a_browser(page, password,
                                                         django_capture_on_commit_callbacks):
    # given a payroll admin, a schedule, one banked and two unbanked employees
    admin = UserFactory(email="grid@example.test", roles=[Role.PAYROLL_ADMIN])
    secret = enrol_totp(admin)
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=admin)
    worker = paid_employee(schedule, legal_first_name="Éamonn", legal_last_name="Zebedee")
    unbanked = [paid_employee(schedule, bank=False) for _ in range(2)]
    PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    run = run_create(schedule=schedule, period=schedule.periods.get(number=1), acting_user=admin)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    login(page, admin.email, password, totp_secret=secret)

    # when they type part of a name into the picker, the matching person is offered
    page.goto(f"/payroll/runs/{run.pk}/inputs/")
    page.fill("#id_employee_number", "Zebe")
    page.wait_for_selector(f"#employee-options option[value='{worker.employee_number}']",
                           state="attached")
    # and an input added with the number is saved with a message
    page.fill("#id_employee_number", worker.employee_number)
    page.select_option("select[name=component]", label="BONUS — Bonus")
    page.fill("input[name=amount]", "250")
    page.click("button:has-text('Add')")
    page.wait_for_selector("text=Saved: BONUS for")
    ri = RunInput.objects.get(run=run)

    # when the row is changed in place (htmx), the row and a status message come back
    page.fill(f"#input-{ri.pk} input[name=amount]", "300")
    page.click(f"#input-{ri.pk} button:has-text('Save')")
    page.wait_for_selector("#inputs-status.msg-success")
    ri.refresh_from_db()
    assert ri.amount == Decimal("300.00")

    # then on the calculated run page, the bulk override form loads and clears both flags
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=admin)
    assert blocking_payslips(run) == len(unbanked)
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("summary:has-text('Override a flag on many payslips')")
    page.fill("textarea[name=comment]", "Paid by cheque this month")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#bulk-override button:has-text('Override')")
    page.wait_for_selector("text=overridden on 2 payslip(s)")
    assert blocking_payslips(run) == 0
    assert not [p for p in problems if "Content Security Policy" in p], problems
