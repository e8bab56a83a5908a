import pytest
from playwright.sync_api import expect

from tests.browser import login
from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_search_and_org_chart_expansion(page, hr_staff, password):
    # given
    boss = EmployeeFactory(legal_first_name="Ada", legal_last_name="Topper")
    mid = EmployeeFactory(legal_first_name="Ben", legal_last_name="Middle", manager=boss)
    EmployeeFactory(legal_first_name="Cy", legal_last_name="Bottomley", manager=mid)
    for _ in range(3):
        EmployeeFactory(legal_last_name="Filler")
    login(page, hr_staff.email, password)
    # when: typing in the search box (no submit)
    page.goto("/employees/")
    page.fill("input[name=q]", "bottom")
    # then: htmx swaps in the matching rows only
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "Bottomley" in page.inner_text("#results")
    assert "q=bottom" in page.url
    page.screenshot(path="test-results/directory.png", full_page=True)
    # when: opening the org chart at the top and expanding the middle manager's reports
    page.goto(f"/employees/org/{boss.pk}/")
    page.click("summary:has-text('Show Ben Middle')")
    page.wait_for_selector("text=Cy Bottomley")
    page.screenshot(path="test-results/org_chart.png", full_page=True)
