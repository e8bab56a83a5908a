"""The compliance dashboard lists each expiring cell once (issue 13: its 30/60/90-day tables
repeated the same rows, 9,600 px tall): one table of the widest window, with the count and
export of every window."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.services.records import RecordData, record_add
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementRuleFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_a_cell_expiring_soon_is_listed_once_and_counted_in_every_window(client, hr_admin):
    # given one verified record that expires in 10 days
    rtype = RequirementRuleFactory().requirement_type
    person = EmployeeFactory(legal_first_name="Onceonly", legal_last_name="Listed")
    today = timezone.localdate()
    record_add(acting_user=hr_admin, employee=person, requirement_type=rtype,
               data=RecordData(completed_on=today, expires_on=today + timedelta(days=10)),
               verify=True)
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    # when HR opens the dashboard
    page = client.get(reverse("compliance:dashboard")).content.decode()
    # then the person is in one row, and each window says it holds one cell
    assert page.count("Onceonly Listed") == 1
    for days in (30, 60, 90):
        assert f"within {days} days: 1" in page
        assert f"?format=csv&days={days}" in page
