from decimal import Decimal

from payroll.engine import PayItem, UKTaxProfile, calculate
from payroll.engine import components as c

from .builders import amount, d, uk_inputs, us_inputs


def test_401k_reduces_income_tax_wages_but_not_fica_wages():
    # given: 5% 401(k) on a 5,000.00 month
    inputs = us_inputs(items=(PayItem(c.US_401K, rate=d("0.05")),))
    # when
    result = calculate(inputs)
    # then
    assert amount(result, "401K") == d("250.00")
    assert result.ytd_increments["us_income_tax_wages"] == d("4750.00")
    assert result.ytd_increments["us_fica_wages"] == d("5000.00")
    assert amount(result, "SS") == d("310.00")


def test_section_125_reduces_income_tax_and_fica_wages():
    # given
    inputs = us_inputs(items=(PayItem(c.US_SECTION_125, amount=d("200.00")),))
    # when
    result = calculate(inputs)
    # then
    assert result.ytd_increments["us_income_tax_wages"] == d("4800.00")
    assert result.ytd_increments["us_fica_wages"] == d("4800.00")
    assert amount(result, "MEDICARE") == d("69.60")


def test_uk_net_pay_pension_reduces_taxable_pay_not_ni_pay():
    # given: 5% net-pay-arrangement pension on 3,000.00
    inputs = uk_inputs(items=(PayItem(c.UK_PENSION_NET_PAY, rate=d("0.05")),))
    # when
    result = calculate(inputs)
    # then
    assert result.ytd_increments["uk_taxable_pay"] == d("2850.00")
    assert result.ytd_increments["uk_ni_pay"] == d("3000.00")
    # 2,850 - 1,048.26 free pay -> 1,801 x 20% = 360.20; NI 8% x (3,000 - 1,048) = 156.16
    assert amount(result, "PAYE") == d("360.20")
    assert amount(result, "NI_EE") == d("156.16")


def test_uk_relief_at_source_pension_deducts_80_percent_after_tax():
    # given: 5% relief-at-source contribution on 3,000.00 = 150.00 gross
    inputs = uk_inputs(items=(PayItem(c.UK_PENSION_RAS, rate=d("0.05")),))
    # when
    result = calculate(inputs)
    # then
    assert amount(result, "PENSION_RAS") == d("120.00")
    assert result.ytd_increments["uk_taxable_pay"] == d("3000.00")
    assert result.lines_in("post_tax_deduction")[0].category == "post_tax_deduction"


def test_garnishment_is_capped_at_a_share_of_disposable_earnings():
    # given: an order for 2,000.00 a month, capped at 25% of disposable earnings
    inputs = us_inputs(items=(PayItem(c.GARNISHMENT, amount=d("2000.00")),))
    # when
    result = calculate(inputs)
    # then: disposable = 5,000.00 - employee taxes
    disposable = d("5000.00") - result.employee_taxes
    assert amount(result, "GARNISH") == (disposable * d("0.25")).quantize(d("0.01"))
    assert "limited by cap" in result.lines_in("post_tax_deduction")[0].trace["formula"]


def test_garnishment_below_cap_is_taken_in_full():
    # given
    inputs = us_inputs(items=(PayItem(c.GARNISHMENT, amount=d("100.00")),))
    # when / then
    assert amount(calculate(inputs), "GARNISH") == d("100.00")


def test_post_tax_deduction_never_takes_more_than_net_pay():
    # given: a loan repayment larger than the whole net pay
    inputs = us_inputs(items=(PayItem(c.LOAN_REPAYMENT, amount=d("9999.00")),))
    # when
    result = calculate(inputs)
    # then
    assert result.net == Decimal("0.00")


def test_non_taxable_reimbursement_is_in_gross_but_untaxed():
    # given
    plain = calculate(us_inputs())
    reimbursed = calculate(us_inputs(items=(PayItem(c.NON_TAXABLE_REIMBURSEMENT,
                                                    amount=d("123.45")),)))
    # then
    assert reimbursed.gross == plain.gross + d("123.45")
    assert reimbursed.net == plain.net + d("123.45")
    assert reimbursed.employee_taxes == plain.employee_taxes


def test_totals_reconcile_exactly_from_lines_with_every_kind_of_component():
    # given
    items = (
        PayItem(c.BONUS, amount=d("1000.00")),
        PayItem(c.COMMISSION, amount=d("333.33")),
        PayItem(c.NON_TAXABLE_REIMBURSEMENT, amount=d("45.67")),
        PayItem(c.US_401K, rate=d("0.06")),
        PayItem(c.US_SECTION_125, amount=d("150.00")),
        PayItem(c.LOAN_REPAYMENT, amount=d("100.00")),
        PayItem(c.EMPLOYER_PENSION, rate=d("0.04")),
    )
    # when
    result = calculate(us_inputs(items=items))
    # then
    def total(*cats):
        return sum((line.amount for line in result.lines if line.category in cats), Decimal(0))
    assert result.gross == total("earning", "reimbursement")
    assert result.net == (result.gross - total("pre_tax_deduction") - total("employee_tax")
                          - total("post_tax_deduction"))
    assert result.employer_cost == result.gross + total("employer_contribution", "employer_tax")
    assert amount(result, "ER_PENSION") == d("200.00")
    assert all(line.amount == line.amount.quantize(d("0.01")) for line in result.lines)


def test_uk_2026_27_is_selected_from_6_april_2026():
    # given
    from datetime import date
    before = calculate(uk_inputs(pay_date=date(2026, 4, 5), period_number=12))
    after = calculate(uk_inputs(pay_date=date(2026, 4, 6)))
    # then
    assert before.tax_year == "2025-26"
    assert after.tax_year == "2026-27"


def test_uk_scottish_code_uses_scottish_bands():
    # given
    rest = calculate(uk_inputs())
    scot = calculate(uk_inputs(uk_tax=UKTaxProfile(tax_code="S1257L")))
    # then: 1,951 taxable; rUK 20% = 390.20; Scotland 2026-27
    #       tax at the basic band top (annual 3,351.53 / 12 = 279.2941, 4 dp truncated) + 21% x
    #       (1,951 - 16,956 / 12 = 1,413.0000) = 279.2941 + 112.98 = 392.2741 -> 392.27
    assert amount(rest, "PAYE") == d("390.20")
    assert amount(scot, "PAYE") == d("392.27")
    assert scot.lines_in("employee_tax")[0].trace["table"]["region"] == "scotland"


def test_every_line_has_a_json_serialisable_trace_with_a_rule():
    import json
    # given
    result = calculate(us_inputs(items=(PayItem(c.US_401K, rate=d("0.05")),)))
    # then
    for line in result.lines:
        json.dumps(line.trace)
        assert line.trace["formula"]
        assert line.trace["rule"]
