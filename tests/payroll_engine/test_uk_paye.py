from decimal import Decimal

import pytest

from payroll.engine.jurisdictions.uk_paye import TaxCodeError, parse_tax_code, paye_tax

from .builders import d


def tax(code: str, pay: str, *, period: int = 1, freq: str = "monthly", w1m1: bool = False,
        ytd_pay: str = "0", ytd_tax: str = "0", year: str = "2026-27") -> Decimal:
    return paye_tax(tax_year=year, tax_code=code, week1_month1=w1m1, pay_frequency=freq,
                    period=period, taxable_pay=d(pay), ytd_taxable_pay=d(ytd_pay),
                    ytd_tax_paid=d(ytd_tax)).amount


def test_k_code_tax_is_limited_to_half_of_the_periods_pay():
    # given: K1000 monthly adds 833.34 + 83.42 of pay to only 200.00 of pay
    # when
    result = tax("K1000", "200.00")
    # then: unlimited 20% x 1,116 = 223.20 > 50% x 200 = 100.00
    assert result == d("100.00")


def test_cumulative_refund_is_negative_tax():
    # given: 3,000 taxed in month 1, nothing paid in month 2
    month1 = tax("1257L", "3000.00")
    # when
    month2 = tax("1257L", "0.00", period=2, ytd_pay="3000.00", ytd_tax=str(month1))
    # then: 3,000 - 2 x 1,048.26 = 903 x 20% = 180.60 due to date -> refund of 209.60
    assert month1 == d("390.20")
    assert month2 == d("-209.60")


def test_week1_month1_ignores_year_to_date():
    # given the same month 2 with a W1/M1 basis (flag or code suffix)
    by_flag = tax("1257L", "0.00", period=2, w1m1=True, ytd_pay="3000.00", ytd_tax="390.20")
    by_suffix = tax("1257L M1", "3000.00", period=7, ytd_pay="50000", ytd_tax="9000")
    # then
    assert by_flag == d("0.00")
    assert by_suffix == d("390.20")


def test_welsh_code_uses_welsh_bands_and_d_codes():
    assert tax("C1257L", "3000.00") == d("390.20")
    assert tax("CD1", "1000.00") == d("450.00")


def test_scottish_flat_codes_sd0_to_sd3():
    rates = {code: tax(code, "1000.00") for code in ("SBR", "SD0", "SD1", "SD2", "SD3")}
    assert rates == {"SBR": d("200.00"), "SD0": d("210.00"), "SD1": d("420.00"),
                     "SD2": d("450.00"), "SD3": d("480.00")}


def test_nt_and_0t():
    assert tax("NT", "5000.00") == d("0.00")
    # 0T: no free pay; 2026-27 monthly 20% band = 3,141.6666
    assert tax("0T", "1000.00") == d("200.00")


def test_fortnightly_period_uses_weekly_tables_doubled():
    # given: fortnightly 1,000; W1 basis -> week 2 figures: free pay 2 x 241.92 = 483.84
    # when / then: 1,000 - 483.84 -> 516 x 20% = 103.20
    assert tax("1257L", "1000.00", freq="fortnightly", w1m1=True) == d("103.20")


@pytest.mark.parametrize("code", ["", "1257", "X99", "SKK1", "BR1"])
def test_invalid_tax_codes_are_rejected(code):
    with pytest.raises(TaxCodeError):
        parse_tax_code(code)


def test_parse_recognises_prefix_suffix_and_basis():
    code = parse_tax_code("S1257L W1")
    assert (code.region, code.kind, code.number, code.non_cumulative) == (
        "scotland", "suffix", 1257, True)


@pytest.mark.parametrize(("freq", "period", "expected"), [
    # week 1 basis, one period's free pay and bands: 1,000 - 241.92 -> 758 taxable;
    # 725 (37,700 / 52) at 20% + 33 at 40% = 158.20
    ("weekly", 53, "158.20"),
    # fortnightly week 54: two weeks' free pay and bands: 2,000 - 483.84 -> 1,516;
    # 1,450 at 20% + 66 at 40% = 316.40
    ("fortnightly", 27, "316.40"),
    # four-weekly week 56: four weeks': 4,000 - 967.68 -> 3,032; 2,900 at 20% + 132 at 40%
    ("four_weekly", 14, "632.80"),
])
def test_week_53_54_56_is_taxed_on_a_week_1_basis(freq, period, expected):
    # given a full year already paid (52 weeks at 1,000 a week, tax paid to date), and a pay day
    # after the 52nd tax week: HMRC's "week 53" rule ignores the year to date
    weeks = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[freq]
    pay = str(1000 * weeks)
    result = paye_tax(tax_year="2026-27", tax_code="1257L", week1_month1=False,
                      pay_frequency=freq, period=period, taxable_pay=d(pay),
                      ytd_taxable_pay=d("52000"), ytd_tax_paid=d("8226.40"))
    assert result.amount == d(expected)
    assert result.trace["inputs"]["basis"] == "week 53/54/56: week 1 basis"


def test_week_52_and_month_12_stay_cumulative():
    # the last regular periods still use the year to date (a refund here proves it)
    assert tax("1257L", "0.00", freq="weekly", period=52, ytd_pay="1000",
               ytd_tax="100") == d("-100.00")
    assert tax("1257L", "0.00", freq="monthly", period=12, ytd_pay="3000",
               ytd_tax="390.20") == d("-390.20")
