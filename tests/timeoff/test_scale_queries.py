"""Every time-off page runs the same number of queries for 20 people as for 200 (issue 14:
pages that stay fast at 20,000 employees; bench/timeoff.py measures the time). One population
step, every page counted before and after it, so the test stays short."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import requires_second_factor
from employees.models import CompensationRecord
from tests.factories.employees import DepartmentFactory, EmployeeFactory
from tests.factories.timeoff import leave_type
from tests.mfa import enrol_totp
from timeoff.models import LeaveRequest, LedgerEntry, WorkingPattern

pytestmark = pytest.mark.django_db
MARCH = "2026-03"


def _client(user) -> Client:
    if requires_second_factor(user):
        enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def _populate(n: int, org, holiday, departments) -> None:
    """n more people: a third under the manager, a third in the intern's team (under the
    report), a third elsewhere; each with an opening balance, pay, approved leave in March, a
    pending request in June and leave starting in three days; every 5th sick in February,
    every 10th on a working pattern of their own. Rows straight in: the services are tested
    elsewhere, this is about what the pages read."""
    sick = leave_type("sick")
    soon = timezone.localdate() + timedelta(days=3)
    managers = [org.manager, org.report, None]
    people = [EmployeeFactory(manager=managers[k % 3], department=departments[k % 2])
              for k in range(n)]
    entries, requests, pay, patterns = [], [], [], []
    for k, person in enumerate(people):
        entries.append(LedgerEntry(employee=person, leave_type=holiday, kind="opening",
                                   amount=D("20"), effective_date=date(2026, 1, 1),
                                   reason="opening"))
        pay.append(CompensationRecord(employee=person, effective_date=person.hire_date,
                                      basis="salary", annual_salary=D("26000.00"),
                                      reason="hire"))
        day = date(2026, 3, 2 + k % 20)
        requests += [
            LeaveRequest(employee=person, leave_type=holiday, first_day=day,
                         last_day=day + timedelta(days=1), amount=D("2"), status="approved"),
            LeaveRequest(employee=person, leave_type=holiday, first_day=date(2026, 6, 1),
                         last_day=date(2026, 6, 2), amount=D("2"), status="pending"),
            LeaveRequest(employee=person, leave_type=holiday, first_day=soon, last_day=soon,
                         amount=D("1"), status="approved")]
        if k % 5 == 0:
            requests.append(LeaveRequest(employee=person, leave_type=sick,
                                         first_day=date(2026, 2, 2), last_day=date(2026, 2, 3),
                                         amount=D("2"), status="approved"))
        if k % 10 == 0:
            patterns.append(WorkingPattern(employee=person, effective_from=date(2025, 1, 1),
                                           weekday_hours=["8", "8", "8", "8", "0", "0", "0"]))
    LedgerEntry.objects.bulk_create(entries)
    CompensationRecord.objects.bulk_create(pay)
    LeaveRequest.objects.bulk_create(requests)
    WorkingPattern.objects.bulk_create(patterns)


def _count(client, url: str) -> int:
    client.get(url)  # once first: per-process caches (settings rows) warm up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_no_time_off_page_grows_from_20_to_200_people(org, hr_admin):
    holiday = leave_type("holiday")
    departments = [DepartmentFactory(name="Ops"), DepartmentFactory(name="Sales")]
    calendar = reverse("timeoff:calendar")
    hr_pages = [
        f"{calendar}?month={MARCH}",  # HR: everyone
        f"{calendar}?month={MARCH}&department={departments[0].pk}",
        f"{calendar}?month={MARCH}&location={org.report.location_id}",
        reverse("timeoff:approvals"),
        reverse("timeoff:employee_leave", args=[org.report.pk]),
        reverse("timeoff:reports"),  # with liability: HR Admin sees pay
        reverse("timeoff:reports") + f"?type={holiday.pk}",
    ]
    people_pages = [
        ("manager", f"{calendar}?month={MARCH}"),  # their subtree, types shown
        ("manager", reverse("timeoff:approvals")),
        ("intern", f"{calendar}?month={MARCH}"),  # own team: "away" for others
        ("employee", reverse("timeoff:my_leave")),
    ]

    clients = {"hr": _client(hr_admin), **{role: _client(org.users[role])
                                           for role in ("manager", "intern", "employee")}}

    def counts() -> list[int]:
        found = [_count(clients["hr"], url) for url in hr_pages]
        found += [_count(clients[role], url) for role, url in people_pages]
        return found

    # given 20 people
    _populate(20, org, holiday, departments)
    few = counts()
    # when 180 more join (past a calendar page of 50, past the upcoming list's page)
    _populate(180, org, holiday, departments)
    # then every page reads the same number of queries
    assert counts() == few
