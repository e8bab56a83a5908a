"""Hand-computed examples for each entitlement rule (timeoff/entitlement.py, no database)."""

from datetime import date
from decimal import Decimal as D

from timeoff.entitlement import (
    Pattern,
    Terms,
    annual_entitlement,
    employed_fraction,
    leave_year,
    monthly_share,
    per_hour_accrual,
    request_cost,
    tenure_extra,
    uk_statutory,
    whole_years,
)

FULL = Pattern.standard(D("37.5"))
THREE_DAYS = Pattern((D("7.5"), D("7.5"), D("7.5"), D("0"), D("0"), D("0"), D("0")))
SIX_DAYS = Pattern(tuple([D("6")] * 6 + [D("0")]))


def test_uk_statutory_is_5_6_weeks_of_the_working_week():
    # gov.uk "Holiday entitlement": 5 days a week x 5.6 = 28 days; 3 days x 5.6 = 16.8 days
    assert uk_statutory(FULL, hours=False) == D("28.0")
    assert uk_statutory(THREE_DAYS, hours=False) == D("16.8")


def test_uk_statutory_is_capped_at_28_days():
    # 6 days x 5.6 = 33.6, but the statutory entitlement is capped at 28 days (WTR reg 13A(3))
    assert uk_statutory(SIX_DAYS, hours=False) == D("28")


def test_uk_statutory_in_hours():
    # 3 days of 7.5 h: 16.8 days x 7.5 h = 126 hours; 6 x 6 h: capped at 28 days x 6 h = 168 h
    assert uk_statutory(THREE_DAYS, hours=True) == D("126.00")
    assert uk_statutory(SIX_DAYS, hours=True) == D("168")


def test_uk_statutory_part_year_rounds_up():
    # joiner on 1 July 2026, leave year Jan-Dec 2026: 184 of 365 days; 28 x 184 / 365 =
    # 14.1150..., rounded UP to 14.12 (statutory leave may be rounded up, never down)
    fraction = employed_fraction(date(2026, 1, 1), date(2026, 12, 31), date(2026, 7, 1), None)
    terms = Terms(method="uk_statutory", annual_amount=D("0"))
    assert annual_entitlement(terms, pattern=FULL, fte=D("1"), fraction=fraction,
                              tenure_years=0) == D("14.12")


def test_annual_pro_rata_part_time_and_tenure_step():
    # 25 days + 2 after 5 years, FTE 0.6: 27 x 0.6 = 16.2
    terms = Terms(method="front_loaded", annual_amount=D("25"), tenure_steps=((2, "1"), (5, "2")))
    assert annual_entitlement(terms, pattern=THREE_DAYS, fte=D("0.6"), fraction=D("1"),
                              tenure_years=5) == D("16.20")
    # 4 years: the 2-year step (+1): 26 x 0.6 = 15.6
    assert annual_entitlement(terms, pattern=THREE_DAYS, fte=D("0.6"), fraction=D("1"),
                              tenure_years=4) == D("15.60")


def test_annual_without_pro_rata_ignores_fte():
    terms = Terms(method="front_loaded", annual_amount=D("25"), pro_rata=False)
    assert annual_entitlement(terms, pattern=THREE_DAYS, fte=D("0.6"), fraction=D("0.5"),
                              tenure_years=0) == D("25.00")


def test_tenure_steps_take_the_highest_reached():
    assert tenure_extra([[5, "3"], [2, "1"]], 1) == D("0")
    assert tenure_extra([[5, "3"], [2, "1"]], 2) == D("1")
    assert tenure_extra([[5, "3"], [2, "1"]], 9) == D("3")


def test_whole_years_of_service():
    assert whole_years(date(2020, 6, 15), date(2026, 6, 14)) == 5
    assert whole_years(date(2020, 6, 15), date(2026, 6, 15)) == 6


def test_irregular_hours_accrue_12_07_percent_rounded_up():
    # reg 15B: 12.07% of 100 hours worked = 12.07 h; of 37 h = 4.4659 -> 4.47 (rounded up)
    assert per_hour_accrual(D("100"), D("0.1207")) == D("12.07")
    assert per_hour_accrual(D("37"), D("0.1207")) == D("4.47")


def test_us_pto_per_hour_worked():
    # 1 hour per 30 worked (0.0333): 80 hours in a biweekly period -> 2.664 -> 2.66
    assert per_hour_accrual(D("80"), D("0.0333")) == D("2.66")


def test_monthly_accrual_is_a_twelfth_and_less_for_a_part_month():
    # 25 days a year: 2.0833 -> 2.08 a month; a joiner on 16 April (15 of 30 days): 1.04
    assert monthly_share(D("25"), date(2026, 3, 1), date(2026, 3, 31), date(2020, 1, 1),
                         None) == D("2.08")
    assert monthly_share(D("25"), date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 16),
                         None) == D("1.04")


def test_leave_year_from_april():
    assert leave_year(date(2026, 3, 31), 4) == (date(2025, 4, 1), date(2026, 3, 31))
    assert leave_year(date(2026, 4, 1), 4) == (date(2026, 4, 1), date(2027, 3, 31))


def test_request_cost_skips_weekends_and_public_holidays_and_halves():
    # Thu 2 Apr .. Tue 7 Apr 2026: Good Friday 3 Apr and Easter Monday 6 Apr are bank holidays
    holidays = {date(2026, 4, 3), date(2026, 4, 6)}
    cost = request_cost(first=date(2026, 4, 2), last=date(2026, 4, 7), pattern_on=lambda d: FULL,
                        holidays=holidays, hours_unit=False)
    assert cost == D("2")  # Thursday and Tuesday
    half = request_cost(first=date(2026, 4, 2), last=date(2026, 4, 7), pattern_on=lambda d: FULL,
                        holidays=holidays, hours_unit=False, half_day_start=True)
    assert half == D("1.5")


def test_request_cost_follows_the_pattern_and_counts_hours():
    # Mon 9 .. Sun 15 March 2026 for someone working Mon-Wed 7.5 h: 3 days, 22.5 hours
    week = {"first": date(2026, 3, 9), "last": date(2026, 3, 15), "holidays": set(),
            "pattern_on": lambda d: THREE_DAYS}
    assert request_cost(**week, hours_unit=False) == D("3")
    assert request_cost(**week, hours_unit=True) == D("22.5")
    assert request_cost(**week, hours_unit=True, half_day_end=True) == D("22.5")  # Sunday off
    one = {"first": date(2026, 3, 9), "last": date(2026, 3, 9), "holidays": set(),
           "pattern_on": lambda d: THREE_DAYS}
    assert request_cost(**one, hours_unit=True, half_day_start=True, half_day_end=True) == \
        D("3.75")
    assert request_cost(**one, hours_unit=True, hours=D("2")) == D("2")
