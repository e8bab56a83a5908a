"""payroll_calc: {"calculation": "statutory_pay", ...} gives the statutory pay lines."""

import json

from payroll.engine.contract import run

ITEM = {"calculation": "statutory_pay", "id": "emp-1", "period_end": "2026-11-30",
        "pay_frequency": "monthly", "hire_date": "2024-01-08", "qualifying_days": [0, 1, 2, 3, 4],
        "absences": [{"kind": "sickness", "first_day": "2026-11-02", "last_day": "2026-11-13"}],
        "payments": [{"pay_date": f"2026-{m:02d}-25", "amount": "2000.00"} for m in (8, 9, 10)]}


def test_ssp_through_the_contract():
    output, status = run(json.dumps(ITEM))
    assert status == 0
    result = json.loads(output)
    assert result["id"] == "emp-1" and result["not_due"] == []
    [line] = result["lines"]
    # 10 qualifying days x 123.25 / 5 (AWE 461.54: the flat rate)
    assert (line["code"], line["amount"], line["recovered"]) == ("SSP", "246.50", "0.00")
    assert line["description"] == "SSP 2 \u2013 13 Nov (10 days)"


def test_smp_with_small_employer_relief_and_explain():
    item = {**ITEM, "small_employer_relief": True, "explain": True,
            "payments": [{"pay_date": f"2026-{m:02d}-25", "amount": "2000.00"}
                         for m in range(1, 7)],
            "absences": [{"kind": "maternity", "first_day": "2026-10-05",
                          "expected_week": "2026-10-18"}]}
    result = json.loads(run(json.dumps(item))[0])
    first = result["lines"][0]
    # 100% recovered plus 8.5% compensation for payments from 6 April 2025 (Small Employers'
    # Relief; 3% before): 2,492.31 x 0.085 = 211.846 -> 211.85
    assert (first["amount"], first["recovered"], first["nic_compensation"]) == (
        "2492.31", "2492.31", "211.85")
    assert "rule" in first["trace"]


def test_bad_fields_are_named():
    bad = {**ITEM, "absences": [{"kind": "holiday", "first_day": "2026-11-02"}]}
    output, status = run(json.dumps([bad, {**ITEM, "period_end": "30/11/2026"},
                                     {**ITEM, "qualifying_days": [7]}]))
    assert status == 2
    errors = [r["error"] for r in json.loads(output)]
    assert errors[0].startswith("absences[0].kind: must be one of")
    assert errors[1] == "period_end: must be a date (YYYY-MM-DD)"
    assert errors[2].startswith("qualifying_days:")


def test_a_year_without_rates_is_an_error():
    item = {**ITEM, "period_end": "2027-11-30",
            "absences": [{"kind": "sickness", "first_day": "2027-11-02"}]}
    output, status = run(json.dumps(item))
    assert status == 2 and "2027-28" in json.loads(output)["error"]
