import json

import pytest

from payroll.engine.contract import run

DIRECTOR = {"jurisdiction": "UK", "tax_year": "2025-26", "pay_frequency": "monthly",
            "period": 4, "tax_code": "1257L", "taxable_pay": "4000.00", "ni_category": "A",
            "ytd_taxable_pay": "12000.00", "ytd_tax_paid": "1000.00",
            "director": {"method": "annual"}, "ytd_ni_pay": "12000.00",
            "ytd_employee_ni": "0.00", "ytd_employer_ni": "1050.00"}


def _ni(item):
    output, status = run(json.dumps(item))
    assert status == 0, output
    result = json.loads(output)
    return result["employee_ni"], result["employer_ni"]


def test_annual_director_month_4():
    # cumulative 16,000: employee 8% x (16,000 - 12,570) = 274.40 - 0 paid;
    # employer 15% x (16,000 - 5,000) = 1,650.00 - 1,050.00 paid = 600.00
    assert _ni(DIRECTOR) == ("274.40", "600.00")


def test_pro_rata_director():
    # appointed week 30 (23 weeks): PT 5,560, ST 2,212; first payment 3,000:
    # employee 0; employer 15% x (3,000 - 2,212) = 118.20
    item = DIRECTOR | {"taxable_pay": "3000.00", "ytd_ni_pay": "0", "ytd_employer_ni": "0",
                       "director": {"method": "annual", "appointed_week": 30}}
    assert _ni(item) == ("0.00", "118.20")


def test_alternative_director_per_period_then_final():
    # per period: 8% x (4,000 - 1,048) = 236.16; 15% x (4,000 - 417) = 537.45
    item = DIRECTOR | {"director": {"method": "alternative"}}
    assert _ni(item) == ("236.16", "537.45")
    # final period (month 12): cumulative 48,000 after 11 x 236.16 / 537.45 paid:
    # 2,834.40 - 2,597.76 = 236.64; 6,450.00 - 5,911.95 = 538.05
    final = DIRECTOR | {"period": 12, "ytd_ni_pay": "44000.00", "ytd_employee_ni": "2597.76",
                        "ytd_employer_ni": "5911.95",
                        "director": {"method": "alternative", "final_period": True}}
    assert _ni(final) == ("236.64", "538.05")


def test_without_director_the_ytd_ni_fields_change_nothing():
    plain = {k: v for k, v in DIRECTOR.items() if k != "director"}
    assert _ni(plain) == ("236.16", "537.45")


def test_explain_traces_the_director_calculation():
    output, _ = run(json.dumps(DIRECTOR | {"explain": True}))
    trace = json.loads(output)["trace"]["employer_ni"]
    assert trace["table"]["ST"] == "5,000.00"
    assert trace["director"]["due_to_date"] == "1,650.00"


@pytest.mark.parametrize(("change", "message"), [
    ({"director": "yes"}, "director: must be an object"),
    ({"director": {"method": "monthly"}}, "director.method: must be one of annual, alternative"),
    ({"director": {"appointed_week": 0}}, "director.appointed_week: must be 1 to 53"),
    ({"director": {"appointed_week": "30"}}, "director.appointed_week: must be a whole number"),
    ({"director": {"final_period": "yes"}}, "director.final_period: must be true or false"),
    ({"ytd_ni_pay": "12,000"}, "ytd_ni_pay: not a decimal amount"),
    ({"ytd_employee_ni": [1]}, "ytd_employee_ni: not a decimal amount"),
    ({"ytd_employer_ni": "x"}, "ytd_employer_ni: not a decimal amount"),
    ({"ni_category": "Q"}, "ni_category:"),
])
def test_bad_director_input_names_the_field_and_exits_2(change, message):
    output, status = run(json.dumps(DIRECTOR | change))
    assert status == 2
    assert json.loads(output)["error"].startswith(message)
