"""Every analytics report page answers in a number of queries that does not grow with
headcount (5 people, then 15 more with pay, self-identification and a pay gap gender)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import PayGapGender, SelfIdentification
from employees.models import CompensationRecord
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
PAGES = ["/analytics/", "/analytics/pay/", "/analytics/absence/", "/analytics/compliance/",
         "/analytics/gender-pay-gap/?year=2026", "/analytics/eeo1/",
         "/analytics/people/?metric=headcount", "/analytics/saved/"]


def _hire(n, dept, loc, title):
    for k in range(n):
        e = person(hire=date(2024, 1, 8), department=dept, location=loc, title=title)
        CompensationRecord.objects.create(employee=e, effective_date=date(2024, 1, 8),
                                          basis="salary", annual_salary=Decimal("30000"),
                                          currency="GBP", reason="hire")
        SelfIdentification.objects.create(employee=e, sex="female", race_ethnicity="white")
        PayGapGender.objects.create(employee=e, gender="man" if k % 2 else "woman")


def test_report_pages_do_not_grow_with_headcount(client, hr_admin):
    dept, loc, title = DepartmentFactory(), LocationFactory(country="GB"), JobTitleFactory()
    _hire(5, dept, loc, title)
    enrol_totp(hr_admin)
    client.force_login(hr_admin)

    def counts() -> dict[str, int]:
        found = {}
        for page in PAGES:
            client.get(page)  # warm: session, roles, caches
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(page).status_code == 200, page
            found[page] = len(ctx.captured_queries)
        return found

    before = counts()
    _hire(15, dept, loc, title)
    assert counts() == before
