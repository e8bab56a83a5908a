"""End to end in a real browser (issue 12 "done means"): an HR Admin gives a user the Payroll
Admin role on the Users page; that user signs in, must enrol TOTP, then opens payroll - and
cannot raise their own pay."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from employees.models import CompensationRecord
from tests.browser import login, sign_out
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.mfa import enrol_totp, totp_code


@pytest.mark.browser
def test_hr_admin_grants_payroll_admin_who_enrols_totp_and_cannot_raise_own_pay(
        page, live_server, transactional_db):
    # given: an HR Admin with TOTP, and an employee on 38,000 with a login
    admin = UserFactory(email="admin.browser@example.test", roles=[Role.HR_ADMIN])
    admin_secret = enrol_totp(admin)
    priya = UserFactory(email="priya.browser@example.test", roles=[Role.EMPLOYEE])
    me = EmployeeFactory(user=priya)
    CompensationRecordFactory(employee=me, annual_salary=Decimal("38000.00"))

    # when: the HR Admin ticks Payroll Admin for her on the Users page
    login(page, admin.email, PASSWORD, totp_secret=admin_secret)
    page.goto("/users/?q=priya")
    row = page.locator(f"#user-{priya.pk}")
    row.locator(f"input[name=roles][value='{Role.PAYROLL_ADMIN}']").check()
    row.locator("button:has-text('Save roles')").click()
    page.wait_for_load_state("networkidle")
    assert "Roles of priya.browser@example.test saved." in page.content()

    # then: she signs in and is sent to set up an authenticator before anything else
    sign_out(page)
    login(page, priya.email, PASSWORD)
    page.goto("/payroll/")
    page.wait_for_load_state("networkidle")
    if "reauthenticate" in page.url:  # allauth asks for the password again before adding one
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/totp/activate/**")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")

    # and can then open payroll
    response = page.goto("/payroll/")
    assert response.status == 200 and "/2fa/" not in page.url

    # but not raise her own pay: the tab has no form, and a forged post is refused
    page.goto(f"/employees/{me.pk}/compensation/")
    assert "pay-amount" not in page.content()
    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector("body").getAttribute("hx-headers");
            const csrf = JSON.parse(token)["X-CSRFToken"];
            const body = new URLSearchParams({"pay-effective_date": "2026-12-01",
                "pay-basis": "salary", "pay-amount": "250000", "pay-currency": "GBP",
                "pay-reason": "merit_increase"});
            const r = await fetch(url, {method: "POST", body, headers: {"X-CSRFToken": csrf}});
            return r.status;
        }""", f"/employees/{me.pk}/compensation/")
    assert status == 403
    assert list(CompensationRecord.objects.filter(employee=me)
                .values_list("annual_salary", flat=True)) == [Decimal("38000.00")]
