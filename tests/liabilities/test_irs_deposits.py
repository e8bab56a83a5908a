"""US deposit schedules (IRS Pub 15 section 11), hand-checked against a 2026 calendar."""

from datetime import date
from decimal import Decimal as D

import holidays

from liabilities.irs_deposits import MONTHLY, SEMIWEEKLY, PaydayTaxes, deposits, schedule_for

DC = holidays.country_holidays("US", subdiv="DC", years=[2026, 2027])


def _due(pay_date: date, schedule: str, amount: str = "1000.00") -> date:
    [deposit] = deposits([PaydayTaxes(pay_date, income_tax=D(amount))],
                         {pay_date.year: schedule}, DC)
    return deposit.due


def test_lookback_rule_50000_or_less_is_monthly_and_a_new_employer_too():
    assert schedule_for(D("50000.00")) == MONTHLY
    assert schedule_for(D("50000.01")) == SEMIWEEKLY
    assert schedule_for(None) == MONTHLY


def test_monthly_deposits_are_due_the_15th_moved_past_a_weekend():
    assert _due(date(2026, 11, 6), MONTHLY) == date(2026, 12, 15)
    # 15 Nov 2026 is a Sunday: October's taxes are due Monday 16 Nov
    assert _due(date(2026, 10, 30), MONTHLY) == date(2026, 11, 16)


def test_monthly_deposit_sums_the_months_paydays():
    found = deposits([PaydayTaxes(date(2026, 11, 6), D("100.00"), D("20.00"), D("5.00")),
                      PaydayTaxes(date(2026, 11, 20), D("100.00"))], {2026: MONTHLY}, DC)
    assert [(d.start, d.end, d.total) for d in found] == [
        (date(2026, 11, 1), date(2026, 11, 30), D("225.00"))]


def test_semiweekly_wednesday_to_friday_paydays_are_due_the_next_wednesday():
    assert _due(date(2026, 12, 16), SEMIWEEKLY) == date(2026, 12, 23)
    # Friday 6 Nov: Wednesday 11 Nov is Veterans Day, so Thursday 12 Nov
    assert _due(date(2026, 11, 6), SEMIWEEKLY) == date(2026, 11, 12)


def test_semiweekly_saturday_to_tuesday_paydays_are_due_the_next_friday():
    assert _due(date(2026, 11, 17), SEMIWEEKLY) == date(2026, 11, 20)
    # Tuesday 10 Nov: Veterans Day (Wednesday 11th) is one of the three business days after
    # the period, so one more day: Monday 16 Nov (Pub 15: "an additional business day")
    assert _due(date(2026, 11, 10), SEMIWEEKLY) == date(2026, 11, 16)
    # a Saturday payday counts as Saturday - Tuesday too
    assert _due(date(2026, 11, 14), SEMIWEEKLY) == date(2026, 11, 20)


def test_a_semiweekly_period_crossing_the_quarter_is_two_deposits():
    found = deposits([PaydayTaxes(date(2026, 9, 30), D("10.00")),
                      PaydayTaxes(date(2026, 10, 1), D("20.00"))], {2026: SEMIWEEKLY}, DC)
    assert [(d.end, d.total) for d in found] == [(date(2026, 9, 30), D("10.00")),
                                                 (date(2026, 10, 2), D("20.00"))]
    assert {d.due for d in found} == {date(2026, 10, 7)}


def test_100000_on_a_day_is_due_the_next_business_day_and_flagged():
    [deposit] = deposits([PaydayTaxes(date(2026, 11, 25), D("100000.00"))], {2026: MONTHLY}, DC)
    # Wednesday 25 Nov; Thursday 26 Nov is Thanksgiving: Friday 27 Nov
    assert deposit.next_day_rule and deposit.due == date(2026, 11, 27)


def test_after_the_100000_rule_a_monthly_depositor_is_semiweekly():
    found = deposits([PaydayTaxes(date(2026, 11, 6), D("100000.00")),
                      PaydayTaxes(date(2026, 11, 20), D("10.00")),
                      PaydayTaxes(date(2027, 2, 5), D("10.00"))], {2026: MONTHLY, 2027: MONTHLY},
                     DC)
    assert [d.schedule for d in found] == [MONTHLY, SEMIWEEKLY, SEMIWEEKLY]
    # Friday 20 Nov 2026 -> Wednesday 25 Nov; Friday 5 Feb 2027 -> Wednesday 10 Feb
    assert [d.due for d in found[1:]] == [date(2026, 11, 25), date(2027, 2, 10)]
