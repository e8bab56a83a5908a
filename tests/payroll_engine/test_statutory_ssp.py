"""SSP from 6 April 2026 (Employment Rights Act 2025), hand-computed.

HMRC / GOV.UK sources for each rule are in payroll/engine/statutory/ssp.py and awe.py: PIW of 4+
days, no waiting days, weekly rate = lower of 123.25 and 80% of AWE, daily rate = weekly /
qualifying days in the week truncated to 4 dp (the GOV.UK SSP calculator), payment rounded up
to the penny, 56-day linking, 28 weeks at most.
"""

from datetime import date, timedelta
from decimal import Decimal as D

from payroll.engine.statutory import (
    Absence,
    Employment,
    Payment,
    WorkPattern,
    awe_window,
    statutory_pay,
)
from payroll.engine.statutory.awe import average_weekly_earnings

SALARIED = Employment(date(2024, 1, 1), None, "monthly")


def monthly(amount: str, months=range(4, 12), day=25):
    return [Payment(date(2026, m, day), D(amount)) for m in months]


def sick(first, last=None):
    return Absence("sickness", first, last)


def amounts(result):
    return [(line.description, line.amount) for line in result.lines]


def test_ssp_is_paid_from_the_first_day_of_a_piw():
    # given Mon-Fri, 2,000 a month (AWE 461.54: the flat rate applies), sick Mon 2 - Thu 5 Nov
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 5))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=[])
    # then no waiting days (GOV.UK SSP employer guide, from 6 April 2026): 4 qualifying days x
    # 123.25 / 5 = 24.65 a day = 98.60
    assert amounts(result) == [("SSP 2 \u2013 5 Nov (4 days)", D("98.60"))]
    line = result.lines[0]
    assert line.trace["inputs"]["awe"] == "461.5384615"
    assert line.trace["inputs"]["divided"] == "/ 2 months x 12 / 52"
    assert line.trace["inputs"]["relevant_period"] == ["2026-08-26", "2026-10-25"]
    assert "in addition to salary" in line.trace["salary"]
    assert line.ytd_increments == (("uk_ssp", D("98.60")),)  # SSP is not recoverable


def test_three_days_of_sickness_are_not_a_piw():
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 4))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=[])
    assert result.lines == ()


def test_back_to_back_records_form_one_piw():
    # 2 days then 2 days: one spell of 4 consecutive days (Mon 2 - Thu 5 Nov)
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 3)),
                            sick(date(2026, 11, 4), date(2026, 11, 5))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=[])
    assert amounts(result) == [("SSP 2 \u2013 5 Nov (4 days)", D("98.60"))]


def test_80_percent_of_awe_bites_for_a_low_earner():
    # given 400 a month: AWE = 800 / 2 months x 12 / 52 = 92.3076923 (truncated to 7 dp)
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 6))],
                           period_end=date(2026, 11, 30), payments=monthly("400"),
                           employment=SALARIED, patterns=[])
    # then weekly = min(123.25, 80% x 92.3076923 = 73.84615384); daily = / 5 = 14.7692
    # (truncated); 5 days = 73.8460, rounded up to 73.85
    assert amounts(result) == [("SSP 2 \u2013 6 Nov (5 days)", D("73.85"))]
    assert "80% of AWE" in result.lines[0].trace["table"]["2026-11-02"]


def test_part_week_daily_rate_for_three_qualifying_days():
    # given qualifying days Mon, Wed, Fri: 123.25 / 3 = 41.08333.. -> 41.0833 a day
    pattern = [WorkPattern(date(2020, 1, 1), frozenset({0, 2, 4}))]
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 5))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=pattern)
    # then Mon 2 and Wed 4 Nov are qualifying days: 2 x 41.0833 = 82.1666 -> 82.17 (rounded up)
    assert amounts(result) == [("SSP 2 \u2013 4 Nov (2 days)", D("82.17"))]


def test_seven_qualifying_days_daily_rate_is_truncated_to_four_places():
    pattern = [WorkPattern(date(2020, 1, 1), frozenset(range(7)))]
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 5))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=pattern)
    # 123.25 / 7 = 17.607142.. -> 17.6071; 4 days = 70.4284 -> 70.43
    assert result.lines[0].amount == D("70.43")


def test_piws_56_days_apart_link_and_use_the_first_piws_awe():
    # given 2,000 a month until September, then 100 a month from October
    pays = [*monthly("2000", range(4, 10)), Payment(date(2026, 10, 25), D("100")),
            Payment(date(2026, 11, 25), D("100"))]
    first = sick(date(2026, 11, 2), date(2026, 11, 5))
    # a second PIW Fri 1 - Mon 4 Jan 2027: 6 Nov .. 31 Dec between them = 56 days
    second = sick(date(2027, 1, 1), date(2027, 1, 4))
    result = statutory_pay([first, second], period_end=date(2027, 1, 31), payments=pays,
                           employment=SALARIED, patterns=[])
    # then they link (SPM: 56 days or less): one series, AWE from the first PIW's relevant
    # period 26 Aug - 25 Oct: (2,000 + 100) / 2 x 12 / 52 = 484.6153846, so the flat rate;
    # the second PIW's 2 qualifying days (Fri 1, Mon 4 Jan) pay 2 x 24.65
    assert len(result.claims) == 1
    assert result.claims[0].awe.period == (date(2026, 8, 26), date(2026, 10, 25))
    assert result.lines[0].amount == D("98.60") + D("49.30")
    # when the gap is 57 days (Sat 2 - Tue 5 Jan) they do not link: the second PIW has its
    # own AWE, 26 Sep - 25 Nov: (100 + 100) / 2 x 12 / 52 = 23.0769230; 80% = 18.4615384 a
    # week, / 5 = 3.6923 a day; Mon 4 and Tue 5 Jan = 7.3846 -> 7.39
    apart = statutory_pay([first, sick(date(2027, 1, 2), date(2027, 1, 5))],
                          period_end=date(2027, 1, 31), payments=pays, employment=SALARIED,
                          patterns=[])
    assert len(apart.claims) == 2
    assert apart.claims[1].awe.period == (date(2026, 9, 26), date(2026, 11, 25))
    assert [ln.amount for ln in apart.lines] == [D("98.60"), D("7.39")]


def test_28_weeks_is_the_most_ssp_in_a_linked_series():
    # given Mon-Fri, sick from Mon 6 Apr 2026 for 30 weeks
    payments = [Payment(date(2026, m, 25), D("2000")) for m in (1, 2, 3)]
    absence = sick(date(2026, 4, 6), date(2026, 4, 6) + timedelta(weeks=30))
    result = statutory_pay([absence], period_end=date(2026, 12, 31), payments=payments,
                           employment=SALARIED, patterns=[])
    # then 28 weeks x 5 = 140 qualifying days x 24.65 = 3,451.00, the last one Fri 16 Oct 2026
    line = result.lines[0]
    assert len(line.days) == 140 and line.days[-1] == date(2026, 10, 16)
    assert line.amount == D("3451.00")
    assert result.claims[0].basis["maximum_reached"] is True


def test_days_already_paid_are_not_paid_again_and_late_days_are():
    absence = sick(date(2026, 10, 28), date(2026, 11, 5))
    paid = frozenset(("sickness", date(2026, 10, d)) for d in (28, 29))
    result = statutory_pay([absence], period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=SALARIED, patterns=[], paid=paid)
    # Fri 30 Oct (not paid by October's run) and Mon 2 - Thu 5 Nov: 5 x 24.65
    assert amounts(result) == [("SSP 30 Oct \u2013 5 Nov (5 days)", D("123.25"))]


def test_new_starter_sick_before_the_first_pay_day_uses_contractual_earnings():
    starter = Employment(date(2026, 11, 2), None, "monthly", contractual_weekly=D("500"))
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 6))],
                           period_end=date(2026, 11, 30), payments=[], employment=starter,
                           patterns=[])
    assert result.lines[0].amount == D("123.25")
    assert result.claims[0].awe.method == "contractual"


def test_no_earnings_and_no_contractual_pay_refuses_with_a_reason():
    starter = Employment(date(2026, 11, 2), None, "monthly")
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 6))],
                           period_end=date(2026, 11, 30), payments=[], employment=starter,
                           patterns=[])
    assert result.lines == () and "cannot be worked out" in result.refused[0]


def test_no_ssp_after_employment_ends():
    leaver = Employment(date(2024, 1, 1), date(2026, 11, 3), "monthly")
    result = statutory_pay([sick(date(2026, 11, 2), date(2026, 11, 6))],
                           period_end=date(2026, 11, 30), payments=monthly("2000"),
                           employment=leaver, patterns=[])
    assert amounts(result) == [("SSP 2 \u2013 3 Nov (2 days)", D("49.30"))]


def test_awe_is_not_guessed_when_the_relevant_periods_first_pay_day_is_missing():
    # employed since 2024, but only October's pay day is on file (history before HROps)
    awe = average_weekly_earnings([Payment(date(2026, 10, 25), D("2000"))],
                                  ends_before=date(2026, 11, 2), inclusive=False,
                                  employment=SALARIED, allow_contractual=True)
    assert awe is None


def test_employed_under_8_weeks_averages_the_earnings_since_hire():
    recent = Employment(date(2026, 9, 21), None, "monthly")
    # pay days 25 Sep and 25 Oct; hired Mon 21 Sep: 2,400 over 21 Sep - 25 Oct (35 days) x 7
    awe = average_weekly_earnings([Payment(date(2026, 9, 25), D("400")),
                                   Payment(date(2026, 10, 25), D("2000"))],
                                  ends_before=date(2026, 11, 2), inclusive=False,
                                  employment=recent, allow_contractual=True)
    assert (awe.amount, awe.method) == (D("480"), "since hire")


def test_weekly_paid_awe_is_eight_weeks_of_earnings_divided_by_8():
    weekly = Employment(date(2024, 1, 1), None, "weekly")
    fridays = [Payment(date(2026, 9, 4) + timedelta(weeks=i), D("100")) for i in range(9)]
    awe = average_weekly_earnings(fridays, ends_before=date(2026, 11, 2), inclusive=False,
                                  employment=weekly, allow_contractual=False)
    # last pay day Fri 30 Oct; the last at least 8 weeks earlier Fri 4 Sep: 8 x 100 / 8
    assert awe.amount == D("100") and awe.period == (date(2026, 9, 5), date(2026, 10, 30))


def test_awe_window_covers_the_relevant_period():
    window = awe_window([sick(date(2026, 11, 2), date(2026, 11, 5))], date(2026, 11, 30))
    assert window[0] <= date(2026, 8, 25) and window[1] == date(2026, 11, 2)
