"""In a real browser: after a month is finalised, a Payroll Admin opens "Taxes to pay",
downloads the P32 and marks the month paid. (The month's payslips are built finalised: the
finalise flow has its own browser tests in payroll_outputs.)"""

import csv
from datetime import date

import pytest

from accounts.roles import Role
from liabilities.models import LiabilityPayment
from tests.browser import login
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.liabilities import employer_schedule, finalised_payslips, uk_lines
from tests.mfa import enrol_totp


@pytest.mark.browser
def test_payroll_admin_downloads_the_p32_and_marks_the_month_paid(page, password):
    # given a finalised October 2026 (tax month 7): 400 + 200 + 300 = 900.00 due 20 Nov 2026
    admin = UserFactory(email="taxes@example.test", roles=[Role.PAYROLL_ADMIN])
    secret = enrol_totp(admin)
    finalised_payslips(employer_schedule(), date(2026, 10, 30), [
        {"employee": EmployeeFactory(), "lines": uk_lines("400.00", "200.00", "300.00")}])
    login(page, admin.email, password, totp_secret=secret)

    # when they open Taxes to pay from the menu and the employer
    page.goto("/")
    page.click("nav >> text=Taxes to pay")
    page.click("text=Acme Ltd")
    row = page.locator("#p32 tr[data-key='paye|2026-27:M07']")
    assert "900.00" in row.inner_text() and "20 Nov 2026" in row.inner_text()

    # then the P32 downloads with the month
    with page.expect_download() as download_info:
        page.click("text=Download P32 (CSV)")
    with open(download_info.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "2026-27 month 7" and rows[1][rows[0].index("Amount due")] == "900.00"

    # and marking it paid leaves nothing to pay
    page.fill("input[name=amount]", "900.00")
    page.fill("input[name=paid_on]", "2026-11-19")
    page.fill("input[name=reference]", "123PX00123456")
    page.click("button:has-text('Mark paid')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#p32 tr[data-key='paye|2026-27:M07'] td").last.inner_text() == "0.00"
    payment = LiabilityPayment.objects.get()
    assert (payment.amount, payment.reference, payment.recorded_by) == (900, "123PX00123456",
                                                                        admin)
