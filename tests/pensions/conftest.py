from datetime import date
from decimal import Decimal

import pytest

from pensions.models import PensionScheme
from pensions.services.schemes import scheme_save
from tests.factories.payroll_runs import paid_employee


@pytest.fixture
def scheme(uk_schedule, payroll_admin):
    scheme = PensionScheme(name="Acme workplace pension", provider_name="Example Trust",
                           scheme_reference="SCH-1", employer_reference="EMP-9",
                           duties_start_date=date(2023, 6, 1), employee_percent=Decimal("5"),
                           employer_percent=Decimal("3"))
    return scheme_save(scheme=scheme, acting_user=payroll_admin, schedules=[uk_schedule])


@pytest.fixture
def worker(uk_schedule):
    """24,000 a year: 2,000.00 a month, born 1990 (eligible jobholder)."""
    return paid_employee(uk_schedule, salary="24000.00", date_of_birth=date(1990, 1, 1),
                         hire=date(2024, 1, 8))
