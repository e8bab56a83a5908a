"""End to end in a real browser: a payroll admin calculates a run, a second one approves and
finalises it, and an employee downloads their payslip from the portal."""

from datetime import date

import pytest

from accounts.roles import Role
from payroll.models import PayRun, Payslip
from payroll.services.periods import periods_generate
from payroll.services.runs import run_create
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.payroll_outputs import add_bank
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


@pytest.mark.browser
def test_calculate_approve_finalise_then_employee_downloads_payslip(
    page, password, hr_admin, mailoutbox
):
    # given two payroll admins with authenticators, and an employee on a monthly schedule
    calculator = UserFactory(email="calc@example.test", roles=[Role.PAYROLL_ADMIN])
    approver = UserFactory(email="approve@example.test", roles=[Role.PAYROLL_ADMIN])
    secrets = {user: enrol_totp(user) for user in (calculator, approver)}
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=calculator)
    worker = UserFactory(email="worker@example.test", roles=[Role.EMPLOYEE])
    employee = paid_employee(schedule, user=worker)
    add_bank(employee, hr_admin)
    run = run_create(schedule=schedule, period=schedule.periods.get(number=1),
                     acting_user=calculator)

    # when the first payroll admin calculates
    login(page, calculator.email, password, totp_secret=secrets[calculator])
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Review and approve")
    _sign_out(page)

    # and the second reads the review, approves there and finalises
    login(page, approver.email, password, totp_secret=secrets[approver])
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("text=Review and approve")
    page.wait_for_selector("text=Cash needed for pay day")
    page.click("button:has-text('Approve')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Finalise')")
    page.wait_for_selector("text=Payslips and files")
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED
    page.click("text=Payslips and files")
    page.wait_for_selector("text=Payslip PDFs")
    assert Payslip.objects.get(run=run).pdf_status == Payslip.PdfStatus.READY
    _sign_out(page)

    # then the employee, told by email, downloads their payslip from the portal
    assert [m.to for m in mailoutbox] == [[worker.email]]
    login(page, worker.email, password)
    page.goto("/payroll/my/payslips/")
    with page.expect_download() as download_info:
        page.click("text=Download PDF")
    download = download_info.value
    assert download.suggested_filename.startswith("payslip-PS-")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
