"""The token x scope matrix (issue 17 item 2): every route of /api/v1/ with, per method, the
scope it needs and what a full-scope service account gets. A route without an entry fails, so
no endpoint ships without someone deciding who may call it. Each is called with no token (401),
with a token that has every scope but the needed one (403), and with all scopes (the answer
listed); then a personal token per role shows that the person's own rights still apply."""

import pytest
from django.urls import URLPattern, get_resolver

from api.scopes import ALL, Scope
from tests.factories.employees import EmployeeFactory

pytestmark = pytest.mark.django_db

# route name -> {method: (scope(s) needed, status for a service account with every scope)}
MATRIX = {
    "employees": {"GET": (Scope.EMPLOYEES_READ, 200),
                  "POST": ((Scope.EMPLOYEES_WRITE, Scope.COMPENSATION_WRITE), 400)},
    "employee": {"GET": (Scope.EMPLOYEES_READ, 200), "PATCH": (Scope.EMPLOYEES_WRITE, 400)},
    "employee_terminate": {"POST": (Scope.EMPLOYEES_WRITE, 400)},
    "employee_jobs": {"GET": (Scope.EMPLOYEES_READ, 200)},
    "employee_compensation": {"GET": (Scope.COMPENSATION_READ, 200)},
    "employee_checklists": {"GET": (Scope.LIFECYCLE_READ, 200)},
    "employee_compliance": {"GET": (Scope.COMPLIANCE_READ, 200)},
    "employee_timeoff": {"GET": (Scope.TIMEOFF_READ, 200)},
    "org_subtree": {"GET": (Scope.EMPLOYEES_READ, 200)},
    "departments": {"GET": (Scope.EMPLOYEES_READ, 200)},
    "locations": {"GET": (Scope.EMPLOYEES_READ, 200)},
    "job_titles": {"GET": (Scope.EMPLOYEES_READ, 200)},
    "payroll_runs": {"GET": (Scope.PAYROLL_READ, 200)},
    "payroll_payslips": {"GET": (Scope.PAYROLL_READ, 404)},  # no run with that id
    "analytics_workforce": {"GET": (Scope.ANALYTICS_READ, 200)},
    # --- api17b: API leftovers (issue 17) ---
    "analytics_pay": {"GET": (Scope.ANALYTICS_READ, 200)},
    "analytics_absence": {"GET": (Scope.ANALYTICS_READ, 200)},
    "analytics_compliance_coverage": {"GET": (Scope.ANALYTICS_READ, 200)},
    # HR Admin only: a service account is never one (tests/api/test_analytics.py: HR Admin 200)
    "analytics_gender_pay_gap": {"GET": (Scope.ANALYTICS_READ, 403)},
    "analytics_eeo1": {"GET": (Scope.ANALYTICS_READ, 403)},
}
# Not scoped: public schema and reference page; the catch-all answers 404 problems.
PUBLIC = {"schema": 200, "docs": 200, "not_found": 404}

# A personal token with every scope, per role, GET of the report's record: the gate decides.
ROLE_ANSWERS = {"employee": 404, "manager": 200, "hr_staff": 200, "payroll_admin": 200}


def _routes():
    resolver = get_resolver("api.urls_v1")
    return {p.name: str(p.pattern) for p in resolver.url_patterns if isinstance(p, URLPattern)}


def _path(route: str, pk: int) -> str:
    return "/api/v1/" + route.replace("<int:pk>", str(pk))


def _call(api, method: str, path: str):
    return getattr(api, method.lower())(path)


def test_every_route_has_an_entry():
    assert set(_routes()) == set(MATRIX) | set(PUBLIC)


def test_each_endpoint_needs_a_token_and_its_scope(service_api, org):
    routes = _routes()
    observed, expected = {}, {}
    for name, methods in MATRIX.items():
        path = _path(routes[name], org.report.pk)
        for method, (needed, full) in methods.items():
            needed = {needed} if isinstance(needed, str) else set(needed)
            lacking = service_api(ALL - needed)
            observed[(name, method)] = (
                _call(_anonymous(), method, path).status_code,
                _call(lacking, method, path).status_code,
                _call(service_api(ALL), method, path).status_code)
            expected[(name, method)] = (401, 403, full)
    assert observed == expected


def _anonymous():
    from tests.api.conftest import ApiClient

    return ApiClient(None)


def test_public_routes(client):
    routes = _routes()
    for name, code in PUBLIC.items():
        path = "/api/v1/" + routes[name].replace("^.*$", "nowhere/")
        assert client.get(path).status_code == code, name


def test_personal_tokens_keep_the_persons_rights(personal_api, org, hr_staff, payroll_admin):
    users = {"employee": org.users["other"], "manager": org.users["manager"],
             "hr_staff": hr_staff, "payroll_admin": payroll_admin}
    observed = {role: personal_api(user).get(f"/api/v1/employees/{org.report.pk}/").status_code
                for role, user in users.items()}
    assert observed == ROLE_ANSWERS


def test_a_scope_does_not_widen_a_person(personal_api, org):
    # given: a manager's token with compensation:read (they have no pay grant)
    api = personal_api(org.users["manager"], [Scope.EMPLOYEES_READ, Scope.COMPENSATION_READ])
    # when / then: the report's pay history is refused, and pay is absent from the record
    assert api.get(f"/api/v1/employees/{org.report.pk}/compensation/").status_code == 403
    body = api.get(f"/api/v1/employees/{org.report.pk}/").json()
    assert "compensation" not in body and "bank_accounts" not in body
    # and someone outside their tree is not found at all
    stranger = EmployeeFactory()
    assert api.get(f"/api/v1/employees/{stranger.pk}/").status_code == 404
