"""Time-off confirmations say what happened (issue 13 leftovers): "Approved Ana Silva's
Holiday, 9-11 Mar (3 days).", "Leave policy "Holiday UK" saved." - not "Approved." / "Saved."."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories.timeoff import leave_type
from tests.mfa import enrol_totp
from timeoff.services.requests import Dates, request_create
from timeoff.views.common import day_span

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _named(employee, first: str, last: str):
    employee.legal_first_name, employee.legal_last_name, employee.preferred_name = first, last, ""
    employee.save(update_fields=["legal_first_name", "legal_last_name", "preferred_name"])


def test_approving_names_the_person_the_leave_the_dates_and_the_days(client, funded, holiday):
    # given: Mon 9 - Wed 11 March 2026, three working days (10 days funded)
    _named(funded.report, "Ana", "Silva")
    leave = request_create(employee=funded.report, leave_type=holiday,
                           dates=Dates(date(2026, 3, 9), date(2026, 3, 11)),
                           acting_user=funded.users["employee"])
    client.force_login(funded.users["manager"])
    # when
    response = client.post(reverse("timeoff:request_decide", args=[leave.pk]),
                           {"decision": "approve"})
    # then
    assert response.status_code == 302
    assert _messages(response) == [f"Approved Ana Silva\u2019s {holiday.name}, 9\u201311 Mar "
                                   "(3 days)."]


def test_declining_says_whose_request_was_declined(client, funded, holiday):
    # given: one day, Monday 9 March 2026
    _named(funded.report, "Ana", "Silva")
    leave = request_create(employee=funded.report, leave_type=holiday,
                           dates=Dates(date(2026, 3, 9), date(2026, 3, 9)),
                           acting_user=funded.users["employee"])
    client.force_login(funded.users["manager"])
    # when
    response = client.post(reverse("timeoff:request_decide", args=[leave.pk]),
                           {"decision": "decline", "reason": "Stocktake week"})
    # then
    assert _messages(response) == [f"Declined Ana Silva\u2019s {holiday.name}, 9 Mar (1 day)."]


def test_hours_are_counted_in_hours(client, funded):
    # given: a type counted in hours, one 7.5-hour day (Monday 9 March 2026)
    from decimal import Decimal

    from tests.factories.timeoff import LeavePolicyFactory
    from timeoff.services.ledger import entry_post

    hours = leave_type("holiday", unit="hours")  # the standard "PTO"
    LeavePolicyFactory(leave_type=hours, annual_amount=Decimal("200"))
    entry_post(employee=funded.report, leave_type=hours, kind="opening", amount=Decimal("75"),
               effective_date=date(2026, 1, 1), reason="opening")
    leave = request_create(employee=funded.report, leave_type=hours,
                           dates=Dates(date(2026, 3, 9), date(2026, 3, 9), hours=Decimal("7.5")),
                           acting_user=funded.users["employee"])
    client.force_login(funded.users["manager"])
    # when
    response = client.post(reverse("timeoff:request_decide", args=[leave.pk]),
                           {"decision": "approve"})
    # then
    assert _messages(response)[0].endswith(", 9 Mar (7.5 hours).")


def test_day_spans_across_months_and_years():
    assert day_span(date(2026, 11, 28), date(2026, 12, 2)) == "28 Nov \u2013 2 Dec"
    assert day_span(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026 \u2013 2 Jan 2027"


def test_saving_a_policy_and_a_type_names_them(client, hr_admin, holiday):
    # given
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    # when
    response = client.post(reverse("timeoff:policy_create"), {
        "name": "Holiday UK", "leave_type": holiday.pk, "priority": 10,
        "method": "front_loaded", "annual_amount": "28", "per_hour_rate": "0",
        "year_start_month": 1, "is_active": "on"})
    # then
    assert response.status_code == 302
    assert _messages(response) == ["Leave policy \u201cHoliday UK\u201d saved."]
    response = client.post(reverse("timeoff:type_edit", args=[holiday.pk]), {
        "name": "Annual leave", "category": holiday.category, "unit": "days",
        "tracks_balance": "on", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _messages(response)[-1] == "Leave type \u201cAnnual leave\u201d saved."
