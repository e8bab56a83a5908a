"""End to end in a real browser: a person without a bank account, their flag overridden "paid
by cheque", is left out of the payment file and listed on the delivery page."""

from datetime import date

import pytest
from lxml import etree

from accounts.roles import Role
from payroll.models import PayRun
from payroll.outputs import sepa
from payroll.services.periods import periods_generate
from payroll.services.runs import run_create
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp


@pytest.mark.browser
def test_override_no_bank_account_finalise_and_the_file_pays_the_others(page, password,
                                                                        settings):
    # given two payroll admins, a banked employee and one with no bank account
    settings.PAYROLL_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYROLL_DEBTOR_BIC = "COBADEFFXXX"
    calculator = UserFactory(email="calc@example.test", roles=[Role.PAYROLL_ADMIN])
    approver = UserFactory(email="approve@example.test", roles=[Role.PAYROLL_ADMIN])
    secrets = {user: enrol_totp(user) for user in (calculator, approver)}
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=calculator)
    banked = paid_employee(schedule)
    unbanked = paid_employee(schedule, bank=False, legal_first_name="Éamonn",
                             legal_last_name="Ó Briain")
    run = run_create(schedule=schedule, period=schedule.periods.get(number=1),
                     acting_user=calculator)

    # when the first admin calculates and overrides the flag with a comment
    login(page, calculator.email, password, totp_secret=secrets[calculator])
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Review and approve")
    payslip = run.payslips.get(employee=unbanked)
    page.goto(f"/payroll/runs/{run.pk}/payslips/{payslip.pk}/")
    page.fill("textarea[name=comment]", "Paid by cheque")
    page.click("button:has-text('Override')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")

    # and the second approves and finalises
    login(page, approver.email, password, totp_secret=secrets[approver])
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("text=Review and approve")  # approval is on the review page
    page.wait_for_selector("text=Cash needed for pay day")
    page.click("button:has-text('Approve')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Finalise')")
    page.wait_for_selector("text=Payslips and files")
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED

    # then the delivery page lists the person paid outside the file, with their net pay
    page.goto(f"/payroll/delivery/runs/{run.pk}/")
    section = page.locator("#paid-outside-file")
    outside = run.payslips.get(employee=unbanked)
    assert "Éamonn Ó Briain" in section.inner_text() and "Paid by cheque" in section.inner_text()
    assert f"{outside.net:,.2f}" in section.inner_text()
    # and the payment file downloads, paying only the banked person
    with page.expect_download() as download_info:
        page.click("text=Payment file: ISO 20022")
    with open(download_info.value.path(), "rb") as handle:
        document = etree.fromstring(handle.read())
    ns = {"p": sepa.NAMESPACE}
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == "1"
    paid = run.payslips.get(employee=banked)
    assert document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == f"{paid.net:.2f}"
    assert unbanked.employee_number not in etree.tostring(document).decode()
