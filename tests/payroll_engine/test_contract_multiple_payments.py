"""The contract's inputs for several payments in one period and US supplemental wages."""

import json

import pytest

from payroll.engine.contract import run

UK_BONUS = {"jurisdiction": "UK", "tax_year": "2025-26", "pay_frequency": "monthly",
            "pay_date": "2025-11-28", "tax_code": "1257L", "taxable_pay": "1000.00",
            "ni_category": "A", "period_ni_pay": "3900.00", "period_employee_ni": "228.16",
            "period_employer_ni": "522.45"}
US_BONUS = {"jurisdiction": "US", "tax_year": 2026, "pay_frequency": "biweekly",
            "taxable_wages": "5000.00", "paid_separately": True, "supplemental_method": "flat"}


def _ok(item: dict) -> dict:
    output, status = run(json.dumps(item))
    assert status == 0, output
    return json.loads(output)


def test_uk_payment_with_earlier_payments_in_the_period_pays_ni_on_the_total():
    # given: the bonus after a 3,900 salary in the same tax month (NIM08510)
    # when
    result = _ok(UK_BONUS)
    # then: NI on 4,900 (265.50 / 672.45) less that on 3,900 (228.16 / 522.45)
    assert (result["employee_ni"], result["employer_ni"]) == ("37.34", "150.00")


def test_uk_pay_date_selects_the_tax_period():
    # given: 28 November 2025 is in tax month 8; the same item with "period": 8 is identical
    with_date = _ok(UK_BONUS)
    with_period = _ok({**{k: v for k, v in UK_BONUS.items() if k != "pay_date"}, "period": 8})
    # then
    assert with_date == with_period


@pytest.mark.parametrize(("change", "message"), [
    ({"pay_date": "28/11/2025"}, "pay_date: must be a date (YYYY-MM-DD)"),
    ({"pay_date": "2026-04-06"}, "pay_date: 2026-04-06 is not in tax year 2025-26"),
    ({"period": 7}, "period: the pay date 2025-11-28 is in monthly period 8"),
    ({"period_ni_pay": "lots"}, "period_ni_pay: not a decimal amount"),
])
def test_uk_bad_period_inputs_are_named(change, message):
    # when
    output, status = run(json.dumps({**UK_BONUS, **change}))
    # then
    assert status == 2
    assert json.loads(output) == {"error": message}


def test_us_bonus_paid_separately_at_the_flat_rate():
    # when: Pub 15 s.7 optional flat rate 22% x 5,000
    result = _ok(US_BONUS)
    # then
    assert result["federal_income_tax"] == "1100.00"


def test_us_supplemental_above_one_million_is_37_percent():
    # given: 998,000 of supplemental wages earlier in the year
    result = _ok({**US_BONUS, "ytd_supplemental_wages": "998000"})
    # then: 22% x 2,000 = 440.00 up to 1,000,000, 37% x 3,000 = 1,110.00 above it
    assert result["federal_income_tax"] == "1550.00"


def test_us_supplemental_part_of_a_regular_paycheck():
    # given: weekly 1,000 of which 200 is a bonus, flat method: Worksheet 1A on 800 (41,600 -
    # 8,600 = 33,000: 1,240 + 12% x (33,000 - 19,900) = 2,812 / 52 = 54.08) + 22% x 200 = 44.00
    item = {"jurisdiction": "US", "tax_year": 2026, "pay_frequency": "weekly",
            "taxable_wages": "1000.00", "supplemental_wages": "200.00",
            "supplemental_method": "flat"}
    # then
    assert _ok(item)["federal_income_tax"] == "98.08"


@pytest.mark.parametrize(("change", "message"), [
    ({"paid_separately": False, "supplemental_wages": "6000"},
     "supplemental_wages: must be between 0 and taxable_wages"),
    ({"supplemental_method": "bonus"}, "supplemental_method: must be one of aggregate, flat"),
    ({"paid_separately": "yes"}, "paid_separately: must be true or false"),
])
def test_us_bad_supplemental_inputs_are_named(change, message):
    output, status = run(json.dumps({**US_BONUS, **change}))
    assert status == 2
    assert json.loads(output) == {"error": message}
