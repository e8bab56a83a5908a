"""Employees through the API: absent-not-null sections, masked secrets, keyset pages stable
under inserts, updated_since, ETags, a fixed number of queries per page, and bad input that
writes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken
from api.scopes import Scope
from audit.models import AuditEvent
from employees.models import Employee
from employees.services.bank import national_id_set
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/employees/"


def _walk(api, url: str) -> list[int]:
    seen = []
    while url:
        body = api.get(url).json()
        seen += [e["id"] for e in body["results"]]
        url = body["next"]
    return seen


def test_pay_is_absent_without_compensation_read(service_api, org):
    # given
    CompensationRecordFactory(employee=org.report)
    url = f"{LIST}{org.report.pk}/"
    # when
    without = service_api([Scope.EMPLOYEES_READ]).get(url).json()
    with_pay = service_api([Scope.EMPLOYEES_READ, Scope.COMPENSATION_READ]).get(url).json()
    # then: absent, not null
    assert "compensation" not in without and "bank_accounts" not in without
    assert with_pay["compensation"]["annual_salary"] == "42000.00"


def test_national_id_and_bank_account_are_masked(service_api, hr_admin, org):
    from employees.services.bank import bank_account_add

    national_id_set(acting_user=hr_admin, employee=org.report, country="GB", value="JG103759A")
    bank_account_add(acting_user=hr_admin, employee=org.report, notify=False, details={
        "holder_name": "R", "country": "GB", "scheme": "iban", "iban": "GB82WEST12345698765432",
        "bic": "NWBKGB2L"})
    response = service_api().get(f"{LIST}{org.report.pk}/")
    body, raw = response.json(), response.content.decode()
    assert body["national_id"]["masked"] == "•••• 759A"
    assert body["bank_accounts"][0]["account_masked"] == "•••• 5432"
    assert "JG103759A" not in raw and "98765432" not in raw


def test_a_walk_is_stable_while_people_are_hired(service_api):
    # given: 7 people, pages of 3
    first = [EmployeeFactory().pk for _ in range(7)]
    api = service_api()
    page = api.get(f"{LIST}?limit=3").json()
    # when: two are hired mid-walk
    late = [EmployeeFactory().pk, EmployeeFactory().pk]
    seen = [e["id"] for e in page["results"]] + _walk(api, page["next"])
    # then: everyone exactly once, the new ones at the end
    assert sorted(seen) == sorted(first + late) and len(seen) == len(set(seen))
    assert seen[-2:] == late


def test_updated_since_returns_only_what_changed(service_api, hr_admin):
    from employees.services.core import PayData, compensation_record_add

    people = [EmployeeFactory() for _ in range(3)]
    Employee.objects.update(updated_at=timezone.now() - timedelta(days=2))
    mark = (timezone.now() - timedelta(days=1)).isoformat()
    # when: one gets a pay change
    compensation_record_add(acting_user=hr_admin, employee=people[1], effective_date=date.today(),
                            pay=PayData(basis="salary", currency="GBP",
                                        annual_salary=Decimal("50000.00")), reason="merit_increase")
    seen = _walk(service_api(), f"{LIST}?updated_since={mark}")
    assert seen == [people[1].pk]
    bad = service_api().get(f"{LIST}?updated_since=yesterday")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "updated_since"


def test_etag_gives_304_until_something_changes(service_api, hr_admin, org):
    api = service_api()
    first = api.get(LIST)
    assert api.get(LIST, headers={"If-None-Match": first["ETag"]}).status_code == 304
    Employee.objects.filter(pk=org.peer.pk).update(preferred_name="Sam")
    assert api.get(LIST, headers={"If-None-Match": first["ETag"]}).status_code == 200


def _page_queries(api, limit: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(f"{LIST}?limit={limit}").status_code == 200
    return len(ctx)


def test_queries_per_page_do_not_grow_with_page_size_or_headcount(service_api):
    api = service_api()
    for _ in range(5):
        EmployeeFactory()
    _page_queries(api, 2)  # the first call of the minute also records the token's last use
    small = _page_queries(api, 2)
    for _ in range(45):
        EmployeeFactory()
    # token, roles, the page, the call log: the same for 2 and 50 rows
    assert _page_queries(api, 50) == small
    assert small == 4


def test_bad_hire_is_a_problem_with_fields_and_writes_nothing(service_api):
    # given
    api = service_api()
    before = (Employee.objects.count(), AuditEvent.objects.count())
    response = api.post(LIST, {"legal_first_name": "Ada", "start_date": "soon",
                                         "basis": "salary", "amount": "-1"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"legal_last_name", "start_date", "amount", "employee_number"} <= fields
    assert (Employee.objects.count(), AuditEvent.objects.count()) == before


def test_a_stale_version_is_a_409_and_writes_nothing(service_api, org):
    api = service_api()
    version = api.get(f"{LIST}{org.report.pk}/").json()["version"]
    assert api.patch(f"{LIST}{org.report.pk}/", {"phone": "+44 7700 900111",
                                                 "version": version}).status_code == 200
    stale = api.patch(f"{LIST}{org.report.pk}/", {"phone": "+44 7700 900222",
                                                  "version": version})
    assert stale.status_code == 409
    org.report.refresh_from_db()
    assert org.report.phone == "+44 7700 900111"
    event = AuditEvent.objects.filter(employee_id=org.report.pk, action="update").first()
    assert event.source == "api" and event.ip_address == "127.0.0.1"


def test_unknown_fields_and_other_peoples_records(personal_api, org):
    api = personal_api(org.users["employee"])
    mine = f"{LIST}{org.report.pk}/"
    version = api.get(mine).json()["version"]
    refused = api.patch(mine, {"legal_last_name": "X", "version": version})
    assert refused.status_code == 400  # an employee changes contact details, not their name
    assert refused.json()["errors"][0]["field"] == "legal_last_name"
    assert api.get(f"{LIST}{org.peer.pk}/").status_code == 404
    assert api.post(LIST, {}).status_code == 403  # not HR
    assert ApiToken.objects.count() == 1


def test_a_hire_the_service_refuses_writes_nothing(service_api, org):
    # given: the form passes, the hire flow refuses (a login needs a work email)
    api = service_api()
    before = (Employee.objects.count(), AuditEvent.objects.count())
    body = {"legal_first_name": "Ada", "legal_last_name": "L", "employee_number": "API9",
            "start_date": date.today().isoformat(), "work_country": "GB",
            "job_title": org.report.job_title_id, "department": org.report.department_id,
            "location": org.report.location_id, "employment_type": "full_time", "fte": "1",
            "basis": "salary", "amount": "1.001", "currency": "GBP"}
    # when
    response = api.post(LIST, body)
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "amount", "message": (
        "An annual salary has at most 2 decimal places.")}]
    assert (Employee.objects.count(), AuditEvent.objects.count()) == before
