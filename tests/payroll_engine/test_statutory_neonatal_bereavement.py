"""Statutory Neonatal Care Pay and Statutory Parental Bereavement Pay 2026-27, hand-computed.

Rules and sources in payroll/engine/statutory/family.py (GOV.UK "Statutory Neonatal Care Pay
and Leave: employer guide"; "Statutory Parental Bereavement Pay and Leave: employer guide"):
the relevant week is the week (Sunday to Saturday) before the week care began / of the death;
26 weeks' service to it; AWE at least the LEL (129.00); the lower of 194.32 (weeks from
5 April 2026) and 90% of AWE; SNCP up to 12 weeks, SPBP up to 2 weeks within 56 weeks of the
death; a day is one seventh, rounded up to the penny; recovered like SMP (92% / 108.5%).
"""

from datetime import date
from decimal import Decimal as D

from payroll.engine.statutory import Absence, Employment, Payment, statutory_pay

EMPLOYED = Employment(date(2024, 1, 1), None, "monthly")
CARE_BEGAN = date(2026, 10, 14)  # Wed: relevant week Sun 4 - Sat 10 Oct 2026
DEATH = date(2026, 11, 3)  # Tue: relevant week Sun 25 - Sat 31 Oct 2026


def monthly(amount: str):
    return [Payment(date(2026, m, 25), D(amount)) for m in range(1, 11)]


def pay(absences, *, payments, employment=EMPLOYED, period_end=date(2026, 11, 30)):
    return statutory_pay(absences, period_end=period_end, payments=payments,
                         employment=employment, patterns=[])


def test_neonatal_care_pay_at_the_flat_rate_with_the_recoverable_amount():
    # given 2,000 a month: relevant period 26 Jul - 25 Sep (last pay day on or before Sat 10
    # Oct), AWE = 4,000 / 2 x 12 / 52 = 461.5384615; 90% = 415.38 > 194.32
    # when 2 weeks of neonatal care leave, Mon 19 Oct - Sun 1 Nov 2026
    result = pay([Absence("neonatal_care", date(2026, 10, 19), date(2026, 11, 1),
                          expected_week=CARE_BEGAN)], payments=monthly("2000"))
    # then 14 days x 194.32 / 7 = 388.64; recoverable 92% = 357.5488 -> 357.55
    [line] = result.lines
    assert (line.code, line.amount, line.recovered) == ("SNCP", D("388.64"), D("357.55"))
    assert line.description == "Neonatal care pay 19 Oct \u2013 1 Nov (2 weeks at 194.32 a week)"
    assert line.trace["inputs"]["qualifying_week"] == "2026-10-04"
    assert dict(line.ytd_increments)["uk_sncp_recovered"] == D("357.55")


def test_neonatal_care_pay_stops_after_12_weeks():
    result = pay([Absence("neonatal_care", date(2026, 10, 14), date(2027, 1, 31),
                          expected_week=CARE_BEGAN)], payments=monthly("2000"),
                 period_end=date(2027, 1, 31))
    # 12 weeks = 84 days x 194.32 / 7 = 2,331.84
    [line] = result.lines
    assert len(line.days) == 84 and line.amount == D("2331.84")


def test_parental_bereavement_pay_at_90_percent_for_a_lower_earner():
    # given 800 a month: AWE = 1,600 / 2 x 12 / 52 = 184.6153846; 90% = 166.1538461 < 194.32
    result = pay([Absence("parental_bereavement", date(2026, 11, 9), date(2026, 11, 15),
                          expected_week=DEATH)], payments=monthly("800"))
    # then 7 days x 166.1538461 / 7 = 166.1538461, rounded up to 166.16
    [line] = result.lines
    assert (line.code, line.amount) == ("SPBP", D("166.16"))
    assert line.trace["inputs"]["taken_by"] == "2027-11-29"  # within 56 weeks of the death


def test_parental_bereavement_pay_needs_26_weeks_of_service():
    # employed by Sat 9 May 2026 (25 weeks before the relevant week's Sunday, + 6 days)
    late = Employment(date(2026, 6, 1), None, "monthly")
    result = pay([Absence("parental_bereavement", date(2026, 11, 9), date(2026, 11, 15),
                          expected_week=DEATH)], payments=monthly("2000"), employment=late)
    assert result.lines == ()
    assert result.refused[0].startswith("SPBP not due: not employed for 26 weeks")
