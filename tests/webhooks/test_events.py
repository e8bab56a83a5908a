"""Issue 17 item 5: events are recorded by the services that make the change, in their
transaction (a rolled-back change sends nothing), once per change; termination on the
effective date; compensation.changed only to subscriptions with that scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from compliance.services.records import RecordData, record_add
from compliance.services.reminders import reminders_run
from delivery.models import DeliveryItem
from employees.models import ChangeReason, Employee
from employees.services.bulk_hire import Hire, employees_bulk_create
from employees.services.core import (
    JobData,
    PayData,
    employee_change_status,
    employee_create,
    job_record_add,
)
from employees.services.personal import employee_update_personal
from lifecycle.services.flows import OffboardData, leavers_terminate_due, offboarding_start
from payroll.services.runs import finalise_in_transaction
from tests.factories import DepartmentFactory, JobTitleFactory, LocationFactory, PayScheduleFactory
from tests.factories.compliance import RequirementRuleFactory
from tests.factories.employees_directory import job_like, salary
from tests.factories.payroll_outputs import finalised_run
from tests.factories.timeoff import LeavePolicyFactory, leave_type
from timeoff.services.ledger import entry_post
from timeoff.services.requests import Dates, request_approve, request_create
from webhooks.events import KIND
from webhooks.models import WebhookDelivery
from webhooks.services import subscription_create, subscription_set_active

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribe(hr_admin, dns):
    dns["hooks.example.com"] = "93.184.216.34"

    def make(*events, name="IdP", sees_compensation=False):
        return subscription_create(acting_user=hr_admin, name=name,
                                   url="https://hooks.example.com/hook", events=list(events),
                                   sees_compensation=sees_compensation)[0]
    return make


def _types():
    return sorted(WebhookDelivery.objects.values_list("event_type", flat=True))


def _hire(hr_admin, number="W1"):
    job = JobData(job_title=JobTitleFactory(), department=DepartmentFactory(),
                  location=LocationFactory())
    pay = PayData(basis="salary", currency="GBP", annual_salary=Decimal("41000.00"),
                  pay_schedule=PayScheduleFactory())
    return employee_create(acting_user=hr_admin, employee_number=number, legal_first_name="Ann",
                           legal_last_name="Lee", hire_date=date(2026, 3, 2), work_country="GB",
                           job=job, pay=pay, status=Employee.Status.ACTIVE,
                           national_id_last4="1234")


def test_a_hire_is_one_event_with_an_outbox_item_and_no_national_id(hr_admin, subscribe):
    subscribe("employee.hired", "job.changed", "compensation.changed", sees_compensation=True)
    subscribe("payroll.run.finalised", name="Finance")  # not interested
    employee = _hire(hr_admin)
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.event_type == "employee.hired"
    assert delivery.body["data"]["employee_number"] == "W1"
    assert delivery.body["data"]["id"] == employee.pk
    assert "1234" not in str(delivery.body) and "national" not in str(delivery.body)
    item = DeliveryItem.objects.get(key=delivery.item_key)
    assert (item.kind, item.payload) == (KIND, {"delivery": delivery.pk})


def test_a_rolled_back_change_sends_nothing(hr_admin, subscribe):
    subscribe("employee.hired")
    with pytest.raises(RuntimeError), transaction.atomic():
        _hire(hr_admin)
        raise RuntimeError("the rest of the request failed")
    assert not WebhookDelivery.objects.exists()
    assert not DeliveryItem.objects.filter(kind=KIND).exists()


def test_a_paused_subscription_gets_nothing(hr_admin, subscribe):
    subscription = subscribe("employee.hired")
    subscription_set_active(acting_user=hr_admin, subscription=subscription, active=False)
    _hire(hr_admin)
    assert not WebhookDelivery.objects.exists()


def test_compensation_changed_goes_only_to_the_subscription_with_that_scope(hr_admin, subscribe,
                                                                             org):
    allowed = subscribe("compensation.changed", "job.changed", name="Finance",
                        sees_compensation=True)
    subscribe("compensation.changed", "job.changed", name="IdP")
    salary(org.report, "50000.00", on=date(2027, 1, 1), reason=ChangeReason.MERIT_INCREASE,
           acting_user=hr_admin)
    [delivery] = WebhookDelivery.objects.filter(event_type="compensation.changed")
    assert delivery.subscription == allowed
    assert delivery.body["data"]["annual_salary"] == "50000.00"
    job_record_add(acting_user=hr_admin, employee=org.report, effective_date=date(2027, 2, 1),
                   job=job_like(org.report), reason=ChangeReason.TRANSFER)
    assert WebhookDelivery.objects.filter(event_type="job.changed").count() == 2


def test_termination_fires_on_the_effective_date_not_when_scheduled(hr_admin, hr_staff,
                                                                     subscribe, org):
    subscribe("employee.terminated")
    offboarding_start(acting_user=hr_staff, employee=org.report,
                      data=OffboardData(last_day=date(2027, 3, 31), reason="resignation"))
    assert leavers_terminate_due(today=date(2027, 3, 31)) == 0
    assert not WebhookDelivery.objects.exists()  # scheduled, still employed
    assert leavers_terminate_due(today=date(2027, 4, 1)) == 1
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.event_type == "employee.terminated"
    assert delivery.body["data"]["termination_date"] == "2027-03-31"
    assert leavers_terminate_due(today=date(2027, 4, 2)) == 0  # once
    assert _types() == ["employee.terminated"]


def test_finalising_a_pay_run_emits_once(payroll_admin, subscribe, org):
    subscribe("payroll.run.finalised", name="Finance")
    run = finalised_run([org.report], finalise=False)
    finalise_in_transaction(run=run, acting_user=payroll_admin, deliver=False)
    finalise_in_transaction(run=run, acting_user=payroll_admin, deliver=False)  # no-op
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.body["data"]["id"] == run.pk
    assert delivery.body["data"]["status"] == "finalised"


def test_an_approved_leave_request_emits_leave_approved(subscribe, org):
    subscribe("leave.approved")
    holiday = leave_type("holiday")
    LeavePolicyFactory(leave_type=holiday, annual_amount=Decimal("25"))
    entry_post(employee=org.report, leave_type=holiday, kind="opening", amount=Decimal("10"),
               effective_date=date(2026, 1, 1), reason="opening")
    request = request_create(employee=org.report, leave_type=holiday,
                             dates=Dates(date(2026, 6, 1), date(2026, 6, 2)),
                             acting_user=org.users["employee"])
    assert not WebhookDelivery.objects.exists()  # asked, not approved
    request_approve(request=request, acting_user=org.users["manager"])
    request_approve(request=request, acting_user=org.users["manager"])  # a double click
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.body["data"]["employee_id"] == org.report.pk
    assert delivery.body["data"]["first_day"] == "2026-06-01"
    assert "note" not in delivery.body["data"]


def test_the_compliance_reminder_job_emits_expiring_once_per_stage(subscribe, org, hr_admin):
    subscribe("compliance.record.expiring")
    rtype = RequirementRuleFactory(requirement_type__name="Forklift licence").requirement_type
    today = timezone.localdate()
    record = record_add(acting_user=hr_admin, employee=org.report, requirement_type=rtype,
                        verify=True, data=RecordData(completed_on=today - timedelta(days=300),
                                                     expires_on=today + timedelta(days=45),
                                                     document_number="LIC-998877"))
    reminders_run(today=today)
    reminders_run(today=today)
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.body["data"]["id"] == record.pk
    assert delivery.body["data"]["stage"] == "60"
    assert "LIC-998877" not in str(delivery.body)


def test_a_bulk_import_emits_one_hired_event_per_person(hr_admin, subscribe):
    subscribe("employee.hired")
    job = JobData(job_title=JobTitleFactory(), department=DepartmentFactory(),
                  location=LocationFactory())
    pay = PayData(basis="salary", currency="GBP", annual_salary=Decimal("41000.00"),
                  pay_schedule=PayScheduleFactory())
    hires = [Hire(employee_number=f"B{n}", legal_first_name="Bo", legal_last_name=f"N{n}",
                  work_email=f"b{n}@acme.test",
                  hire_date=date(2026, 3, 2), work_country="GB", job=job, pay=pay)
             for n in range(3)]
    employees_bulk_create(acting_user=hr_admin, hires=hires, batch=2)
    numbers = sorted(d.body["data"]["employee_number"] for d in WebhookDelivery.objects.all())
    assert numbers == ["B0", "B1", "B2"]
    assert len({d.event_id for d in WebhookDelivery.objects.all()}) == 3
    assert DeliveryItem.objects.filter(kind=KIND).count() == 3


def test_personal_and_status_changes_emit_employee_updated_with_field_names(hr_admin,
                                                                            subscribe, org):
    subscribe("employee.updated", "employee.terminated")
    employee = org.report
    employee_update_personal(acting_user=hr_admin, employee=employee, version=employee.version,
                             data={"city": "Secretville",
                                   "preferred_name": employee.preferred_name})
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.body["data"]["changed"] == ["city"]
    assert "Secretville" not in str(delivery.body)  # names of fields, not personal values
    employee_change_status(acting_user=hr_admin, employee=employee,
                           to_status=Employee.Status.ON_LEAVE)
    assert _types() == ["employee.updated", "employee.updated"]
