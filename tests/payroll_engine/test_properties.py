"""Properties that must hold for any input (Hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.engine import (
    USW4,
    CompensationSegment,
    PayItem,
    UKTaxProfile,
    YearToDate,
    calculate,
)
from payroll.engine import components as c
from payroll.engine.jurisdictions.us_federal import federal_income_tax, fica

from .builders import uk_inputs, us_inputs

cents = st.integers(min_value=0, max_value=5_000_000).map(lambda n: Decimal(n) / 100)
small_cents = st.integers(min_value=0, max_value=200_000).map(lambda n: Decimal(n) / 100)
tiny_cents = st.integers(min_value=0, max_value=20_000).map(lambda n: Decimal(n) / 100)
paychecks = st.integers(min_value=100_00, max_value=2_000_000).map(lambda n: Decimal(n) / 100)
rates = st.integers(min_value=0, max_value=15).map(lambda n: Decimal(n) / 100)
US_FREQS = ("daily", "weekly", "biweekly", "semimonthly", "monthly", "quarterly", "semiannual",
            "annual")
w4s = st.one_of(
    st.builds(USW4, filing_status=st.sampled_from(
        ["single", "married_filing_jointly", "married_filing_separately", "head_of_household"]),
        step2_checkbox=st.booleans(), step3_credits=small_cents,
        step4a_other_income=small_cents, step4b_deductions=small_cents,
        step4c_extra_withholding=small_cents.map(lambda x: x / 10),
        nonresident_alien=st.booleans()),
    st.builds(USW4, form_year=st.just(2019), marital_status=st.sampled_from(["single", "married"]),
              allowances=st.integers(0, 10), nonresident_alien=st.booleans()),
)
items = st.lists(st.one_of(
    st.builds(PayItem, component=st.just(c.BONUS), amount=small_cents),
    st.builds(PayItem, component=st.just(c.NON_TAXABLE_REIMBURSEMENT), amount=small_cents),
    st.builds(PayItem, component=st.just(c.US_401K), rate=rates),
    st.builds(PayItem, component=st.just(c.US_SECTION_125), amount=tiny_cents),
    st.builds(PayItem, component=st.just(c.UK_PENSION_NET_PAY), rate=rates),
    st.builds(PayItem, component=st.just(c.UK_PENSION_RAS), rate=rates),
    st.builds(PayItem, component=st.just(c.LOAN_REPAYMENT), amount=small_cents),
    st.builds(PayItem, component=st.just(c.GARNISHMENT), amount=small_cents),
    st.builds(PayItem, component=st.just(c.EMPLOYER_PENSION), rate=rates),
), max_size=6)


@settings(max_examples=300, deadline=None)
@given(salary=cents, items=items, uk=st.booleans(), hire_day=st.integers(1, 28),
       code=st.sampled_from(["1257L", "K500", "S1257L", "C1257L", "BR", "D1", "NT", "0T"]),
       ni=st.sampled_from(list("ABCHJMZX")), w4=w4s)
def test_net_is_gross_minus_deductions_and_taxes_exactly(salary, items, uk, hire_day, code, ni,
                                                         w4):
    # given
    comp = (CompensationSegment(date(2025, 1, 1), annual_salary=salary * 12),)
    if uk:
        inputs = uk_inputs(compensation=comp, items=tuple(items),
                           uk_tax=UKTaxProfile(tax_code=code, ni_category=ni),
                           employment_start=date(2026, 4, 5) + timedelta(days=hire_day))
    else:
        inputs = us_inputs(compensation=comp, items=tuple(items), us_w4=w4,
                           employment_start=date(2026, 3, hire_day))
    # when
    result = calculate(inputs)
    # then
    def total(*cats):
        return sum((line.amount for line in result.lines if line.category in cats), Decimal(0))
    assert result.gross == total("earning", "reimbursement")
    assert result.net == (result.gross - total("pre_tax_deduction") - total("employee_tax")
                          - total("post_tax_deduction"))
    assert result.employer_cost == result.gross + total("employer_contribution", "employer_tax")
    for line in result.lines:
        assert line.amount == line.amount.quantize(Decimal("0.01"))


@settings(max_examples=300, deadline=None)
@given(wages=cents, freq=st.sampled_from(US_FREQS), w4=w4s, whole=st.booleans())
def test_us_withholding_is_never_negative(wages, freq, w4, whole):
    line = federal_income_tax(tax_year="2026", pay_frequency=freq, taxable_wages=wages, w4=w4,
                              whole_dollar=whole)
    assert line.amount >= 0


@settings(max_examples=300, deadline=None)
@given(low=cents, extra=cents, freq=st.sampled_from(US_FREQS), w4=w4s)
def test_us_withholding_does_not_decrease_as_wages_rise(low, extra, freq, w4):
    def withholding(wages):
        return federal_income_tax(tax_year="2026", pay_frequency=freq, taxable_wages=wages,
                                  w4=w4, whole_dollar=False).amount
    assert withholding(low + extra) >= withholding(low)


@settings(max_examples=200, deadline=None)
@given(per_period=paychecks, periods=st.sampled_from([12, 24, 26, 52]))
def test_social_security_over_a_year_never_exceeds_the_maximum(per_period, periods):
    # given: a year of paychecks, feeding each payslip's YTD forward
    ytd_wages, ytd_tax = Decimal(0), Decimal(0)
    for _ in range(periods):
        # when
        ss = fica(tax_year="2026", fica_wages=per_period, ytd_fica_wages=ytd_wages,
                  ytd_social_security_tax=ytd_tax)[0].amount
        ytd_wages += per_period
        ytd_tax += ss
    # then
    assert ytd_tax <= Decimal("11439.00")
    if per_period * periods >= 184500:
        assert ytd_tax >= Decimal("11438.50")  # reaches the maximum, give or take rounding


@settings(max_examples=100, deadline=None)
@given(per_period=paychecks)
def test_social_security_through_calculate_with_ytd_increments(per_period):
    ytd = YearToDate()
    total = Decimal(0)
    for _ in range(26):
        comp = (CompensationSegment(date(2025, 1, 1), annual_salary=per_period * 26),)
        result = calculate(us_inputs(compensation=comp, pay_frequency="biweekly",
                                     period_start=date(2026, 3, 2), period_end=date(2026, 3, 15),
                                     ytd=ytd))
        inc = result.ytd_increments
        total += inc["us_social_security_tax"]
        ytd = YearToDate(us_fica_wages=ytd.us_fica_wages + inc["us_fica_wages"],
                         us_social_security_tax=total)
    assert total <= Decimal("11439.00")
