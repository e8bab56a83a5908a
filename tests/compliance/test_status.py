"""The one status function, at its boundaries, and rule matching."""

from datetime import date, timedelta

import pytest

from compliance.models import RequirementRule
from compliance.selectors import rule_matches
from compliance.status import (
    RecordFacts,
    Status,
    add_months,
    compute_status,
    reminder_stage,
)
from employees.models import Employee

TODAY = date(2026, 6, 15)


def status_for(valid_until, *, verified=True, window=30):
    return compute_status(RecordFacts(verified=verified, valid_until=valid_until),
                          today=TODAY, window_days=window)


def test_expires_today_is_still_valid_and_expiring_soon():
    # Valid THROUGH the expiry date.
    assert status_for(TODAY) is Status.EXPIRING_SOON


def test_expires_tomorrow_is_expiring_soon():
    assert status_for(TODAY + timedelta(days=1)) is Status.EXPIRING_SOON


def test_expired_yesterday_is_expired():
    assert status_for(TODAY - timedelta(days=1)) is Status.EXPIRED


def test_window_edge():
    assert status_for(TODAY + timedelta(days=30)) is Status.EXPIRING_SOON
    assert status_for(TODAY + timedelta(days=31)) is Status.COMPLIANT
    assert status_for(TODAY + timedelta(days=31), window=60) is Status.EXPIRING_SOON


def test_no_expiry_is_compliant_missing_and_pending():
    assert status_for(None) is Status.COMPLIANT
    assert compute_status(None, today=TODAY, window_days=30) is Status.MISSING
    assert status_for(TODAY - timedelta(days=400), verified=False) is Status.PENDING


@pytest.mark.parametrize(("days_left", "stage"), [
    (61, None), (60, "60"), (31, "60"), (30, "30"), (8, "30"), (7, "7"), (0, "7"),
    (-1, "expired"),
])
def test_reminder_stage_is_most_urgent_due(days_left, stage):
    assert reminder_stage(TODAY + timedelta(days=days_left), today=TODAY,
                          offsets=(60, 30, 7)) == stage


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 12) == date(2027, 11, 15)


def _employee(**kw):
    base = {"department_id": 1, "location_id": 2, "job_title_id": 3,
            "employment_type": "full_time", "work_country": "US"}
    return Employee(**{**base, **kw})


@pytest.mark.parametrize(("rule", "matches", "other"), [
    ({"scope": "everyone"}, {}, None),
    ({"scope": "department", "department_id": 1}, {}, {"department_id": 9}),
    ({"scope": "location", "location_id": 2}, {}, {"location_id": 9}),
    ({"scope": "job_title", "job_title_id": 3}, {}, {"job_title_id": 9}),
    ({"scope": "employment_type", "employment_type": "full_time"}, {},
     {"employment_type": "contractor"}),
    ({"scope": "country", "country": "us"}, {}, {"work_country": "GB"}),
])
def test_rule_matching(rule, matches, other):
    r = RequirementRule(**rule)
    assert rule_matches(r, _employee(**matches))
    if other is not None:
        assert not rule_matches(r, _employee(**other))
