"""Browser: HR fills in a custom field on a profile's "More details" tab, and the employee
(whom the field lets see and edit it) changes it themself. (Defining fields is the HR Admin's
page, tested without a browser in test_custom_fields.py.)"""

import pytest
from playwright.sync_api import expect

from customfields.models import CustomFieldValue
from customfields.services import custom_field_save
from tests.browser import login, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_fills_in_a_field_and_the_employee_edits_it(page, org, hr_admin, hr_staff,
                                                       password):
    # given: "T-shirt size", which the employee sees and edits
    custom_field_save(acting_user=hr_admin, data={
        "section": "Preferences", "label": "T-shirt size", "key": "shirt", "kind": "choice",
        "choices": ["S", "M", "L"], "employee_sees": True, "employee_edits": True})
    # when: HR Staff sets it on the report's profile
    login(page, hr_staff.email, password)
    page.goto(f"/employees/{org.report.pk}/")
    page.click("nav.tabs >> text=More details")
    page.select_option("select[name=cf_shirt]", "M")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Details saved.")
    # then: the employee sees it and changes it
    sign_out(page)
    login(page, org.users["employee"].email, password)
    page.goto(f"/custom-fields/employee/{org.report.pk}/")
    expect(page.locator("select[name=cf_shirt]")).to_have_value("M")
    page.select_option("select[name=cf_shirt]", "L")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Details saved.")
    assert CustomFieldValue.objects.get(employee=org.report).value == "L"
    page.screenshot(path="test-results/custom_fields.png", full_page=True)
