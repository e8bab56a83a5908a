import pytest

from tests.factories.payroll_runs import paid_employee


@pytest.fixture
def uk_staff(uk_schedule):
    return [paid_employee(uk_schedule), paid_employee(uk_schedule, salary="60000.00")]
