"""HR home, the compliance dashboard and the filtered matrix cost the same number of queries for
200 and for 2,000 employees, and list a bounded number of cells: counts and filters run in SQL
on the stored statuses (compliance.models.ComplianceStatus)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.models import ComplianceRecord, RequirementRule
from compliance.selectors_stored import EXPIRING_SHOWN
from compliance.services.statuses import compliance_status_refresh
from tests.factories.compliance import RequirementTypeFactory
from tests.factories.payroll_review import bulk_employees
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
OFFSETS = (-10, 5, 20, 45, 80, 400)  # expiry in days from today: expired ... compliant


def _company(types, n: int, prefix: str) -> None:
    """N people (bulk), records for two of the three requirements with mixed expiries, some
    pending; then the stored statuses, as the services would have left them."""
    people = bulk_employees(n, prefix=prefix)
    today = timezone.localdate()
    records = [
        ComplianceRecord(
            employee=person, requirement_type=rtype, completed_on=today - timedelta(days=500),
            expires_on=today + timedelta(days=OFFSETS[i % len(OFFSETS)]),
            verification="pending" if i % 9 == 0 else "verified")
        for i, person in enumerate(people) for rtype in types[:2]]
    ComplianceRecord.objects.bulk_create(records, batch_size=1000)
    compliance_status_refresh(employee_ids=[p.pk for p in people])


def _pages(types) -> dict[str, str]:
    matrix = reverse("compliance:matrix")
    return {"home": reverse("home"), "dashboard": reverse("compliance:dashboard"),
            "matrix, expired": f"{matrix}?status=expired",
            "matrix, one requirement missing": f"{matrix}?requirement={types[2].pk}&status=missing",
            "matrix, one requirement page 3": f"{matrix}?requirement={types[0].pk}&page=3"}


def _measure(client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


def test_pages_do_not_grow_with_headcount(client, hr_admin):
    # given three requirements for everyone and 200 people
    types = [RequirementTypeFactory(name=f"Requirement {i}") for i in range(3)]
    RequirementRule.objects.bulk_create(
        RequirementRule(requirement_type=t, scope="everyone") for t in types)
    _company(types, 200, "S")
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    client.get(reverse("compliance:requirements"))  # the first request warms per-session caches
    # the first page after a change counts live and stores the summary; later ones read it
    first_small = _measure(client, {"home": reverse("home")})
    small = _measure(client, _pages(types))
    # when the company grows to 2,000
    _company(types, 1800, "L")
    first_large = _measure(client, {"home": reverse("home")})
    large = _measure(client, _pages(types))
    # then every page costs the same number of queries, counted live or read from the summary
    # (the first build inserts the summary row, later ones update it: two queries fewer)
    assert first_large["home"] <= first_small["home"]
    assert large == small
    # and the dashboard lists a bounded number of cells, with the true counts
    data = client.get(reverse("compliance:dashboard")).context["data"]
    assert data.people == 2000 and data.total_cells == 6000
    assert data.expiring[90].count > EXPIRING_SHOWN
    assert all(len(w.cells) <= EXPIRING_SHOWN for w in data.expiring.values())
    # and the matrix filters in SQL: a page of 25 people, each with an expired cell
    page = client.get(_pages(types)["matrix, expired"]).context["page"]
    assert page.paginator.count == sum(1 for i in range(200) if i % 6 == 0 and i % 9) + sum(
        1 for i in range(1800) if i % 6 == 0 and i % 9)
    assert len(page.object_list) == 25


def test_dashboard_query_budget(client, hr_admin, django_assert_max_num_queries):
    types = [RequirementTypeFactory()]
    RequirementRule.objects.bulk_create([RequirementRule(requirement_type=types[0],
                                                         scope="everyone")])
    _company(types, 30, "B")
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    client.get(reverse("compliance:dashboard"))
    # session, user, groups, MFA; types, cells per type and status, people and failing people
    # per department, expiring counts, the first expiring cells; session update (3)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("compliance:dashboard")).status_code == 200
