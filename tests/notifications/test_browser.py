"""Browser: the bell shows the unread count after the page loads, the list opens, "Mark read"
(htmx) updates the row and the bell; the colleague directory's live search and the org chart's
search, for a plain employee."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from notifications.services import notify
from tests.browser import login
from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_count_list_and_mark_read(page, org, password):
    # given: two unread notifications for the report
    user = org.users["employee"]
    for text in ("Read the handbook", "Your bank change was approved."):
        notify(recipient_user=user, kind=Notification.Kind.OTHER, text=text, url="/portal/")
    login(page, user.email, password)
    # when / then: the bell fetches its count after the page has loaded
    page.goto("/portal/")
    expect(page.locator("#bell .bell-count")).to_have_text("2")
    # when: opening the list and marking one read
    page.click("#bell")
    expect(page.locator(".notification-list li.unread")).to_have_count(2)
    page.locator(".notification-list li.unread").first.locator("text=Mark read").click()
    # then: the row and the bell follow without a reload
    expect(page.locator(".notification-list li.unread")).to_have_count(1)
    expect(page.locator("#bell .bell-count")).to_have_text("1")
    # when: opening the other one, it is marked read and we are at the thing
    page.click("text=Read the handbook")
    page.wait_for_url("**/portal/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    page.screenshot(path="test-results/notifications.png", full_page=True)


def test_employee_finds_a_colleague_and_them_on_the_org_chart(page, org, password):
    EmployeeFactory(legal_first_name="Zed", legal_last_name="Quasimodo", manager=org.manager)
    login(page, org.users["other"].email, password)
    # the colleague directory: live search (no submit)
    page.goto("/employees/colleagues/")
    page.fill("input[name=q]", "quasim")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.screenshot(path="test-results/colleagues.png", full_page=True)
    # the org chart: search, then show them on the chart with their manager above
    page.goto("/employees/org/")
    page.fill("#org-q", "quasim")
    expect(page.locator("#org-results .org-card")).to_have_count(1)
    page.click("#org-results >> text=Show on the chart")
    expect(page.locator(".org-card-current")).to_contain_text("Zed Quasimodo")
    expect(page.locator(".org-chain")).to_contain_text(org.manager.display_name)
