from datetime import date

import pytest

from accounts.roles import Role
from payroll.services.periods import periods_generate
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Payslip PDFs go to a throwaway storage per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"


@pytest.fixture
def second_payroll_admin(db):
    return UserFactory(email="payroll2@example.test", roles=[Role.PAYROLL_ADMIN])


@pytest.fixture
def uk_schedule(db, payroll_admin):
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    return schedule
