"""UK student and postgraduate loans 2026-27 (issue 16 item 2), hand-computed.

HMRC rules (payroll/engine/jurisdictions/uk_student_loans.py): non-cumulative; earnings =
NI-able pay of the period; period threshold = annual / periods truncated to the penny;
deduction = 9% (6% Postgraduate Loan) of the excess, rounded down to the whole pound.
Thresholds 2026-27 (GOV.UK rates and thresholds for employers): Plan 1 26,900, Plan 2 29,385,
Plan 4 33,795, Plan 5 25,000, Postgraduate 21,000.
"""

import json
from decimal import Decimal as D

import pytest

from payroll import engine
from payroll.engine import UKTaxProfile
from payroll.engine.contract import run
from payroll.engine.jurisdictions.uk_student_loans import student_loan_lines
from tests.payroll_engine.builders import uk_inputs


def _loans(**kw):
    args = {"tax_year": "2026-27", "pay_frequency": "monthly", "plan": "", "postgraduate": False}
    return [(ln.code, ln.amount) for ln in student_loan_lines(**(args | kw))]


def test_plan_2_monthly():
    # 29,385 / 12 = 2,448.75; 9% x (3,000 - 2,448.75) = 49.6125 -> 49 (rounded down)
    assert _loans(earnings=D("3000"), plan="plan_2") == [("SL", D("49"))]


def test_plan_1_weekly_threshold_is_truncated_to_the_penny():
    # 26,900 / 52 = 517.3076.. -> 517.30; 9% x (600 - 517.30) = 7.443 -> 7
    assert _loans(earnings=D("600"), plan="plan_1", pay_frequency="weekly") == [("SL", D("7"))]


def test_plan_4_and_plan_5_monthly():
    # Plan 4: 33,795 / 12 = 2,816.25; 9% x 1,183.75 = 106.5375 -> 106
    assert _loans(earnings=D("4000"), plan="plan_4") == [("SL", D("106"))]
    # Plan 5: 25,000 / 12 = 2,083.33; 9% x 1,916.67 = 172.5003 -> 172
    assert _loans(earnings=D("4000"), plan="plan_5") == [("SL", D("172"))]


def test_postgraduate_loan_is_deducted_alongside_a_plan():
    # PGL: 21,000 / 12 = 1,750.00; 6% x 1,250 = 75
    assert _loans(earnings=D("3000"), plan="plan_2", postgraduate=True) == [
        ("SL", D("49")), ("PGL", D("75"))]


def test_below_the_threshold_deducts_nothing_non_cumulatively():
    assert _loans(earnings=D("2000"), plan="plan_2") == [("SL", D("0"))]


def test_plan_5_deductions_start_in_2026_27():
    assert _loans(earnings=D("4000"), plan="plan_5", tax_year="2025-26") == []


def test_a_payslip_deducts_the_loan_and_records_it_in_the_year_to_date():
    # 36,000 a year = 3,000.00 in the month; Plan 2 49.00 and Postgraduate 75.00
    inputs = uk_inputs(uk_tax=UKTaxProfile(student_loan_plan="plan_2", postgraduate_loan=True))
    plain = engine.calculate(uk_inputs())
    result = engine.calculate(inputs)
    assert {ln.code: ln.amount for ln in result.lines if ln.code in ("SL", "PGL")} == {
        "SL": D("49"), "PGL": D("75")}
    assert result.net == plain.net - D("124")
    assert result.ytd_increments["uk_student_loan"] == D("49")
    assert result.ytd_increments["uk_postgraduate_loan"] == D("75")
    assert "uk_student_loan" not in plain.ytd_increments
    sl = next(ln for ln in result.lines if ln.code == "SL")
    assert sl.trace["table"]["period_threshold"] == "2448.75" and "rounded down" in sl.trace["rule"]


def test_contract_gives_student_and_postgraduate_loans():
    item = {"jurisdiction": "UK", "tax_year": "2026-27", "pay_frequency": "monthly",
            "period": 1, "tax_code": "1257L", "taxable_pay": "3000.00",
            "student_loan_plan": "plan_2", "postgraduate_loan": True}
    output, status = run(json.dumps(item))
    assert status == 0
    result = json.loads(output)
    assert (result["student_loan"], result["postgraduate_loan"]) == ("49.00", "75.00")


@pytest.mark.parametrize(("change", "message"), [
    ({"student_loan_plan": "plan_3"}, "student_loan_plan: must be one of plan_1, plan_2"),
    ({"postgraduate_loan": "yes"}, "postgraduate_loan: must be true or false"),
])
def test_contract_refuses_a_bad_loan_field(change, message):
    item = {"jurisdiction": "UK", "tax_year": "2026-27", "pay_frequency": "monthly",
            "period": 1, "tax_code": "1257L", "taxable_pay": "3000.00", **change}
    output, status = run(json.dumps(item))
    assert status == 2 and json.loads(output)["error"].startswith(message)
