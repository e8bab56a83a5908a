"""Factories for pay runs: schedules with periods, components, employees on a schedule."""

from datetime import date
from decimal import Decimal

import factory

from payroll.models import PayComponent, PaySchedule, TaxProfile
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.factories.employees_records import BankAccountFactory, UsBankAccountFactory


class UKMonthlyScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaySchedule
        django_get_or_create = ("name",)

    name = "UK monthly (runs)"
    frequency = "monthly"
    country = "GB"
    currency = "GBP"
    first_period_start = date(2025, 4, 1)


class USBiweeklyScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaySchedule
        django_get_or_create = ("name",)

    name = "US biweekly (runs)"
    frequency = "biweekly"
    country = "US"
    currency = "USD"
    first_period_start = date(2025, 12, 27)


class PayComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayComponent
        django_get_or_create = ("code",)

    code = "BONUS"
    name = "Bonus"
    kind = "earning"
    calculation = "fixed"


def paid_employee(schedule, *, salary="36000.00", hire=date(2024, 1, 8), tax=True, bank=True,
                  **kwargs):
    """An employee on `schedule` with a salary and (by default) tax details and a bank account."""
    employee = EmployeeFactory(hire_date=hire, **kwargs)
    if bank:
        factory_class = BankAccountFactory if schedule.jurisdiction == "UK" else (
            UsBankAccountFactory)
        factory_class(employee=employee)
    CompensationRecordFactory(employee=employee, annual_salary=Decimal(salary),
                              currency=schedule.currency, pay_schedule=schedule)
    if tax:
        if schedule.jurisdiction == "UK":
            TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                                      ni_category="A")
        else:
            TaxProfile.objects.create(employee=employee, jurisdiction="US")
    return employee
