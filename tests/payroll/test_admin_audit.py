"""Django admin edits of pay setup, run inputs and lifecycle records are audited (who, when,
field-level before/after), like every other change to pay or employee records."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from audit.models import AuditEvent
from employees.models import Employment
from lifecycle.models import LeaverNotice
from payroll.models import PaySchedule, TaxProfile
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee

pytestmark = pytest.mark.django_db


def _admin_save(obj, data: dict, user) -> None:
    """Save `obj` through its registered ModelAdmin's own form and save_model, as the change
    view does."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().post("/admin/")
    request.user = user
    form_class = model_admin.get_form(request, obj, change=True)
    current = {}
    for name in form_class.base_fields:
        value = getattr(obj, f"{name}_id", getattr(obj, name, None))
        current[name] = "" if value is None else value
    form = form_class(data={**current, **data}, instance=obj)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)


def test_changing_a_pay_schedule_in_admin_is_audited():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    schedule = UKMonthlyScheduleFactory(variance_threshold_percent=Decimal("10.00"))
    _admin_save(schedule, {"variance_threshold_percent": "25.00"}, superuser)
    assert PaySchedule.objects.get(pk=schedule.pk).variance_threshold_percent == Decimal("25.00")
    event = AuditEvent.objects.get(object_type="payroll.payschedule", action="update")
    assert event.actor_id == superuser.pk
    assert event.changes == {"variance_threshold_percent": ["10.00", "25.00"]}


def test_changing_a_tax_code_in_admin_is_audited_on_the_employees_history():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    employee = paid_employee(UKMonthlyScheduleFactory())
    profile = TaxProfile.objects.get(employee=employee, jurisdiction="UK")
    _admin_save(profile, {"tax_code": "K475"}, superuser)
    event = AuditEvent.objects.get(object_type="payroll.taxprofile", action="update")
    assert event.employee_id == employee.pk
    assert event.changes["tax_code"][1] == "K475"


def test_changing_a_leaver_notice_in_admin_is_audited(org, hr_admin):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    notice = LeaverNotice.objects.create(
        employee=org.report, employment=Employment.objects.get(employee=org.report),
        last_day=date(2027, 3, 31), reason="resignation", created_by=hr_admin)
    _admin_save(notice, {"final_pay_flag": False}, superuser)
    event = AuditEvent.objects.get(object_type="lifecycle.leavernotice", action="update")
    assert event.employee_id == org.report.pk and event.changes["final_pay_flag"] == [True, False]
