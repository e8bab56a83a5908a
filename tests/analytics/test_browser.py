"""End to end in a real browser (issue 15 "done means"): the analyst opens the headcount
trend, filters by department, drills into a month's leavers and exports them."""

import pytest

from accounts.roles import Role
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD


@pytest.mark.browser
def test_analyst_filters_trend_drills_into_leavers_and_exports(page, live_server,
                                                               transactional_db, company):
    # given
    analyst = UserFactory(email="analyst.browser@example.test", roles=[Role.HR_ANALYST])
    login(page, analyst.email, PASSWORD)
    # when: the trend, then Engineering only
    page.goto("/analytics/?as_of=2026-03-15&months=12")
    assert page.locator("#headcount svg").count() == 1
    page.select_option("select[name=department]", str(company.eng.pk))
    page.click("form[aria-label=Filters] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert f"department={company.eng.pk}" in page.url
    # and the leavers of January 2026 (B from Platform, H from Engineering)
    page.click("#flows a[href*='metric=leavers'][href*='month=2026-01']:not([href*='kind'])")
    page.wait_for_load_state("networkidle")
    # then
    text = page.content()
    assert company.people.b.employee_number in text
    assert company.people.h.employee_number in text
    assert company.people.d.employee_number not in text  # left in February, from Sales
    with page.expect_download() as info:
        page.click("a:has-text('CSV')")
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        content = handle.read()
    assert content.splitlines()[0].startswith("Employee number,Name")
    assert company.people.b.employee_number in content
    assert company.people.h.employee_number in content
