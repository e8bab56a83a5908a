"""The hot time-off pages run a fixed number of queries: balances and one's requests, the
approvals list, the reports page and the HR tab do not grow with headcount or with the rows they
show (the calendar's own test is in test_views.py)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import requires_second_factor
from tests.factories.employees import EmployeeFactory
from tests.mfa import enrol_totp
from timeoff.models import LeaveRequest, LedgerEntry

pytestmark = pytest.mark.django_db


def _login(client, user):
    if requires_second_factor(user):
        enrol_totp(user)
    client.force_login(user)
    return client


def _book(holiday, people, status=LeaveRequest.Status.APPROVED, start=date(2026, 3, 2)):
    """Rows straight in (the services are tested elsewhere): an opening balance and a request
    each."""
    for n, person in enumerate(people):
        LedgerEntry.objects.create(employee=person, leave_type=holiday, kind="opening",
                                   amount=D("10"), effective_date=date(2026, 1, 1),
                                   reason="opening")
        first = start + timedelta(days=7 * n)
        LeaveRequest.objects.create(employee=person, leave_type=holiday, first_day=first,
                                    last_day=first + timedelta(days=1), amount=D("2"),
                                    status=status)


def _count(client, url, data=None) -> int:
    client.get(url, data or {})  # once first: per-process caches (settings rows) warm up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data or {}).status_code == 200
    return len(ctx.captured_queries)


def test_my_time_off_does_not_grow_with_headcount_or_my_requests(client, funded, holiday):
    _login(client, funded.users["employee"])
    url = reverse("timeoff:my_leave")
    _book(holiday, [funded.report])
    few = _count(client, url)
    # others' leave and more of my own requests
    _book(holiday, [EmployeeFactory() for _ in range(8)])
    _book(holiday, [funded.report] * 6, start=date(2026, 6, 1))
    assert _count(client, url) == few


def test_approvals_list_does_not_grow_with_pending_requests(client, org, holiday):
    _login(client, org.users["manager"])
    url = reverse("timeoff:approvals")
    _book(holiday, [EmployeeFactory(manager=org.manager) for _ in range(2)],
          status=LeaveRequest.Status.PENDING)
    few = _count(client, url)
    _book(holiday, [EmployeeFactory(manager=org.manager) for _ in range(10)],
          status=LeaveRequest.Status.PENDING)
    assert _count(client, url) == few


def test_reports_page_does_not_grow_with_headcount(client, hr_admin, holiday):
    _login(client, hr_admin)
    url = reverse("timeoff:reports")
    _book(holiday, [EmployeeFactory() for _ in range(2)])
    few = _count(client, url)
    _book(holiday, [EmployeeFactory() for _ in range(10)])
    assert _count(client, url) == few


def test_the_hr_tab_does_not_grow_with_the_persons_requests(client, funded, holiday, hr_admin):
    _login(client, hr_admin)
    url = reverse("timeoff:employee_leave", args=[funded.report.pk])
    _book(holiday, [funded.report])
    few = _count(client, url)
    _book(holiday, [funded.report] * 8, start=date(2026, 6, 1))
    assert _count(client, url) == few
