"""Compliance coverage over time, hand-computed: one training requirement for everyone.

A (hired Jan 2024): verified, completed 10 Jan 2025, expires 31 Dec 2025.
B (hired Jan 2024): verified, completed 1 Feb 2024, no expiry.
C (hired 1 Jun 2025): no record.  E (hired Jan 2024): a record pending verification.
End of May 2024: required A B E, compliant B -> 1/3 = 33.3%.
End of Jan 2025: A B E, compliant A B -> 66.7%.  End of Dec 2025: A B C E, A (expires that
day, still valid) and B -> 50.0%.  End of Jan 2026: A expired -> B only, 1/4 = 25.0%.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from analytics.coverage import coverage_live, coverage_stored
from compliance.models import ComplianceRecord
from tests.factories import UserFactory
from tests.factories.analytics import person
from tests.factories.compliance import ComplianceRecordFactory, RequirementRuleFactory
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory

pytestmark = pytest.mark.django_db
MONTHS = [date(2024, 5, 1), date(2025, 1, 1), date(2025, 12, 1), date(2026, 1, 1)]


@pytest.fixture
def trained(db):
    dept, loc, title = DepartmentFactory(), LocationFactory(), JobTitleFactory()
    a, b, e = (person(hire=date(2024, 1, 8), department=dept, location=loc, title=title)
               for _ in range(3))
    person(hire=date(2025, 6, 1), department=dept, location=loc, title=title)
    rule = RequirementRuleFactory()
    kind = rule.requirement_type
    ComplianceRecordFactory(employee=a, requirement_type=kind, completed_on=date(2025, 1, 10),
                            expires_on=date(2025, 12, 31))
    ComplianceRecordFactory(employee=b, requirement_type=kind, completed_on=date(2024, 2, 1))
    ComplianceRecordFactory(employee=e, requirement_type=kind, completed_on=date(2024, 2, 1),
                            verification=ComplianceRecord.Verification.PENDING)
    return kind


def test_coverage_at_each_month_end(trained):
    rows = coverage_live(MONTHS)
    assert [(r.required, r.compliant, r.percent) for r in rows] == [
        (3, 1, D("33.3")), (3, 2, D("66.7")), (4, 2, D("50.0")), (4, 1, D("25.0"))]


def test_stored_coverage_equals_live_and_page_roles(trained, client):
    from django.utils import timezone

    from analytics.metrics import months_back
    from analytics.snapshot import snapshot_refresh

    snapshot_refresh()
    months = months_back(timezone.localdate(), 60)
    assert coverage_stored(months) == coverage_live(months)
    client.force_login(UserFactory(roles=[Role.HR_ANALYST]))
    page = client.get("/analytics/compliance/", {"months": "60"})
    assert page.status_code == 200 and len(page.context["rows"]) == 60
    client.force_login(UserFactory(roles=[Role.MANAGER]))
    assert client.get("/analytics/compliance/").status_code == 403
