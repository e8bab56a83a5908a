"""Form 941 and Form 940 figures, hand-computed."""

from datetime import date
from decimal import Decimal as D

from liabilities.irs_forms import SlipTaxes, form_940, form_941


def _slip(emp: int, day: date, wages: str, fit: str, ss: str, med: str, **kw) -> SlipTaxes:
    return SlipTaxes(emp, day, kw.pop("gross", D(wages)), D(wages), D(wages), D(fit), D(ss),
                     D(ss), D(med), D(med), covers_12th=True, **kw)


def test_941_quarter_line_by_line_with_a_fraction_of_a_cent():
    # given Q4 2026: A paid 10,000.00 a month; B once, 100.05 in December
    slips = [_slip(1, date(2026, m, 28), "10000.00", "1500.00", "620.00", "145.00")
             for m in (10, 11, 12)]
    # B's shares rounded per paycheck: 6.2% x 100.05 = 6.2031 -> 6.20; 1.45% -> 1.45
    slips.append(_slip(2, date(2026, 12, 28), "100.05", "10.00", "6.20", "1.45"))
    # when
    form = form_941(slips, year=2026, quarter=4, deposits_made=D("9000.00"))
    lines = form.lines
    # then
    assert lines["1"] == 2
    assert lines["2"] == D("30100.05")
    assert lines["3"] == D("4510.00")
    assert lines["5a"] == D("3732.41")  # 30,100.05 x 12.4% = 3,732.4062
    assert lines["5c"] == D("872.90")  # 30,100.05 x 2.9% = 872.90145
    assert lines["5d"] == 0
    assert lines["5e"] == D("4605.31")
    assert lines["6"] == D("9115.31")
    assert lines["7"] == D("-0.01")  # withheld and paid: 4,590.00 + 15.30 = 4,605.30
    assert lines["10"] == lines["12"] == D("9115.30")
    assert (lines["13"], lines["14"], lines["15"]) == (D("9000.00"), D("115.30"), D("0.00"))
    # line 16: the monthly liabilities add up to line 12
    assert form.monthly == [D("3030.00"), D("3030.00"), D("3055.30")]
    assert sum(form.monthly) == lines["12"]
    assert form.daily == [(date(2026, 10, 28), D("3030.00")), (date(2026, 11, 28),
                                                              D("3030.00")),
                          (date(2026, 12, 28), D("3055.30"))]


def test_941_caps_social_security_wages_at_the_wage_base_and_adds_additional_medicare():
    # given 180,000 paid in Q3 and 30,000 in Q4 2026 (wage base 184,500; 200,000 threshold)
    slips = [_slip(1, date(2026, 9, 30), "180000.00", "0", "0", "0"),
             _slip(1, date(2026, 12, 15), "30000.00", "0", "0", "0")]
    lines = form_941(slips, year=2026, quarter=4).lines
    assert lines["5a_wages"] == D("4500.00")
    assert lines["5c_wages"] == D("30000.00")
    assert lines["5d_wages"] == D("10000.00")
    assert lines["5d"] == D("90.00")


def test_940_futa_on_the_first_7000_with_a_credit_reduction_state():
    # given 2025 in California (credit reduction 1.2%): A is paid 5,100 twice (100 of it a
    # section 125 benefit each time, exempt), B 3,000 once
    slips = [_slip(1, date(2025, 3, 31), "5000.00", "0", "0", "0", gross=D("5100.00"),
                   state="CA"),
             _slip(1, date(2025, 6, 30), "5000.00", "0", "0", "0", gross=D("5100.00"),
                   state="CA"),
             _slip(2, date(2025, 3, 31), "3000.00", "0", "0", "0", state="CA")]
    form = form_940(slips, year=2025)
    lines = form.lines
    # then A is over the 7,000 base: 3,000 of A's pay is above it
    assert (lines["3"], lines["4"], lines["5"], lines["7"]) == (
        D("13200.00"), D("200.00"), D("3000.00"), D("10000.00"))
    assert lines["8"] == D("60.00")  # 0.6% of 10,000
    assert form.credit_reduction == {"CA": (D("10000.00"), D("0.012"), D("120.00"))}
    assert (lines["11"], lines["12"], lines["1a"]) == (D("120.00"), D("180.00"), "CA")
    assert form.quarters == [D("48.00"), D("12.00"), D("0.00"), D("120.00")]
    # never over 500: all of it is deposited (or paid) by 31 January 2026
    assert form.deposits_due[3] == (4, D("180.00"), date(2026, 1, 31))
    assert [d[1] for d in form.deposits_due[:3]] == [0, 0, 0]


def test_940_quarter_over_500_is_deposited_by_the_end_of_the_next_month():
    slips = [_slip(i, date(2026, 2, 27), "7000.00", "0", "0", "0") for i in range(12)]
    form = form_940(slips, year=2026)
    assert form.quarters[0] == D("504.00")  # 84,000 x 0.6%
    assert form.deposits_due[0] == (1, D("504.00"), date(2026, 4, 30))
    assert form.credit_reduction_known is False  # 2026's list is not entered yet
