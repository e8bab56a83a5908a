"""Contract tests: each endpoint answers with the status and the shape its OpenAPI document
declares (validated against the schema, required fields included), and the document itself is
valid OpenAPI 3."""

from datetime import date

import pytest
from openapi_spec_validator import validate

from api.schema import openapi_document
from tests.api.schema_check import assert_matches_schema
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    # when
    response = client.get("/api/v1/schema/")
    # then
    assert response.status_code == 200
    validate(response.json())
    assert response.json()["paths"]["/api/v1/employees/"]["get"]["x-required-scopes"] == [
        "employees:read"]


def test_the_reference_page_lists_every_operation_without_scripts(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    for path in openapi_document()["paths"]:
        assert path in html
    assert "<script>" not in html and "cdn" not in html.lower()
    assert "script-src" in response["Content-Security-Policy"]


READS = [
    ("/api/v1/employees/", "/api/v1/employees/"),
    ("/api/v1/employees/{id}/", "/api/v1/employees/{pk}/"),
    ("/api/v1/employees/{id}/jobs/", "/api/v1/employees/{pk}/jobs/"),
    ("/api/v1/employees/{id}/compensation/", "/api/v1/employees/{pk}/compensation/"),
    ("/api/v1/employees/{id}/checklists/", "/api/v1/employees/{pk}/checklists/"),
    ("/api/v1/employees/{id}/compliance/", "/api/v1/employees/{pk}/compliance/"),
    ("/api/v1/employees/{id}/time-off/", "/api/v1/employees/{pk}/time-off/"),
    ("/api/v1/org/{id}/", "/api/v1/org/{boss}/"),
    ("/api/v1/departments/", "/api/v1/departments/"),
    ("/api/v1/locations/", "/api/v1/locations/"),
    ("/api/v1/job-titles/", "/api/v1/job-titles/"),
    ("/api/v1/payroll/runs/", "/api/v1/payroll/runs/"),
    ("/api/v1/payroll/runs/{id}/payslips/", "/api/v1/payroll/runs/{run}/payslips/"),
    ("/api/v1/analytics/workforce/", "/api/v1/analytics/workforce/"),
    # api17b (the HR-Admin-only reports: tests/api/test_analytics.py)
    ("/api/v1/analytics/pay/", "/api/v1/analytics/pay/"),
    ("/api/v1/analytics/absence/", "/api/v1/analytics/absence/"),
    ("/api/v1/analytics/compliance-coverage/", "/api/v1/analytics/compliance-coverage/"),
]


def test_every_read_answers_its_declared_shape(service_api, org, uk_schedule, payroll_admin):
    from payroll.services.runs import run_create

    # given: pay for the report and a draft run
    CompensationRecordFactory(employee=org.report, pay_schedule=uk_schedule)
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    api = service_api()
    for documented, concrete in READS:
        # when
        response = api.get(concrete.format(pk=org.report.pk, boss=org.boss.pk, run=run.pk))
        # then
        assert response.status_code == 200, (concrete, response.content)
        assert_matches_schema(response, documented, "get")


def _hire_body(**overrides) -> dict:
    other = EmployeeFactory()
    body = {"legal_first_name": "Ada", "legal_last_name": "Lovelace",
            "employee_number": "API001", "work_email": "ada@work.example.test",
            "start_date": date.today().isoformat(), "work_country": "GB",
            "job_title": other.job_title_id, "department": other.department_id,
            "location": other.location_id, "employment_type": "full_time", "fte": "1.000",
            "basis": "salary", "amount": "52000.00", "currency": "GBP"}
    return {**body, **overrides}


def test_hire_patch_and_offboard_answer_their_declared_shapes(service_api):
    api = service_api()
    # hire
    created = api.post("/api/v1/employees/", _hire_body())
    assert created.status_code == 201, created.content
    assert_matches_schema(created, "/api/v1/employees/", "post")
    pk = created.json()["id"]
    # personal details
    patched = api.patch(f"/api/v1/employees/{pk}/", {"phone": "+44 7700 900456",
                                                     "version": created.json()["version"]})
    assert patched.status_code == 200, patched.content
    assert_matches_schema(patched, "/api/v1/employees/{id}/", "patch")
    assert patched.json()["personal"]["phone"] == "+44 7700 900456"
    # offboard
    left = api.post(f"/api/v1/employees/{pk}/terminate/", {
        "last_day": date.today().isoformat(), "reason": "resignation"})
    assert left.status_code == 202, left.content
    assert_matches_schema(left, "/api/v1/employees/{id}/terminate/", "post")


def test_errors_answer_the_problem_shape(service_api):
    response = service_api().get("/api/v1/employees/?limit=0")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert_matches_schema(response, "/api/v1/employees/", "get")
    assert response.json()["errors"] == [{"field": "limit", "message": "A whole number from 1 "
                                          "to 500."}]
