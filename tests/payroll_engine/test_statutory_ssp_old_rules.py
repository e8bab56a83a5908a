"""SSP for sickness before 6 April 2026 (the old rules) and the 3-year limit, hand-computed.

Sources (payroll/engine/statutory/ssp.py): SSCBA 1992 s.155(1) (3 waiting days per period of
entitlement), s.152(3) (linked PIWs are one period), Sch 11 para 2(c) (no SSP below the lower
earnings limit, 125.00 in 2025-26), s.157(1) (flat rate, 118.75 in 2025-26); the DWP's
transitional protection for a PIW running through 6 April 2026; GOV.UK "Statutory Sick Pay:
employer guide" (linked periods: SSP stops after 3 years).
Everyone here works Monday to Friday and is paid monthly on the 25th.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from payroll.engine.statutory import Absence, Employment, Payment, statutory_pay
from payroll.engine.statutory import rates as R

SALARIED = Employment(date(2024, 1, 1), None, "monthly")


def paid(amount: str, first=date(2025, 10, 25), count=8):
    days = [first]
    while len(days) < count:
        d = days[-1]
        days.append(date(d.year + d.month // 12, d.month % 12 + 1, 25))
    return [Payment(d, D(amount)) for d in days]


def sick(first, last):
    return Absence("sickness", first, last)


def ssp(absences, payments, period_end=date(2026, 5, 31)):
    return statutory_pay(absences, period_end=period_end, payments=payments,
                         employment=SALARIED, patterns=[])


def test_three_waiting_days_then_the_flat_rate_before_april_2026():
    # given 2,000 a month: AWE = 4,000 / 2 months x 12 / 52 = 461.5384615 >= LEL 125.00
    # when sick Mon 2 - Fri 13 Mar 2026: 10 qualifying days
    result = ssp([sick(date(2026, 3, 2), date(2026, 3, 13))], paid("2000"))
    # then 2, 3, 4 Mar are waiting days (s.155(1)); 7 days x 118.75 / 5 (= 23.75) = 166.25
    [line] = result.lines
    assert line.amount == D("166.25")
    assert line.trace["inputs"]["waiting_days"] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert "old rules: flat rate 118.75" in line.trace["table"]["2026-03-05"]


def test_waiting_days_are_served_once_across_linked_piws():
    # PIW 1 Thu 5 - Sun 8 Feb (2 qualifying days), PIW 2 Mon 2 - Thu 5 Mar: 21 days apart, linked
    result = ssp([sick(date(2026, 2, 5), date(2026, 2, 8)),
                  sick(date(2026, 3, 2), date(2026, 3, 5))], paid("2000"))
    # waiting days: 5 Feb, 6 Feb and 2 Mar; paid 3, 4, 5 Mar: 3 x 23.75 = 71.25
    [line] = result.lines
    assert line.amount == D("71.25")
    assert line.trace["inputs"]["waiting_days"] == ["2026-02-05", "2026-02-06", "2026-03-02"]


def test_below_the_lower_earnings_limit_no_ssp_before_april_2026():
    # 500 a month: AWE = 1,000 / 2 x 12 / 52 = 115.3846153 < 125.00 (Sch 11 para 2(c))
    result = ssp([sick(date(2026, 3, 2), date(2026, 3, 13))], paid("500"))
    assert result.lines == ()
    assert "below the lower earnings limit 125.00" in result.refused[0]


def test_below_the_lel_the_new_rules_pay_from_6_april_2026():
    # sick Mon 30 Mar - Fri 10 Apr 2026, AWE 115.3846153: nothing before 6 April; from then
    # min(123.25, 80% x 115.3846153 = 92.3076922) / 5 = 18.4615 (4 dp truncated) x 5 days
    # = 92.3075, rounded up to 92.31
    result = ssp([sick(date(2026, 3, 30), date(2026, 4, 10))], paid("500"))
    [line] = result.lines
    assert line.amount == D("92.31")
    assert line.days[0] == date(2026, 4, 6)


def test_a_piw_paid_before_6_april_keeps_the_flat_rate_and_a_later_one_does_not():
    # given 600 a month: AWE = 1,200 / 2 x 12 / 52 = 138.4615384 (>= LEL; 80% = 110.7692307)
    # PIW 1 Mon 30 Mar - Fri 10 Apr: waiting 30, 31 Mar, 1 Apr; 2, 3 Apr at 118.75 / 5 = 23.75
    # (47.50); 6-10 Apr protected at 123.25 / 5 = 24.65 (123.25).
    # PIW 2 Mon 20 - Fri 24 Apr (linked): new rules, min(123.25, 110.7692307) / 5 = 22.1538
    # x 5 = 110.7690. Total 47.50 + 123.25 + 110.7690 = 281.519, rounded up 281.52.
    result = ssp([sick(date(2026, 3, 30), date(2026, 4, 10)),
                  sick(date(2026, 4, 20), date(2026, 4, 24))], paid("600"))
    [line] = result.lines
    assert line.amount == D("281.52")
    table = line.trace["table"]
    assert "transitional protection" in table["2026-04-06"]
    assert "80% of AWE" in table["2026-04-20"]


@pytest.fixture
def later_years(monkeypatch):
    """Test only: 2027-28 and 2028-29 at the 2026-27 rates (not yet published)."""
    rates = R.RATES["2026-27"]
    monkeypatch.setitem(R.RATES, "2027-28", rates)
    monkeypatch.setitem(R.RATES, "2028-29", rates)
    monkeypatch.setitem(R.RATES, "2029-30", rates)


def test_no_ssp_once_linked_piws_have_lasted_three_years(later_years):
    # given a 4-day PIW (Mon-Thu) every 7 weeks from Mon 4 May 2026: each 45 days after the
    # last, so all linked; the 3 years end on 4 May 2029, well before 28 weeks are used
    # (23 PIWs x 4 days = 92 qualifying days = 18.4 weeks)
    starts = [date(2026, 5, 4) + timedelta(weeks=7 * k) for k in range(25)]
    result = ssp([sick(s, s + timedelta(days=3)) for s in starts], paid("2000", count=6),
                 period_end=date(2029, 12, 31))
    [claim] = result.claims
    assert len(claim.days) == 92
    assert max(d.day for d in claim.days) < date(2029, 5, 4)
    assert claim.basis["three_year_limit"] == "no SSP from 2029-05-04 (3 years of linked PIWs)"
