"""Issue 17 leftovers: employee.updated for the work email (Personal tab, API) and custom fields,
through the services that change them, in their transaction (nothing sent for a change that is
refused or rolled back); and payroll/employees free of their consumers (signals)."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from customfields.services import custom_field_save, custom_values_set
from delivery.models import DeliveryItem
from employees.services.personal import employee_update_personal
from payroll.models import PayRun
from payroll.services.runs import finalise_in_transaction
from tests.factories.employees import EmployeeFactory
from tests.factories.payroll_outputs import finalised_run
from webhooks.events import KIND
from webhooks.models import WebhookDelivery
from webhooks.services import subscription_create
from yearend.models import YearEndClose

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def subscribe(hr_admin, dns):
    dns["hooks.example.com"] = "93.184.216.34"

    def make(*events):
        return subscription_create(acting_user=hr_admin, name="IdP", events=list(events),
                                   url="https://hooks.example.com/hook")[0]
    return make


def _bodies() -> list[dict]:
    return [d.body for d in WebhookDelivery.objects.order_by("pk")]


def test_a_work_email_change_emits_employee_updated_with_its_name(hr_admin, subscribe, org):
    # given a subscriber to employee.updated
    subscribe("employee.updated")
    employee = org.report
    # when HR changes the work email (the Personal tab's service)
    employee_update_personal(acting_user=hr_admin, employee=employee, version=employee.version,
                             data={"work_email": "new.address@acme.test"})
    # then one event names the field; the work email is part of the employee resource
    [body] = _bodies()
    assert body["type"] == "employee.updated"
    assert body["data"]["changed"] == ["work_email"]
    assert body["data"]["work_email"] == "new.address@acme.test"
    assert DeliveryItem.objects.filter(kind=KIND).count() == 1
    # and saving the same address again changes nothing and sends nothing
    employee.refresh_from_db()
    employee_update_personal(acting_user=hr_admin, employee=employee, version=employee.version,
                             data={"work_email": "new.address@acme.test"})
    assert len(_bodies()) == 1


def test_a_work_email_someone_else_has_is_refused_and_sends_nothing(hr_admin, subscribe, org):
    subscribe("employee.updated")
    EmployeeFactory(work_email="Taken@Acme.test")
    employee = org.report
    # when HR gives the report that address in another case
    with pytest.raises(ValidationError) as refused:
        employee_update_personal(acting_user=hr_admin, employee=employee,
                                 version=employee.version, data={"work_email": "taken@acme.test"})
    # then a field error, nothing saved, no event
    assert refused.value.message_dict == {"work_email": ["Another employee has this work email."]}
    employee.refresh_from_db()
    assert employee.work_email != "taken@acme.test"
    assert not WebhookDelivery.objects.exists()


def test_a_work_email_taken_at_the_same_moment_is_a_field_error(hr_admin, subscribe, org,
                                                                 monkeypatch):
    # given the check passes (another save of the address commits just after it)
    subscribe("employee.updated")
    EmployeeFactory(work_email="race@acme.test")
    monkeypatch.setattr("employees.services.personal._check_work_email", lambda employee: None)
    employee = org.report
    # when the UPDATE meets the unique index: a field error, not a server error
    with pytest.raises(ValidationError) as refused:
        employee_update_personal(acting_user=hr_admin, employee=employee,
                                 version=employee.version, data={"work_email": "race@acme.test"})
    assert refused.value.message_dict == {"work_email": ["Another employee has this work email."]}
    # then nothing was written, nothing sent, and the connection is still usable
    employee.refresh_from_db()
    assert employee.work_email != "race@acme.test"
    assert not WebhookDelivery.objects.exists()


@pytest.fixture
def shirt(hr_admin):
    return custom_field_save(acting_user=hr_admin, data={
        "section": "Preferences", "label": "T-shirt size", "key": "shirt", "kind": "choice",
        "choices": ["S", "M", "L"]})


def test_a_custom_field_change_emits_employee_updated_with_the_column_name(hr_admin, subscribe,
                                                                           org, shirt):
    subscribe("employee.updated")
    # when HR sets, then clears, a custom value
    custom_values_set(acting_user=hr_admin, employee=org.report, raw={"cf_shirt": "m"})
    custom_values_set(acting_user=hr_admin, employee=org.report, raw={"cf_shirt": "M"})  # same
    custom_values_set(acting_user=hr_admin, employee=org.report, raw={"cf_shirt": ""})
    # then two events (the unchanged save sends none), the column's name and never its value
    bodies = _bodies()
    assert [b["data"]["changed"] for b in bodies] == [["cf_shirt"], ["cf_shirt"]]
    assert all(b["data"]["id"] == org.report.pk for b in bodies)
    assert '"M"' not in str(bodies).replace("'", '"')


def test_a_refused_or_rolled_back_custom_value_sends_nothing(hr_admin, subscribe, org, shirt):
    subscribe("employee.updated")
    with pytest.raises(ValidationError):
        custom_values_set(acting_user=hr_admin, employee=org.report, raw={"cf_shirt": "XXL"})
    with pytest.raises(RuntimeError), transaction.atomic():
        custom_values_set(acting_user=hr_admin, employee=org.report, raw={"cf_shirt": "S"})
        raise RuntimeError("the caller's transaction fails later")
    assert not WebhookDelivery.objects.exists()
    assert not DeliveryItem.objects.filter(kind=KIND).exists()


def test_finalising_in_a_year_closed_since_the_run_was_made_is_refused(payroll_admin, org):
    # given an approved run paid 27 Nov 2026 (UK tax year 2026-27), then the year is closed
    run = finalised_run([org.report], finalise=False)
    YearEndClose.objects.create(schedule=run.schedule, tax_year="2026-27",
                                status=YearEndClose.Status.CLOSED)
    # when it is finalised: year end's receiver refuses with its message, nothing is frozen
    with pytest.raises(ValidationError, match=r"The tax year 2026-27 of .* is closed"), \
            transaction.atomic():
        finalise_in_transaction(run=run, acting_user=payroll_admin)
    run.refresh_from_db()
    assert (run.status, run.finalised_at) == (PayRun.Status.APPROVED, None)


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names}
    return found


CONSUMERS = {"webhooks", "yearend", "pensions", "liabilities", "analytics", "api", "portal",
             "timeoff", "compliance", "lifecycle", "customfields"}


def test_payroll_and_the_employee_record_import_none_of_their_consumers():
    # given the apps above (DOMAIN.md: the employee record never imports a consumer; payroll
    # tells yearend, webhooks and pensions through payroll.signals)
    payroll = {(f, m) for f, m in _imports("payroll") if m in CONSUMERS}
    employees = {(f, m) for f, m in _imports("employees") if m in CONSUMERS}
    # then neither imports one (employees -> payroll's PaySchedule is known debt, not checked)
    assert payroll == set()
    assert employees == set()
