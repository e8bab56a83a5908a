"""Issue 13 item 7: the pay timeline shows the % change of each step."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from employees.directory import compensation_timeline
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_each_step_shows_its_change_from_the_one_before(hr_admin, client):
    # given: 40,000 -> 42,000 (+5.0%) -> 41,160 (-2.0%) -> hourly 25.00 (not comparable)
    person = EmployeeFactory(hire_date=date(2024, 1, 8))
    schedule = CompensationRecordFactory(employee=person, annual_salary=Decimal("40000.00"))
    for day, salary in ((date(2025, 1, 1), "42000.00"), (date(2025, 6, 1), "41160.00")):
        CompensationRecordFactory(employee=person, effective_date=day, reason="merit_increase",
                                  annual_salary=Decimal(salary),
                                  pay_schedule=schedule.pay_schedule)
    CompensationRecordFactory(employee=person, effective_date=date(2026, 1, 1),
                              reason="merit_increase", basis="hourly", annual_salary=None,
                              hourly_rate=Decimal("25.00"), pay_schedule=schedule.pay_schedule)
    # when
    steps = [r.change_pct for r in compensation_timeline(person)]
    # then: newest first
    assert steps == [None, Decimal("-2.0"), Decimal("5.0"), None]
    from tests.mfa import enrol_totp

    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    body = client.get(reverse("employees:compensation", args=[person.pk])).content.decode()
    assert "+5.0%" in body and "-2.0%" in body
