"""Browser: an HR Admin defines a custom field, fills it in on a profile's "More details" tab,
and the employee (whom the field lets see and edit it) changes it themself."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from customfields.models import CustomFieldValue
from tests.browser import login
from tests.factories import UserFactory
from tests.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_admin_defines_a_field_and_the_employee_edits_it(page, org, password):
    admin = UserFactory(email="cf.admin@example.test", roles=[Role.HR_ADMIN])
    secret = enrol_totp(admin)
    login(page, admin.email, password, totp_secret=secret)
    # when: the HR Admin defines "T-shirt size"
    page.goto("/custom-fields/")
    page.fill("input[name=section]", "Preferences")
    page.fill("input[name=label]", "T-shirt size")
    page.fill("input[name=key]", "shirt")
    page.select_option("select[name=kind]", "choice")
    page.fill("textarea[name=choices_text]", "S\nM\nL")
    page.check("input[name=employee_sees]")
    page.check("input[name=employee_edits]")
    page.click("main button[type=submit]")
    expect(page.locator("table")).to_contain_text("cf_shirt")
    # and sets it on the report's profile
    page.goto(f"/employees/{org.report.pk}/")
    page.click("nav.tabs >> text=More details")
    page.select_option("select[name=cf_shirt]", "M")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Details saved.")
    # then: the employee sees it and changes it
    page.context.clear_cookies()
    login(page, org.users["employee"].email, password)
    page.goto(f"/custom-fields/employee/{org.report.pk}/")
    expect(page.locator("select[name=cf_shirt]")).to_have_value("M")
    page.select_option("select[name=cf_shirt]", "L")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Details saved.")
    assert CustomFieldValue.objects.get(employee=org.report).value == "L"
    page.screenshot(path="test-results/custom_fields.png", full_page=True)
