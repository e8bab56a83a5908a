from datetime import date

import pytest

from accounts.roles import Role
from payroll.services.periods import periods_generate
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Transactional tests run on a flushed database, where the role groups that a data
    migration created are gone (a flush from an earlier transactional test): put them back."""
    if not {"transactional_db", "postgres_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def second_payroll_admin(db):
    return UserFactory(email="payroll2@example.test", roles=[Role.PAYROLL_ADMIN])


@pytest.fixture
def uk_schedule(db, payroll_admin):
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    return schedule


@pytest.fixture
def uk_staff(uk_schedule):
    return [paid_employee(uk_schedule), paid_employee(uk_schedule, salary="60000.00")]
