"""Due-date arithmetic: calendar and business days, negative offsets, weekend rolling."""

from datetime import date

import pytest

from lifecycle.dates import add_business_days, due_date

MON = date(2026, 3, 2)  # a Monday
FRI = date(2026, 3, 6)
SAT = date(2026, 3, 7)
SUN = date(2026, 3, 8)
NEXT_MON = date(2026, 3, 9)


@pytest.mark.parametrize(("anchor", "offset", "expected"), [
    (MON, 0, MON),
    (MON, 5, SAT),  # calendar days land on a Saturday
    (MON, -5, date(2026, 2, 25)),
    (MON, 30, date(2026, 4, 1)),
])
def test_calendar_days(anchor, offset, expected):
    assert due_date(anchor, offset) == expected


@pytest.mark.parametrize(("anchor", "offset", "expected"), [
    (MON, 4, FRI),
    (MON, 5, NEXT_MON),  # skips the weekend
    (MON, -1, date(2026, 2, 27)),  # Friday before
    (MON, -5, date(2026, 2, 23)),  # one working week back
    (FRI, 1, NEXT_MON),
    (SAT, 1, NEXT_MON),  # from a weekend anchor, the next working day
    (SUN, -1, FRI),
    (SAT, 0, SAT),  # offset 0 is the anchor itself
])
def test_business_days(anchor, offset, expected):
    assert add_business_days(anchor, offset) == expected
    assert due_date(anchor, offset, business_days=True) == expected


def test_weekend_rolls_forward_to_monday():
    # given a due date on Saturday (Mon + 5 calendar days)
    # when rolling is on
    # then it moves to the next Monday
    assert due_date(MON, 5, roll_weekend=True) == NEXT_MON
    assert due_date(MON, 6, roll_weekend=True) == NEXT_MON


def test_negative_offset_landing_on_weekend_rolls_forward():
    # -2 from Monday is Saturday; rolled forward it becomes the anchor Monday itself
    assert due_date(MON, -2) == date(2026, 2, 28)
    assert due_date(MON, -2, roll_weekend=True) == MON


def test_weekday_is_not_rolled():
    assert due_date(MON, 3, roll_weekend=True) == date(2026, 3, 5)


def test_business_days_with_roll_on_weekend_anchor():
    assert due_date(SAT, 0, business_days=True, roll_weekend=True) == NEXT_MON


# Public holidays: 2026-12-25 (Fri) and 2026-12-28 (Mon, the substitute for Boxing Day) in
# England; 2026-07-03 (Fri, Independence Day observed) in the US.
XMAS_ENG = frozenset({date(2026, 12, 25), date(2026, 12, 28)})


def test_business_days_skip_public_holidays():
    # Thu 24 Dec + 1 working day: not Fri 25 (holiday), not the weekend, not Mon 28 (holiday)
    assert add_business_days(date(2026, 12, 24), 1, XMAS_ENG) == date(2026, 12, 29)
    # backwards over the same days
    assert add_business_days(date(2026, 12, 29), -1, XMAS_ENG) == date(2026, 12, 24)
    # without a calendar only the weekend is skipped
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 25)


def test_roll_moves_past_weekend_and_holidays_together():
    assert due_date(date(2026, 12, 24), 1, roll_weekend=True, public=XMAS_ENG) == date(2026, 12, 29)
    assert due_date(date(2026, 12, 24), 0, roll_weekend=True, public=XMAS_ENG) == date(2026, 12, 24)


def test_calendar_days_are_not_moved_by_holidays_unless_rolled():
    assert due_date(date(2026, 12, 24), 1, public=XMAS_ENG) == date(2026, 12, 25)
