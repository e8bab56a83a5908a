"""Browser (issue 13 item 7): the bank form shows only the chosen account format's fields."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser import login
from tests.factories import UserFactory
from tests.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bank_form_shows_the_chosen_formats_fields(page, org, password):
    admin = UserFactory(email="bank.admin@example.test", roles=[Role.HR_ADMIN])
    login(page, admin.email, password, totp_secret=enrol_totp(admin))
    page.goto(f"/employees/{org.report.pk}/bank/accounts/add/")
    page.select_option("select[name=scheme]", "uk")
    expect(page.locator("input[name=sort_code]")).to_be_visible()
    expect(page.locator("input[name=account_number]")).to_be_visible()
    expect(page.locator("input[name=iban]")).to_be_hidden()
    expect(page.locator("input[name=routing_number]")).to_be_hidden()
    page.select_option("select[name=scheme]", "iban")
    expect(page.locator("input[name=iban]")).to_be_visible()
    expect(page.locator("input[name=bic]")).to_be_visible()
    expect(page.locator("input[name=sort_code]")).to_be_hidden()
    expect(page.locator("input[name=account_number]")).to_be_hidden()
