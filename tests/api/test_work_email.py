"""Issue 17 leftovers: the work email is changed on the Personal tab and through the API by HR
(the same form and service), a duplicate is a field error, and each change is employee.updated."""

import pytest

from tests.api.conftest import ApiClient
from tests.factories.employees import EmployeeFactory
from webhooks.models import WebhookDelivery
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribe(hr_admin):
    # A global address literal: no DNS needed, and the SSRF check lets it through.
    subscription_create(acting_user=hr_admin, name="IdP", events=["employee.updated"],
                        url="https://93.184.216.34/hook")


def _bodies() -> list[dict]:
    return [d.body for d in WebhookDelivery.objects.order_by("pk")]


def test_the_personal_tab_and_the_api_change_the_work_email(hr_admin, client_for, subscribe,
                                                            org, service_api):
    employee = org.report
    EmployeeFactory(work_email="taken@acme.test")
    # the Personal tab: a duplicate is a form error (400), not a server error
    page = client_for(hr_admin)
    form = {name: getattr(employee, name) or "" for name in (
        "legal_first_name", "legal_last_name", "preferred_name", "personal_email", "phone",
        "address_line1", "address_line2", "city", "region", "postal_code", "country")}
    answer = page.post(f"/employees/{employee.pk}/personal/", {
        **form, "work_email": "TAKEN@acme.test", "version": employee.version})
    assert answer.status_code == 400
    assert "Another employee has this work email." in answer.content.decode()
    answer = page.post(f"/employees/{employee.pk}/personal/", {
        **form, "work_email": "report@acme.test", "version": employee.version})
    assert answer.status_code == 302
    employee.refresh_from_db()
    assert employee.work_email == "report@acme.test"
    # the API: PATCH work_email, empty means none
    api = service_api()
    patched = api.patch(f"/api/v1/employees/{employee.pk}/", {
        "work_email": "", "version": employee.version})
    assert patched.status_code == 200, patched.content
    assert patched.json()["work_email"] is None
    refused = api.patch(f"/api/v1/employees/{employee.pk}/", {
        "work_email": "taken@acme.test", "version": patched.json()["version"]})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "work_email",
                                         "message": "Another employee has this work email."}]
    assert [b["data"]["changed"] for b in _bodies()] == [["work_email"], ["work_email"]]


def test_the_employee_cannot_change_their_own_work_email_through_the_api(personal_api, org):
    me = org.report
    api: ApiClient = personal_api(org.users["employee"])
    answer = api.patch(f"/api/v1/employees/{me.pk}/", {"work_email": "me@elsewhere.test",
                                                       "version": me.version})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "work_email"
