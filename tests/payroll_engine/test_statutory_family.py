"""SMP, SPP, SAP and ShPP 2026-27, hand-computed.

Rules and sources in payroll/engine/statutory/family.py: qualifying week = 15th week before the
expected week of childbirth (EWC); 26 weeks' service into it; AWE over the relevant period
ending with the last normal pay day on or before the QW's Saturday at least the LEL (129.00);
SMP 6 weeks at 90% of AWE then 33 weeks at the lower of 194.32 and 90%; a day is one seventh;
payments rounded up to the penny (SMP (General) Regs 1986 reg 28). Recovery 92% / 108.5% (SER,
from 6 April 2025).
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from payroll.engine.statutory import Absence, Employment, Payment, statutory_pay
from payroll.engine.statutory.rates import StatutoryRatesNotFound

EMPLOYED = Employment(date(2024, 1, 1), None, "monthly")
EWC = date(2026, 10, 18)  # a Sunday: QW = Sun 5 Jul - Sat 11 Jul 2026


def monthly(amount: str):
    return [Payment(date(2026, m, 25), D(amount)) for m in range(1, 7)]


def maternity(first=date(2026, 10, 5), last=None, kind="maternity", expected=EWC):
    return Absence(kind, first, last, expected_week=expected)


def pay(absences, *, payments, employment=EMPLOYED, period_end=date(2026, 11, 30), **kw):
    return statutory_pay(absences, period_end=period_end, payments=payments,
                         employment=employment, patterns=[], **kw)


def test_smp_six_weeks_at_90_percent_then_the_flat_rate():
    # given 2,000 a month: relevant period 26 Apr - 25 Jun (last pay day on or before Sat 11 Jul,
    # and the last one 8 weeks before that), AWE = 4,000 / 2 x 12 / 52 = 461.5384615
    result = pay([maternity()], payments=monthly("2000"))
    # then weeks 1-6 (Mon 5 Oct - Sun 15 Nov): 42 days x 90% x 461.5384615 / 7 = 2,492.3077
    # -> 2,492.31 (rounded up); week 7 on (16 - 30 Nov): 15 days x 194.32 / 7 = 416.40
    assert [(ln.description, ln.amount) for ln in result.lines] == [
        ("Maternity pay 5 Oct \u2013 15 Nov (6 weeks at 90% of AWE)", D("2492.31")),
        ("Maternity pay 16 \u2013 30 Nov (15 days at 194.32 a week)", D("416.40")),
    ]
    first = result.lines[0]
    assert first.trace["inputs"]["relevant_period"] == ["2026-04-26", "2026-06-25"]
    assert first.trace["inputs"]["qualifying_week"] == "2026-07-05"
    # recoverable: 92% (no small employer relief): 2,292.9252 -> 2,292.93; 383.088 -> 383.09
    assert [ln.recovered for ln in result.lines] == [D("2292.93"), D("383.09")]
    assert dict(first.ytd_increments) == {"uk_smp": D("2492.31"),
                                          "uk_smp_recovered": D("2292.93"),
                                          "uk_smp_nic_compensation": D("0")}


def test_small_employer_relief_recovers_103_percent():
    result = pay([maternity()], payments=monthly("2000"), small_employer=True)
    # 100% recovered plus 8.5% compensation (payments from 6 April 2025; HMRC SDST / GOV.UK
    # "Get financial help with statutory pay"): 2,492.31 x 8.5% = 211.84635 -> 211.85
    first = result.lines[0]
    assert (first.recovered, first.nic_compensation) == (D("2492.31"), D("211.85"))
    assert "+ 8.5% 211.85 compensation" in first.trace["recoverable"]
    assert "small employer relief" in first.trace["recoverable"]


def test_smp_not_due_when_awe_is_below_the_lower_earnings_limit():
    # 500 a month: AWE = 1,000 / 2 x 12 / 52 = 115.38 < 129.00 (LEL 2026-27)
    result = pay([maternity()], payments=monthly("500"))
    assert result.lines == ()
    assert "115.3846153 below the lower earnings limit 129.00" in result.refused[0]


def test_smp_needs_26_weeks_service_into_the_qualifying_week():
    # the QW starts Sun 5 Jul 2026: employed by Sat 17 Jan 2026 (25 weeks before its Saturday)
    on_time = Employment(date(2026, 1, 17), None, "monthly")
    late = Employment(date(2026, 1, 18), None, "monthly")
    assert pay([maternity()], payments=monthly("2000"), employment=on_time).lines
    refused = pay([maternity()], payments=monthly("2000"), employment=late)
    assert refused.lines == () and "26 weeks" in refused.refused[0]


def test_smp_after_six_weeks_is_90_percent_when_lower_than_the_flat_rate():
    # 650 a month: AWE = 1,300 / 2 x 12 / 52 = 150.00; 90% = 135.00 < 194.32 in every week
    result = pay([maternity()], payments=monthly("650"))
    # 5 Oct - 30 Nov = 57 days x 135.00 / 7 = 1,099.2857 -> 1,099.29 (rounded up), one line
    assert [ln.amount for ln in result.lines] == [D("1099.29")]


def test_smp_stops_after_39_weeks():
    # EWC Sun 19 Apr 2026, pay from Mon 6 Apr 2026: 39 weeks end Sun 3 Jan 2027 (QW in
    # January 2026: the 2025-26 lower earnings limit, 125.00, applies to the earnings test)
    payments = [Payment(date(2025, m, 25), D("2000")) for m in range(6, 13)]
    absence = maternity(date(2026, 4, 6), expected=date(2026, 4, 19))
    result = pay([absence], payments=payments, period_end=date(2027, 3, 31))
    days = [d for ln in result.lines for d in ln.days]
    assert len(days) == 39 * 7 and max(days) == date(2027, 1, 3)
    assert result.lines[0].trace["inputs"]["lower_earnings_limit"] == "125.00"


def test_no_rates_for_a_year_not_yet_published_is_an_error_not_a_fallback():
    with pytest.raises(StatutoryRatesNotFound):
        pay([maternity()], payments=monthly("2000"), period_end=date(2027, 12, 31))


def test_spp_is_two_weeks_at_the_lower_of_the_flat_rate_and_90_percent():
    absence = maternity(date(2026, 10, 19), date(2026, 11, 8), kind="paternity")
    result = pay([absence], payments=monthly("2000"))
    # 14 days x 194.32 / 7 = 388.64; the third week is not paid
    assert [(ln.description, ln.amount) for ln in result.lines] == [
        ("Paternity pay 19 Oct \u2013 1 Nov (2 weeks at 194.32 a week)", D("388.64"))]


def test_sap_uses_the_matching_week_for_service_and_earnings():
    # matched Wed 15 Jul 2026: matching week Sun 12 - Sat 18 Jul; relevant period to 25 Jun
    absence = Absence("adoption", date(2026, 10, 5), None, expected_week=date(2026, 7, 15))
    result = pay([absence], payments=monthly("2000"))
    assert result.lines[0].amount == D("2492.31")
    assert result.lines[0].code == "SAP"


def test_shpp_is_paid_at_the_lower_rate_from_the_first_week():
    absence = maternity(date(2026, 11, 2), date(2026, 11, 15), kind="shared_parental")
    result = pay([absence], payments=monthly("2000"))
    assert [(ln.code, ln.amount) for ln in result.lines] == [("SHPP", D("388.64"))]


def test_smp_days_already_paid_are_skipped():
    paid = frozenset(("maternity", date(2026, 10, 5) + timedelta(days=i)) for i in range(27))
    result = pay([maternity()], payments=monthly("2000"), paid=paid)
    # 1 - 15 Nov at 90%: 15 x 415.38461535 / 7 = 890.1099 -> 890.11
    assert result.lines[0].amount == D("890.11")


def test_no_ssp_for_days_of_a_maternity_pay_period():
    sickness = Absence("sickness", date(2026, 11, 9), date(2026, 11, 20))
    result = pay([maternity(), sickness], payments=monthly("2000"))
    assert [ln.code for ln in result.lines] == ["SMP", "SMP"]
