"""Every row of HMRC's 2025-26 test data and the IRS-derived US cases, through the contract."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from payroll.engine.contract import run

from .reference import reference_params

HMRC_FREQUENCIES = {"Weekly": "weekly", "Fortnightly": "fortnightly",
                    "FourWeekly": "four_weekly", "Monthly": "monthly"}

# The engine works HMRC's computerised method to the letter: the cumulative band limits AND the
# tax at each band top are pro-rated to period n and truncated to 4 decimal places, then tax to
# date is truncated to the penny (uk_paye._band_tops). That gives 162 of the 168 rows exactly,
# including rows such as 1257L month 4 (taxable 43,708: 14,172.0000 + 45% x (43,708 -
# 41,713.3333) = 15,069.600015 -> 15,069.60) that a per-band truncation would put 1p LOW.
# Six Scottish rows remain where HMRC's figure is 1p below the exact one, e.g. S45L month 1:
# tax at the intermediate band top 6,351.84 / 12 = 529.32 exactly and its limit 31,092 / 12 =
# 2,591 exactly (no truncation to make), + 42% x (3,125 - 2,591) = 224.28 -> 753.60, HMRC
# 753.59. Worked in exact fractions with no rounding but the final penny, every other banded
# row gives HMRC's figure: HMRC's rUK and Welsh figures never fall below the exact value, its
# Scottish figures fall 1p below it in exactly these six, all in months 1, 2, 4 and 8, where a
# pro-rated Scottish band width does not terminate (months 3 and 6, where it does, are exact).
# No single rule does both: summing per-band pro-rated taxes each truncated to 4 dp gives all 6
# Scottish rows but puts 14 rUK/Welsh rows 1p low (e.g. 45L month 1, taxable 10,462:
# 628.3333 + 2,914.6666 + 45% x 33.6667 -> 3,558.14, HMRC 3,558.15); a search of 80,600
# combinations of limit / band-width / band-tax rounding (truncate, up, half-up, half-down,
# half-even, none) at 2-6 dp and pound-rounded band selection found none that gives all 168 (the
# best we found leaves 2, by rounding partial-band tax UP, which no spec says). The only thing
# that reproduces all 168 is per-band truncation for Scottish codes alone, which no HMRC text we
# could find describes, so the engine does not do it. Payetools, whose JSON form of this data we
# use, works bands the same cumulative way and only logs its variances (its bulk income tax
# test's assertion is disabled). HMRC accepts a 1p difference from
# its test data (shared/data/payroll/README.md). Only these rows may differ, and only by exactly
# +1p.
HMRC_PAYE_ONE_PENNY_ROWS = {
    "2025 - 26 Scottish tax v1.0/Gen_cumul_mthly/4",
    "2025 - 26 Scottish tax v1.0/Gen_cumul_mthly/8",
    "2025 - 26 Scottish tax v1.0/Gen_W1M1_mthly/3",
    "2025 - 26 Scottish tax v1.0/Gen_W1M1_mthly/4",
    "2025 - 26 Scottish tax v1.0/K_cumul_mthly/1",
    "2025 - 26 Scottish tax v1.0/K_cumul_mthly/2",
}


def _money(value: float | int) -> Decimal:
    # The reference JSON holds numbers; str() of the parsed value is the published figure.
    return Decimal(str(value))


def _contract(item: dict) -> dict:
    output, status = run(json.dumps(item))
    assert status == 0, output
    return json.loads(output)


@pytest.mark.parametrize("row", reference_params("hmrc_paye_tax_test_data_2025_26.json",
                                                 "TestIdentifier"))
def test_hmrc_paye_test_data_row(row: dict) -> None:
    # given: HMRC's row translated to the contract (YTD figures are BEFORE this period)
    gross = _money(row["GrossPay"])
    item = {
        "jurisdiction": "UK",
        "tax_year": "2025-26",
        "pay_frequency": HMRC_FREQUENCIES[row["PayFrequency"]],
        "period": row["Period"],
        "tax_code": row["TaxCode"],
        "week1_month1": row["W1M1Flag"],
        "taxable_pay": str(gross),
        "ytd_taxable_pay": str(_money(row["TaxablePayToDate"]) - gross),
        "ytd_tax_paid": str(_money(row["TaxDueToDate"]) - _money(row["TaxDueInPeriod"])),
    }
    # when
    result = _contract(item)
    # then
    expected = _money(row["TaxDueInPeriod"])
    difference = Decimal(result["income_tax"]) - expected
    if row["TestIdentifier"] in HMRC_PAYE_ONE_PENNY_ROWS:
        assert difference == Decimal("0.01")
    else:
        assert difference == 0, f"got {result['income_tax']}, HMRC {expected}"


@pytest.mark.parametrize("row", reference_params("hmrc_nic_test_data_2025_26.json",
                                                 "TestIdentifier"))
def test_hmrc_nic_test_data_row(row: dict) -> None:
    # given
    item = {
        "jurisdiction": "UK",
        "tax_year": "2025-26",
        "pay_frequency": HMRC_FREQUENCIES[row["PayFrequency"]],
        "period": max(1, row["Period"]),  # NI is per period; 4 rows carry period 0
        "tax_code": "1257L",
        "taxable_pay": str(_money(row["GrossPay"])),
        "ni_category": row["NiCategory"],
    }
    # when
    result = _contract(item)
    # then
    assert Decimal(result["employee_ni"]) == _money(row["EmployeeNiContribution"])
    assert Decimal(result["employer_ni"]) == _money(row["EmployerNiContribution"])


@pytest.mark.parametrize("case", reference_params("us_federal_2026_sample_cases.json", "id"))
def test_us_sample_case(case: dict) -> None:
    # given
    inputs, w4 = case["inputs"], case["inputs"]["w4"]
    if w4["w4_version"] == "2020+":
        contract_w4 = {
            "form_year": 2020,
            "filing_status": w4["filing_status"],
            "step2_checkbox": w4["step2_checkbox"],
            "step3_credits": str(w4["step3_credits"]),
            "step4a_other_income": str(w4["step4a_other_income"]),
            "step4b_deductions": str(w4["step4b_deductions"]),
            "step4c_extra_withholding": str(w4["step4c_extra_per_period"]),
        }
    else:
        contract_w4 = {"form_year": 2019, "marital_status": w4["marital_status"],
                       "allowances": w4["allowances"], "extra_withholding": str(w4["line6_extra"])}
    item = {"jurisdiction": "US", "tax_year": case["tax_year"],
            "pay_frequency": inputs["pay_frequency"],
            "taxable_wages": inputs["gross_this_period"],
            "ytd_fica_wages": inputs["ytd_fica_wages_before"], "w4": contract_w4}
    # when
    result = _contract(item)
    # then
    for field, expected in case["expected"].items():
        assert result[field] == expected, field
