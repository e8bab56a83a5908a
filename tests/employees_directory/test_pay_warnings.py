"""Plausibility warnings before pay is saved: shown, confirmed, then saved; never a refusal."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from employees.models import CompensationRecord
from employees.pay_checks import pay_plausibility_warnings
from employees.selectors import compensation_as_of
from employees.services.core import PayData
from tests.factories import EmployeeFactory, PayScheduleFactory
from tests.factories.employees_directory import salary

pytestmark = pytest.mark.django_db
TODAY = date.today()


def _codes(pay, current=None) -> list[str]:
    return [w.code for w in pay_plausibility_warnings(pay=pay, current=current)]


def test_hourly_rate_far_above_the_highest_salary_is_warned():
    # given the highest GBP salary on record is 90,000
    salary(EmployeeFactory(), "90000.00")
    # when an hourly rate of 55,000 is entered (about 114 million a year)
    pay = PayData(basis="hourly", currency="GBP", hourly_rate=Decimal("55000"))
    warnings = pay_plausibility_warnings(pay=pay, current=None)
    # then it is flagged, with the figures
    assert [w.code for w in warnings] == ["hourly_far_above"]
    assert "114,400,000" in warnings[0].message and "90,000" in warnings[0].message
    # and 86.5384 an hour (179,999.87 a year, just under twice the top salary) is not
    assert _codes(PayData(basis="hourly", currency="GBP", hourly_rate=Decimal("86.5384"))) == []


def test_change_above_25_percent_is_warned_both_ways():
    current = salary(EmployeeFactory(), "40000.00")
    assert _codes(PayData(basis="salary", currency="GBP", annual_salary=Decimal("50000")),
                  current) == []  # exactly +25%
    assert _codes(PayData(basis="salary", currency="GBP", annual_salary=Decimal("50000.01")),
                  current) == ["large_change"]
    assert _codes(PayData(basis="salary", currency="GBP", annual_salary=Decimal("29000")),
                  current) == ["large_change"]


def test_currency_different_from_the_pay_schedule_is_warned():
    schedule = PayScheduleFactory()  # pays in GBP
    pay = PayData(basis="salary", currency="USD", annual_salary=Decimal("50000"),
                  pay_schedule=schedule)
    warnings = pay_plausibility_warnings(pay=pay, current=None)
    assert [w.code for w in warnings] == ["currency_differs"]
    assert "GBP" in warnings[0].message and "USD" in warnings[0].message


def test_compensation_form_warns_first_and_saves_once_confirmed(payroll_admin, login):
    # given someone on 30,000 a year
    person = EmployeeFactory()
    salary(person, "30000.00")
    client = login(payroll_admin)
    url = reverse("employees:compensation", args=[person.pk])
    form = {"pay-effective_date": TODAY.isoformat(), "pay-basis": "hourly",
            "pay-amount": "55000", "pay-currency": "GBP", "pay-reason": "correction"}
    # when GBP 55,000 per hour is submitted
    response = client.post(url, form)
    # then nothing is saved; the warnings and a "save anyway" box are shown
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-warning="hourly_far_above"' in page and 'data-warning="large_change"' in page
    assert 'type="checkbox" name="pay-confirm_warnings"' in page
    assert compensation_as_of(person, TODAY).basis == CompensationRecord.Basis.SALARY
    # when it is submitted again with the box ticked
    response = client.post(url, {**form, "pay-confirm_warnings": "on"})
    # then it is saved as entered
    assert response.status_code == 302
    assert compensation_as_of(person, TODAY).hourly_rate == Decimal("55000.0000")


def test_plausible_change_saves_without_a_confirm_step(payroll_admin, login):
    person = EmployeeFactory()
    salary(person, "30000.00")
    response = login(payroll_admin).post(
        reverse("employees:compensation", args=[person.pk]),
        {"pay-effective_date": TODAY.isoformat(), "pay-basis": "salary", "pay-amount": "32000",
         "pay-currency": "GBP", "pay-reason": "merit_increase"})
    assert response.status_code == 302
