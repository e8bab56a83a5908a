"""Issue 17 leftovers: the analytics reports in the API with the pages' rules: who may call each
(HR Admin / HR Analyst / manager; gender pay gap and EEO-1 HR Admin only), small groups
suppressed, individual pay only for HR Admin with compensation:read; each answer in its declared
shape; bad parameters are 400 problems.

Pay dataset (as of 15 Mar 2026, GBP annual salaries): Eng 30,000 40,000 50,000 60,000 70,000
(n = 5; inclusive quartiles at (n - 1) x p: Q1 = 40,000.00, median = 50,000.00, Q3 =
60,000.00); Sales 2 people (below the minimum group of 5: suppressed). Band for the engineers'
title 35,000 / 50,000 / 65,000: below 1 (30,000), within 3, above 1 (70,000); compa-ratios 0.60
0.80 1.00 1.20 1.40, average 5.00 / 5 = 1.00."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from analytics.services import pay_band_save
from api.scopes import ALL, Scope
from employees.models import CompensationRecord
from tests.api.schema_check import assert_matches_schema
from tests.factories import UserFactory
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory

pytestmark = pytest.mark.django_db
AS_OF = "2026-03-15"
REPORTS = {
    "/api/v1/analytics/workforce/": {"as_of": AS_OF},
    "/api/v1/analytics/pay/": {"as_of": AS_OF},
    "/api/v1/analytics/absence/": {"first": "2025-03-16", "last": AS_OF},
    "/api/v1/analytics/compliance-coverage/": {"months": "12"},
    "/api/v1/analytics/gender-pay-gap/": {"year": "2025"},
    "/api/v1/analytics/eeo1/": {"as_of": AS_OF},
}


@pytest.fixture
def paid(db, hr_admin):
    eng, sales = DepartmentFactory(name="Eng"), DepartmentFactory(name="Sales")
    london, engineer, seller = LocationFactory(), JobTitleFactory(name="Engineer"), \
        JobTitleFactory(name="Seller")
    hired = date(2024, 1, 8)
    people = []
    for amount, department, title in (("30000", eng, engineer), ("40000", eng, engineer),
                                      ("50000", eng, engineer), ("60000", eng, engineer),
                                      ("70000", eng, engineer), ("90000", sales, seller),
                                      ("95000", sales, seller)):
        e = person(hire=hired, department=department, location=london, title=title)
        CompensationRecord.objects.create(employee=e, effective_date=hired, basis="salary",
                                          annual_salary=Decimal(amount), currency="GBP",
                                          reason="hire")
        people.append(e)
    pay_band_save(acting_user=hr_admin, job_title=engineer, currency="GBP",
                  minimum=Decimal("35000"), midpoint=Decimal("50000"), maximum=Decimal("65000"))
    return people


@pytest.fixture
def analyst(db):
    return UserFactory(roles=[Role.HR_ANALYST])


def test_every_report_answers_its_declared_shape(personal_api, hr_admin, paid):
    api = personal_api(hr_admin)
    for path, params in REPORTS.items():
        response = api.get(path, params)
        assert response.status_code == 200, (path, response.content)
        assert_matches_schema(response, path, "get")


def test_pay_figures_are_the_reports_with_small_groups_suppressed(personal_api, analyst, paid):
    # when an HR Analyst asks for the pay report
    body = personal_api(analyst).get("/api/v1/analytics/pay/", {"as_of": AS_OF}).json()
    # then the hand-computed quartiles, Sales suppressed (its size only)
    departments = {d["label"]: d for d in body["by_department"]}
    assert (departments["Eng"]["q1"], departments["Eng"]["median"], departments["Eng"]["q3"]) \
        == ("40000.00", "50000.00", "60000.00")
    assert departments["Sales"] == {"label": "Sales", "people": 2, "suppressed": True,
                                    "q1": None, "median": None, "q3": None}
    [band] = body["bands"]
    assert (band["below"], band["within"], band["above"], band["average_compa_ratio"]) == (
        1, 3, 1, "1.00")
    # and individual pay is absent for the analyst: only how many are outside their band
    assert body["outside_band_count"] == 2 and "outside_band" not in body
    assert "30000" not in str(body) and "70000" not in str(body)


def test_individual_pay_needs_hr_admin_and_the_compensation_scope(personal_api, hr_admin, paid):
    with_pay = personal_api(hr_admin).get("/api/v1/analytics/pay/", {"as_of": AS_OF}).json()
    assert sorted(p["annual_pay"] for p in with_pay["outside_band"]) == ["30000.00", "70000.00"]
    without = personal_api(hr_admin, [Scope.ANALYTICS_READ]).get(
        "/api/v1/analytics/pay/", {"as_of": AS_OF}).json()
    assert "outside_band" not in without and without["outside_band_count"] == 2


def test_who_may_call_each_report(personal_api, service_api, hr_admin, analyst, org, hr_staff):
    callers = {"hr_admin": personal_api(hr_admin), "analyst": personal_api(analyst),
               "manager": personal_api(org.users["manager"]),
               "hr_staff": personal_api(hr_staff), "employee": personal_api(org.users["other"]),
               "service": service_api(ALL)}
    observed = {path.split("/")[-2]: {who: api.get(path).status_code
                                      for who, api in callers.items()} for path in REPORTS}
    # manager: their subtree's workforce and absence; service accounts act as HR Staff + HR
    # Analyst (api.services.accounts.roles_for), never HR Admin
    assert observed == {
        "workforce": {"hr_admin": 200, "analyst": 200, "manager": 200, "hr_staff": 403,
                      "employee": 403, "service": 200},
        "pay": {"hr_admin": 200, "analyst": 200, "manager": 403, "hr_staff": 403,
                "employee": 403, "service": 200},
        "absence": {"hr_admin": 200, "analyst": 200, "manager": 200, "hr_staff": 403,
                    "employee": 403, "service": 200},
        "compliance-coverage": {"hr_admin": 200, "analyst": 200, "manager": 403,
                                "hr_staff": 403, "employee": 403, "service": 200},
        "gender-pay-gap": {"hr_admin": 200, "analyst": 403, "manager": 403, "hr_staff": 403,
                           "employee": 403, "service": 403},
        "eeo1": {"hr_admin": 200, "analyst": 403, "manager": 403, "hr_staff": 403,
                 "employee": 403, "service": 403},
    }


def test_a_manager_gets_the_absence_of_their_subtree_suppressed(personal_api, org):
    body = personal_api(org.users["manager"]).get("/api/v1/analytics/absence/").json()
    # the manager's subtree is the report and the intern: fewer than 5, so no figures
    assert sum(r["people"] for r in body["departments"]) == 2
    assert all(r["suppressed"] and r["absence_rate_percent"] is None
               for r in body["departments"])


@pytest.mark.parametrize("path, params, field", [
    ("/api/v1/analytics/pay/", {"as_of": "2026-13-45"}, "as_of"),
    ("/api/v1/analytics/pay/", {"department": "999999"}, "department"),
    ("/api/v1/analytics/absence/", {"first": "soon"}, "first"),
    ("/api/v1/analytics/compliance-coverage/", {"months": "7"}, "months"),
    ("/api/v1/analytics/gender-pay-gap/", {"sector": "charity"}, "sector"),
    ("/api/v1/analytics/eeo1/", {"as_of": "yesterday"}, "as_of"),
])
def test_bad_parameters_are_problems_naming_the_field(personal_api, hr_admin, path, params,
                                                      field):
    response = personal_api(hr_admin).get(path, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def _queries(api, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path, {"as_of": AS_OF}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/api/v1/analytics/pay/", "/api/v1/analytics/absence/",
                                  "/api/v1/analytics/eeo1/"])
def test_report_queries_do_not_grow_with_headcount(personal_api, hr_admin, paid, path):
    # given the 7 paid people, then 7 more in the same departments and titles
    api = personal_api(hr_admin)
    _queries(api, path)  # warm: token, roles, ContentTypes
    before = _queries(api, path)
    for e in paid:
        twin = person(hire=date(2024, 1, 8), department=e.department, location=e.location,
                      title=e.job_title)
        CompensationRecord.objects.create(employee=twin, effective_date=date(2024, 1, 8),
                                          basis="salary", annual_salary=Decimal("45000"),
                                          currency="GBP", reason="hire")
    # then the same number of queries (the report's fixed set, the token, the call log)
    assert _queries(api, path) == before
