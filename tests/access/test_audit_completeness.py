"""Complete audit (issue 12): before/after for every field of recurring pay items, tax profiles
and run inputs, the old value kept when one is replaced."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from payroll.models import EmployeePayItem, PayComponent, TaxProfile
from payroll.services.inputs import run_input_set
from payroll.services.runs import run_create
from payroll.services.setup import pay_item_delete, pay_item_save, tax_profile_save
from tests.factories.payroll_runs import paid_employee

pytestmark = pytest.mark.django_db


def _last(object_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(object_type=object_type).latest("id")


def test_tax_profile_change_records_each_field_before_and_after(payroll_admin, uk_schedule):
    # given: 1257L, category A
    person = paid_employee(uk_schedule)
    profile = TaxProfile.objects.get(employee=person)
    # when: the code and W1/M1 change (loaded fresh, as the form does)
    edited = TaxProfile.objects.get(pk=profile.pk)
    edited.tax_code, edited.week1_month1 = "K475", True
    tax_profile_save(profile=edited, acting_user=payroll_admin)
    # then
    event = _last("payroll.taxprofile")
    assert event.changes == {"tax_code": ["1257L", "K475"], "week1_month1": [False, True]}
    assert event.employee_id == person.pk


def test_recurring_item_create_update_delete_keep_every_value(payroll_admin, uk_schedule):
    # given
    person = paid_employee(uk_schedule)
    pension = PayComponent.objects.create(code="PENSION", name="Pension",
                                          kind="pre_tax_deduction", calculation="fixed")
    item = pay_item_save(item=EmployeePayItem(employee=person, component=pension,
                                              amount=Decimal("100.00"),
                                              effective_from=date(2025, 4, 6)),
                         acting_user=payroll_admin)
    created = _last("payroll.employeepayitem")
    assert created.changes["amount"] == [None, "100.00"]
    assert created.changes["effective_from"] == [None, "2025-04-06"]
    # when
    edited = EmployeePayItem.objects.get(pk=item.pk)
    edited.amount = Decimal("150.00")
    pay_item_save(item=edited, acting_user=payroll_admin)
    # then
    assert _last("payroll.employeepayitem").changes == {"amount": ["100.00", "150.00"]}
    # when
    pay_item_delete(item=edited, acting_user=payroll_admin)
    # then
    deleted = _last("payroll.employeepayitem")
    assert deleted.action == "delete" and deleted.changes["amount"] == ["150.00", None]


def test_replacing_a_run_input_keeps_the_old_value(payroll_admin, uk_schedule):
    # given
    person = paid_employee(uk_schedule)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning",
                                        calculation="fixed")
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    first = run_input_set(run=run, employee=person, component=bonus, acting_user=payroll_admin,
                          amount=Decimal("500"))
    # when: that input is changed (the grid's row edit)
    run_input_set(run=run, employee=person, component=bonus, acting_user=payroll_admin,
                  amount=Decimal("750"), run_input=first)
    # then
    assert _last("payroll.payrun").changes == {"BONUS.amount": ["500.00", "750.00"]}
    # when: emptied
    run_input_set(run=run, employee=person, component=bonus, acting_user=payroll_admin,
                  run_input=first)
    # then
    removed = _last("payroll.payrun")
    assert removed.action == "delete" and removed.changes["BONUS.amount"] == ["750.00", None]
