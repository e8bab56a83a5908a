from datetime import date
from decimal import Decimal

import pytest

from tests.factories.timeoff import LeavePolicyFactory, leave_type
from timeoff.models import LeaveType
from timeoff.services.ledger import entry_post
from timeoff.standard import standard_types_ensure


@pytest.fixture(autouse=True)
def _standard_types(request):
    """The data migration's leave types, again: a transactional test's flush removes them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    standard_types_ensure(LeaveType)


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
