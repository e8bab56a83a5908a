"""Auto-enrolment rules, hand-computed. Thresholds: DWP 2026/27 review (frozen: trigger 10,000,
band 6,240-50,270) and TPR's per-period table (monthly 520 / 833 / 4,189; weekly 120 / 192 /
967). State pension age: Pensions Act 2014 s.26."""

from datetime import date
from decimal import Decimal

import pytest

from payroll.engine.statutory.auto_enrolment import qualifying_earnings
from pensions import rules

D = Decimal
APRIL = dict(start=date(2026, 4, 1), end=date(2026, 4, 30), frequency="monthly")
WEEK = dict(start=date(2026, 4, 6), end=date(2026, 4, 12), frequency="weekly")


def cat(dob, earnings, **period):
    return rules.categorise(dob=dob, earnings=D(earnings), **(period or APRIL))


@pytest.mark.parametrize(("earnings", "expected"), [
    ("833.00", "non_eligible"),  # exactly the monthly trigger is not "more than" it
    ("833.01", "eligible"),
    ("520.00", "entitled"),  # exactly the lower limit: not more than it
    ("520.01", "non_eligible"),
])
def test_monthly_boundaries(earnings, expected):
    assert cat(date(1990, 1, 1), earnings)[0] == expected


@pytest.mark.parametrize(("earnings", "expected"), [
    ("192.00", "non_eligible"), ("192.01", "eligible"), ("120.00", "entitled"),
])
def test_weekly_boundaries(earnings, expected):
    assert cat(date(1990, 1, 1), earnings, **WEEK)[0] == expected


def test_22nd_birthday_in_the_period_enrols_from_the_birthday():
    category, on, age = cat(date(2004, 4, 15), "2000.00")
    assert (category, on, age) == ("eligible", date(2026, 4, 15), 22)
    # the day after the period: still 21 for the whole of April -> non-eligible
    assert cat(date(2004, 5, 1), "2000.00")[0] == "non_eligible"


def test_state_pension_age_table():
    assert rules.state_pension_age_date(date(1959, 7, 1)) == date(2025, 7, 1)  # 66
    assert rules.state_pension_age_date(date(1960, 4, 6)) == date(2026, 5, 6)  # 66y 1m
    assert rules.state_pension_age_date(date(1960, 5, 6)) == date(2026, 7, 6)  # 66y 2m
    assert rules.state_pension_age_date(date(1961, 3, 5)) == date(2028, 2, 5)  # 66y 11m
    assert rules.state_pension_age_date(date(1961, 3, 6)) == date(2028, 3, 6)  # 67


def test_at_state_pension_age_a_high_earner_is_non_eligible():
    # born 1 Jan 1960: SPA 66 on 1 Jan 2026, before April 2026
    assert cat(date(1960, 1, 1), "3000.00")[0] == "non_eligible"
    # born 6 May 1960: SPA 6 July 2026, still below it in April -> eligible
    assert cat(date(1960, 5, 6), "3000.00")[0] == "eligible"


def test_age_limits():
    assert cat(date(2010, 6, 1), "3000.00")[0] == "outside"  # 15
    assert cat(date(2010, 3, 1), "3000.00")[0] == "non_eligible"  # 16, under 22
    assert cat(date(1951, 3, 1), "3000.00")[0] == "outside"  # 75
    assert cat(date(1951, 6, 1), "100.00")[0] == "entitled"  # 74


def test_qualifying_earnings_per_period():
    assert qualifying_earnings(D("2000.00"), "monthly") == D("1480.00")  # 2000 - 520
    assert qualifying_earnings(D("5000.00"), "monthly") == D("3669.00")  # 4189 - 520
    assert qualifying_earnings(D("400.00"), "monthly") == D("0.00")
    assert qualifying_earnings(D("500.00"), "weekly") == D("380.00")  # 500 - 120
    assert qualifying_earnings(D("1000.00"), "weekly") == D("847.00")  # 967 - 120


def test_windows():
    assert rules.opt_out_deadline(date(2026, 4, 1), date(2026, 4, 20)) == date(2026, 5, 20)
    assert rules.reenrolment_window(date(2023, 6, 1)) == (date(2026, 3, 1), date(2026, 9, 1))
