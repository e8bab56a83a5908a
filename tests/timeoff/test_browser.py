"""End to end in a real browser: an employee books two days, the manager approves, the
calendar shows them and the balance drops."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.browser import login, sign_out
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.timeoff import leave_type
from timeoff.services.ledger import entry_post


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday() + 7)


@pytest.mark.browser
def test_book_approve_calendar_balance(page, live_server, transactional_db):
    # given an employee with 10 days of holiday and their manager
    boss_user = UserFactory(email="boss.leave@example.test", roles=[Role.MANAGER, Role.EMPLOYEE])
    boss = EmployeeFactory(user=boss_user)
    me_user = UserFactory(email="me.leave@example.test", roles=[Role.EMPLOYEE])
    me = EmployeeFactory(user=me_user, manager=boss, work_country="US")
    holiday = leave_type("holiday")
    today = timezone.localdate()
    entry_post(employee=me, leave_type=holiday, kind="opening", amount=Decimal("10"),
               effective_date=today.replace(day=1), reason="opening")
    monday = _next_monday(today)

    # when the employee books Monday and Tuesday, seeing the cost before sending
    login(page, me_user.email, PASSWORD)
    page.goto("/timeoff/")
    page.select_option("#book select[name=leave_type]", str(holiday.pk))
    page.fill("#book input[name=first_day]", monday.isoformat())
    page.fill("#book input[name=last_day]", (monday + timedelta(days=1)).isoformat())
    page.locator("#book input[name=last_day]").dispatch_event("change")
    page.wait_for_selector("#preview-result")
    assert "Costs 2 days" in page.inner_text("#preview")
    with page.expect_navigation():  # the page's URL is already /timeoff/: wait for the POST
        page.click("#book button[type=submit]")
    assert "Waiting for approval" in page.inner_text("#requests")

    # and the manager approves it
    sign_out(page)
    login(page, boss_user.email, PASSWORD)
    page.goto("/timeoff/approvals/")
    with page.expect_navigation():
        page.click("button[value=approve]")
    assert "Nothing waits for your decision" in page.content()

    # then the manager's calendar shows the two days
    page.goto(f"/timeoff/calendar/?month={monday:%Y-%m}")
    row = page.locator(f"tr[data-employee='{me.pk}']")
    assert row.locator("td.away").get_attribute("data-days") == "2"

    # and the employee's balance dropped from 10 to 8
    sign_out(page)
    login(page, me_user.email, PASSWORD)
    page.goto("/timeoff/")
    assert page.inner_text("#balances tr[data-type='Holiday'] .balance-today").startswith("10")
    assert "8" in page.inner_text("#balances tr[data-type='Holiday'] td:last-child")
