"""Analytics pages: who may open them, drill-down only to people the viewer may see, exports
through the safe writer, queries that do not grow with headcount."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.analytics import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    return UserFactory(email="analyst@example.test", roles=[Role.HR_ANALYST])


def test_analyst_sees_the_report_and_drills_into_a_months_leavers(company, analyst, client):
    # given
    client.force_login(analyst)
    # when
    page = client.get("/analytics/", {"as_of": "2026-03-15", "months": 12})
    leavers = client.get("/analytics/people/", {"metric": "leavers", "month": "2026-01",
                                                "as_of": "2026-03-15"})
    # then
    assert page.status_code == 200
    assert b"Headcount trend" in page.content and b"<svg" in page.content
    names = {p.employee.pk for p in leavers.context["people"]}
    assert names == {company.people.b.pk, company.people.h.pk}
    # no pay on these pages
    assert b"salary" not in leavers.content.lower()


def test_drill_down_filters_by_department_and_kind(company, analyst, client):
    client.force_login(analyst)
    response = client.get("/analytics/people/", {
        "metric": "leavers", "month": "2026-01", "kind": "voluntary", "as_of": "2026-03-15",
        "department": company.eng.pk})
    assert [p.employee.pk for p in response.context["people"]] == [company.people.b.pk]


def test_manager_sees_only_their_subtree(company, client):
    # given: A manages B C D E; A logs in
    user = UserFactory(roles=[Role.MANAGER, Role.EMPLOYEE])
    company.people.a.user = user
    company.people.a.save(update_fields=["user"])
    client.force_login(user)
    # when
    page = client.get("/analytics/", {"as_of": "2026-03-15", "months": 12})
    everyone = client.get("/analytics/people/", {"metric": "headcount", "as_of": "2026-03-15"})
    # then: C and E (A, G are not their reports)
    assert page.context["report"].headcount == 2
    assert {p.employee.pk for p in everyone.context["people"]} == {
        company.people.c.pk, company.people.e.pk}


@pytest.mark.parametrize("roles", [[Role.EMPLOYEE], [Role.HR_STAFF], [Role.PAYROLL_ADMIN]])
def test_others_are_refused(company, client, roles):
    from tests.mfa import enrol_totp

    user = UserFactory(roles=roles)
    enrol_totp(user)
    client.force_login(user)
    assert client.get("/analytics/").status_code == 403
    assert client.get("/analytics/people/").status_code == 403
    assert client.get("/analytics/plan/").status_code == 403


def test_exports_csv_and_xlsx(company, analyst, client):
    client.force_login(analyst)
    csv = client.get("/analytics/", {"as_of": "2026-03-15", "months": 12, "table": "trend",
                                     "format": "csv"})
    xlsx = client.get("/analytics/people/", {"metric": "leavers", "month": "2026-01",
                                             "as_of": "2026-03-15", "format": "xlsx"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Month,Headcount,FTE")
    assert lines[-1].startswith("2026-03,4,3.500")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "Employee number"
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [company.people.b.employee_number, company.people.h.employee_number])


def test_bad_input_is_ignored_not_an_error(company, analyst, client):
    client.force_login(analyst)
    assert client.get("/analytics/", {"as_of": "yesterday", "months": "7",
                                      "department": "x"}).status_code == 200
    assert client.get("/analytics/people/", {"metric": "nope", "month": "2026-13"}
                      ).context["people"] == []


def test_plan_entry_and_import_are_audited(company, analyst, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from analytics.models import HeadcountPlan
    from audit.models import AuditEvent

    client.force_login(analyst)
    client.post("/analytics/plan/", {"department": company.eng.pk, "month": "2026-03",
                                     "budget_headcount": 5, "budget_fte": "4.5"})
    bad = SimpleUploadedFile("plan.csv", b"department_code,month,budget_headcount,budget_fte\n"
                             b"ENG,2026-04,6,5.5\nNOPE,2026-04,1,1\n")
    client.post("/analytics/plan/import/", {"file": bad})
    assert HeadcountPlan.objects.count() == 1  # all or nothing
    good = SimpleUploadedFile("plan.csv", b"department_code,month,budget_headcount,budget_fte\n"
                              b"ENG,2026-04,6,5.5\nSALES,2026-04,2,2\n")
    client.post("/analytics/plan/import/", {"file": good})
    assert HeadcountPlan.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="analytics.headcountplan").count() == 3


def test_workforce_queries_do_not_grow_with_headcount(company, analyst, client,
                                                      django_assert_max_num_queries):
    client.force_login(analyst)
    client.get("/analytics/", {"as_of": "2026-03-15"})  # warm: session, roles

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/", {"as_of": "2026-03-15"}).status_code == 200
        return len(ctx)

    before = count()
    for n in range(12):
        person(hire=date(2024, 1 + n % 12, 1), department=company.sales,
               location=company.nyc, title=company.title,
               end=date(2025, 1 + n % 12, 10) if n % 3 == 0 else None, reason="resignation")
    assert count() == before


def test_tenure_and_headcount_drill_down_are_paged(company, analyst, client, monkeypatch):
    client.force_login(analyst)
    tenure = client.get("/analytics/people/", {"metric": "tenure", "band": "< 1 year",
                                               "as_of": "2026-03-15"})
    assert {p.employee.pk for p in tenure.context["people"]} == {
        company.people.c.pk, company.people.e.pk}
    monkeypatch.setattr("analytics.views.PEOPLE_PAGE", 3)
    first = client.get("/analytics/people/", {"metric": "headcount", "as_of": "2026-03-15"})
    second = client.get("/analytics/people/", {"metric": "headcount", "as_of": "2026-03-15",
                                               "page": 2})
    assert (first.context["total"], first.context["pages"]) == (4, 2)
    assert len(first.context["people"]) == 3 and len(second.context["people"]) == 1
    month = client.get("/analytics/people/", {"metric": "headcount", "month": "2026-01",
                                              "as_of": "2026-03-15"})
    assert month.context["total"] == 5  # 31 Jan: A B C D G
