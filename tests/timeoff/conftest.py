from datetime import date
from decimal import Decimal

import pytest

from tests.factories.timeoff import LeavePolicyFactory, leave_type
from timeoff.services.ledger import entry_post


@pytest.fixture
def holiday(db):
    return leave_type("holiday")


@pytest.fixture
def policy(holiday):
    return LeavePolicyFactory(leave_type=holiday, annual_amount=Decimal("25"))


@pytest.fixture
def funded(org, holiday, policy):
    """The report (org.report) has 10 days of holiday from 1 Jan 2026."""
    entry_post(employee=org.report, leave_type=holiday, kind="opening", amount=Decimal("10"),
               effective_date=date(2026, 1, 1), reason="opening")
    return org
