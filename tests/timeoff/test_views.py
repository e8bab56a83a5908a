"""The time-off pages: booking through the portal, deciding, the calendar, the feed, HR's tab."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import requires_second_factor
from tests.factories.employees import EmployeeFactory
from tests.mfa import enrol_totp
from timeoff.models import CalendarFeed, LeaveRequest
from timeoff.services.ledger import balance
from timeoff.services.requests import Dates, request_approve, request_create

pytestmark = pytest.mark.django_db
MAR = {"month": "2026-03"}


def _login(client, user):
    if requires_second_factor(user):
        enrol_totp(user)
    client.force_login(user)
    return client


def test_employee_books_through_the_page_with_a_preview(client, funded, holiday):
    _login(client, funded.users["employee"])
    data = {"leave_type": holiday.pk, "first_day": "2026-03-09", "last_day": "2026-03-10"}
    preview = client.get(reverse("timeoff:request_preview"), data).content.decode()
    assert "Costs 2 days" in preview and "if you book this: 8" in preview
    response = client.post(reverse("timeoff:request_new"), {**data, "note": "Trip"})
    assert response.status_code == 302
    assert LeaveRequest.objects.get(employee=funded.report).amount == 2
    page = client.get(reverse("timeoff:my_leave")).content.decode()
    assert "Waiting for approval" in page and "Trip" not in page.split("My requests")[0]


def test_a_refused_request_shows_why(client, funded, holiday):
    _login(client, funded.users["employee"])
    response = client.post(reverse("timeoff:request_new"), {
        "leave_type": holiday.pk, "first_day": "2026-03-02", "last_day": "2026-03-20"})
    assert response.status_code == 400 and "Not enough Holiday" in response.content.decode()


def test_the_manager_approves_on_the_approvals_page(client, funded, holiday):
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(date(2026, 3, 9), date(2026, 3, 10)),
                             acting_user=funded.users["employee"])
    _login(client, funded.users["manager"])
    page = client.get(reverse("timeoff:approvals")).content.decode()
    assert f'id="request-{request.pk}"' in page
    client.post(reverse("timeoff:request_decide", args=[request.pk]), {"decision": "approve"})
    assert LeaveRequest.objects.get(pk=request.pk).status == "approved"
    assert balance(funded.report, holiday, date(2026, 3, 31)) == 8


def test_the_peer_sees_no_approvals_and_cannot_decide(client, funded, holiday):
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(date(2026, 3, 9), date(2026, 3, 10)),
                             acting_user=funded.users["employee"])
    _login(client, funded.users["other"])
    assert client.get(reverse("timeoff:approvals")).status_code == 403
    response = client.post(reverse("timeoff:request_decide", args=[request.pk]),
                           {"decision": "approve"})
    assert response.status_code == 404  # not theirs to see
    assert LeaveRequest.objects.get(pk=request.pk).status == "pending"


def test_the_employee_cannot_approve_their_own_on_the_page(client, funded, holiday):
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(date(2026, 3, 9), date(2026, 3, 10)),
                             acting_user=funded.users["employee"])
    _login(client, funded.users["employee"])
    response = client.post(reverse("timeoff:request_decide", args=[request.pk]),
                           {"decision": "approve"})
    assert response.status_code == 403
    assert LeaveRequest.objects.get(pk=request.pk).status == "pending"


def _approved(org, holiday):
    request = request_create(employee=org.report, leave_type=holiday,
                             dates=Dates(date(2026, 3, 9), date(2026, 3, 10)),
                             acting_user=org.users["employee"])
    return request_approve(request=request, acting_user=org.users["manager"])


def test_the_calendar_shows_types_to_the_manager_and_away_to_colleagues(client, funded,
                                                                        holiday):
    _approved(funded, holiday)
    teammate = EmployeeFactory(manager=funded.manager, user=None)
    assert teammate  # a colleague of the report, so the report's team has two people
    _login(client, funded.users["manager"])
    page = client.get(reverse("timeoff:calendar"), MAR).content.decode()
    assert funded.report.display_name in page and "Holiday" in page
    assert "Good Friday" not in page  # April, not March
    # the intern (reports to the report): their own team is the report and themself
    _login(client, funded.users["intern"])
    page = client.get(reverse("timeoff:calendar"), MAR).content.decode()
    assert funded.report.display_name in page and "Away" in page and "Holiday" not in page


def test_the_calendar_shows_public_holidays(client, funded, holiday):
    _login(client, funded.users["manager"])
    page = client.get(reverse("timeoff:calendar"), {"month": "2026-04"}).content.decode()
    assert 'class="holiday"' in page and "3 Apr" in page


def test_a_bad_month_is_404(client, funded):
    _login(client, funded.users["manager"])
    assert client.get(reverse("timeoff:calendar"), {"month": "2026-13"}).status_code == 404


def test_calendar_queries_do_not_grow_with_headcount(client, hr_staff, holiday, policy):
    from timeoff.services.ledger import entry_post

    def book(n: int) -> None:
        for _ in range(n):
            person = EmployeeFactory()
            entry_post(employee=person, leave_type=holiday, kind="opening", amount=5,
                       effective_date=date(2026, 1, 1), reason="opening")
            leave = request_create(employee=person, leave_type=holiday,
                                   dates=Dates(date(2026, 3, 9), date(2026, 3, 10)),
                                   acting_user=hr_staff)
            request_approve(request=leave, acting_user=hr_staff)

    _login(client, hr_staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("timeoff:calendar"), MAR).status_code == 200
        return len(ctx.captured_queries)

    book(2)
    few = count()
    book(10)
    assert count() == few


def test_the_ical_feed_is_private_and_resettable(client, funded, holiday):
    _approved(funded, holiday)
    _login(client, funded.users["employee"])
    client.post(reverse("timeoff:ical_reset"))
    feed = CalendarFeed.objects.get(employee=funded.report)
    client.logout()
    body = client.get(reverse("timeoff:ical_feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART;VALUE=DATE:20260309" in body
    assert "DTEND;VALUE=DATE:20260311" in body and "SUMMARY:Holiday" in body
    old = feed.token
    _login(client, funded.users["employee"])
    client.post(reverse("timeoff:ical_reset"))
    client.logout()
    assert client.get(reverse("timeoff:ical_feed", args=[old])).status_code == 404


def test_hr_sees_the_ledger_and_sickness_and_adjusts(client, funded, holiday, hr_admin):
    from timeoff.services.sickness import sickness_record

    sickness_record(employee=funded.report, first_day=date(2026, 2, 2),
                    last_day=date(2026, 2, 13), acting_user=funded.users["manager"])
    _login(client, hr_admin)
    page = client.get(reverse("timeoff:employee_leave", args=[funded.report.pk])).content
    assert b"Sickness history" in page and b"Needed" in page and b"Opening balance" in page
    client.post(reverse("timeoff:employee_adjust", args=[funded.report.pk]), {
        "leave_type": holiday.pk, "kind": "adjustment", "amount": "1.5",
        "effective_date": "2026-01-01", "reason": "Long service"})
    assert balance(funded.report, holiday, date(2026, 1, 1)) == 11.5


def test_the_manager_does_not_see_the_sickness_tab(client, funded):
    _login(client, funded.users["manager"])
    response = client.get(reverse("timeoff:employee_leave", args=[funded.report.pk]))
    assert response.status_code == 403


def test_the_manager_records_a_reports_sickness(client, funded):
    _login(client, funded.users["manager"])
    response = client.post(reverse("timeoff:employee_sickness", args=[funded.report.pk]),
                           {"first_day": "2026-03-02", "last_day": "2026-03-04"})
    assert response.status_code == 302
    assert LeaveRequest.objects.get(employee=funded.report).leave_type.category == "sick"


def test_hr_admin_creates_a_policy_with_conditions(client, hr_admin, holiday):
    from tests.factories.employees import DepartmentFactory

    dept = DepartmentFactory()
    _login(client, hr_admin)
    response = client.post(reverse("timeoff:policy_create"), {
        "name": "Sales holiday", "leave_type": holiday.pk, "priority": 10,
        "method": "front_loaded", "annual_amount": "27", "per_hour_rate": "0",
        "pro_rata": "on", "year_start_month": 1, "departments": [dept.pk],
        "tenure_steps_text": "2=1, 5=3", "is_active": "on"})
    assert response.status_code == 302
    from timeoff.models import LeavePolicy

    policy = LeavePolicy.objects.get(name="Sales holiday")
    assert policy.departments == [dept.pk] and policy.tenure_steps == [[2, "1"], [5, "3"]]


def test_hourly_accrual_needs_an_hourly_type(client, hr_admin, holiday):
    _login(client, hr_admin)
    response = client.post(reverse("timeoff:policy_create"), {
        "name": "Bad", "leave_type": holiday.pk, "priority": 10, "method": "irregular",
        "annual_amount": "0", "per_hour_rate": "0.1207", "year_start_month": 4})
    assert response.status_code == 400 and b"needs a leave type counted in hours" in \
        response.content


def test_the_employee_self_certifies_on_the_page(client, funded):
    _login(client, funded.users["employee"])
    response = client.post(reverse("timeoff:sickness_self"), {
        "sick-first_day": "2026-03-02", "sick-last_day": "2026-03-03"})
    assert response.status_code == 302
    assert LeaveRequest.objects.get(employee=funded.report).self_certified
    too_long = client.post(reverse("timeoff:sickness_self"), {
        "sick-first_day": "2026-04-01", "sick-last_day": "2026-04-10"})
    assert too_long.status_code == 400 and b"up to 7 days" in too_long.content


def test_the_calendar_pages_people(client, funded, holiday, hr_staff, monkeypatch):
    from timeoff import selectors

    _approved(funded, holiday)
    sick = EmployeeFactory(legal_last_name="Zzz")
    from timeoff.services.sickness import sickness_record

    sickness_record(employee=sick, first_day=date(2026, 3, 2), last_day=date(2026, 3, 3),
                    acting_user=hr_staff)
    monkeypatch.setattr(selectors, "CALENDAR_ROWS", 1)
    _login(client, hr_staff)
    first = client.get(reverse("timeoff:calendar"), MAR).content.decode()
    assert "More people" in first and "Zzz" not in first
    second = client.get(reverse("timeoff:calendar"), {**MAR, "page": 1}).content.decode()
    assert "Zzz" in second and "Previous people" in second


def test_a_manager_delegates_to_a_peer(client, funded, holiday):
    _login(client, funded.users["manager"])
    page = client.get(reverse("timeoff:delegations")).content.decode()
    assert funded.peer.display_name in page  # the manager's peer (same boss)
    response = client.post(reverse("timeoff:delegations"), {
        "delegate": funded.peer.pk, "first_day": "2020-01-01", "last_day": "2099-01-01"})
    assert response.status_code == 302
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(date(2026, 3, 9), date(2026, 3, 9)),
                             acting_user=funded.users["employee"])
    _login(client, funded.users["other"])
    assert f'id="request-{request.pk}"' in client.get(reverse("timeoff:approvals")).content.decode()
