from decimal import Decimal

from payroll.engine import USW4, Options, YearToDate, calculate
from payroll.engine.jurisdictions.us_federal import federal_income_tax, fica

from .builders import amount, d, us_inputs


def fit(wages: str, w4: USW4, freq: str = "weekly", whole_dollar: bool = False) -> Decimal:
    line = federal_income_tax(tax_year="2026", pay_frequency=freq, taxable_wages=d(wages), w4=w4,
                              whole_dollar=whole_dollar)
    return line.amount


def test_whole_dollar_option_rounds_half_up_to_dollars():
    # given: 78.0769 in cents is 78.08; in whole dollars 78.00
    # when / then
    assert fit("1000.00", USW4()) == d("78.08")
    assert fit("1000.00", USW4(), whole_dollar=True) == d("78.00")


def test_whole_dollar_option_through_calculate():
    # given
    result = calculate(us_inputs(options=Options(whole_dollar_withholding=True)))
    # then
    assert amount(result, "FIT") == amount(result, "FIT").to_integral_value()


def test_2019_w4_with_allowances():
    # given: weekly 1,000.00, single, 2 allowances: 52,000 - 8,600 = 43,400 -> single table
    w4 = USW4(form_year=2019, marital_status="single", allowances=2)
    # when / then: 1,240 + 12% x (43,400 - 19,900) = 4,060 / 52 = 78.08
    assert fit("1000.00", w4) == d("78.08")


def test_2019_w4_married_uses_married_table_and_line_6_extra():
    # given
    w4 = USW4(form_year=2019, marital_status="married", allowances=0, extra_withholding=d("10"))
    # when / then: 52,000 in MFJ row 44,100: 2,480 + 12% x 7,900 = 3,428 / 52 = 65.92 + 10
    assert fit("1000.00", w4) == d("75.92")


def test_nonresident_alien_adds_table_2_amount_before_annualising():
    # given: weekly 1,000 + 309.60 = 1,309.60 x 52 = 68,099.20 - 8,600 = 59,499.20
    w4 = USW4(nonresident_alien=True)
    # when / then: 5,800 + 22% x (59,499.20 - 57,900) = 6,151.824 / 52 = 118.3043 -> 118.30
    assert fit("1000.00", w4) == d("118.30")


def test_exempt_w4_withholds_no_income_tax_but_fica_still_applies():
    # given
    result = calculate(us_inputs(us_w4=USW4(exempt=True)))
    # then
    assert amount(result, "FIT") == d("0.00")
    assert amount(result, "SS") == d("310.00")


def test_step2_checkbox_table_and_steps_3_and_4():
    # given: MFJ, step 2 box, 4(a) 5,200, 4(b) 2,600, 3 credits 2,000, 4(c) 20 weekly
    w4 = USW4(filing_status="married_filing_jointly", step2_checkbox=True,
              step3_credits=d("2000"), step4a_other_income=d("5200"),
              step4b_deductions=d("2600"), step4c_extra_withholding=d("20"))
    # when: 52,000 + 5,200 - 2,600 = 54,600 (no 1g); step-2 MFJ row 28,500: 1,240 + 12% x 26,100
    #       = 4,372 / 52 = 84.0769; - 2,000/52 = 38.4615 -> 45.6154; + 20 = 65.6154
    # then
    assert fit("1000.00", w4) == d("65.62")


def test_credits_never_make_withholding_negative():
    assert fit("200.00", USW4(step3_credits=d("5000"))) == d("0.00")


def test_additional_medicare_starts_in_the_period_wages_cross_200000():
    # given: 195,000 already paid this year, 10,000 this period
    lines = fica(tax_year="2026", fica_wages=d("10000"), ytd_fica_wages=d("195000"))
    by_code = {line.code: line.amount for line in lines}
    # then: 0.9% on the 5,000 above 200,000; SS stops at the 184,500 base (already passed)
    assert by_code["ADDL_MEDICARE"] == d("45.00")
    assert by_code["SS"] == d("0.00")
    assert by_code["MEDICARE"] == d("145.00")
    assert by_code["ER_MEDICARE"] == d("145.00")


def test_social_security_stops_at_the_wage_base_mid_period():
    # given: 180,000 before, 10,000 now -> only 4,500 is under the base
    lines = fica(tax_year="2026", fica_wages=d("10000"), ytd_fica_wages=d("180000"))
    # then
    assert lines[0].amount == d("279.00")


def test_social_security_capped_by_ytd_tax_when_rounding_would_exceed_the_maximum():
    # given: prior withholding already at the 11,439.00 maximum minus one cent
    inputs = us_inputs(ytd=YearToDate(us_fica_wages=d("184000"),
                                      us_social_security_tax=d("11438.99")))
    # when
    result = calculate(inputs)
    # then
    assert amount(result, "SS") == d("0.01")
