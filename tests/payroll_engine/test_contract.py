import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from payroll.engine.contract import run

US_ITEM = {"jurisdiction": "US", "tax_year": 2026, "pay_frequency": "weekly",
           "taxable_wages": "1000.00", "ytd_fica_wages": "0",
           "w4": {"form_year": 2020, "filing_status": "single"}}
UK_ITEM = {"jurisdiction": "UK", "tax_year": "2026-27", "pay_frequency": "monthly", "period": 1,
           "tax_code": "1257L", "taxable_pay": "3000.00", "ni_category": "A",
           "ytd_taxable_pay": "0", "ytd_tax_paid": "0"}
REPO = Path(__file__).resolve().parents[2]


def test_single_us_object_gives_all_outputs_as_two_decimal_strings():
    # when
    output, status = run(json.dumps(US_ITEM))
    # then
    assert status == 0
    assert json.loads(output) == {
        "federal_income_tax": "78.08", "social_security": "62.00", "medicare": "14.50",
        "additional_medicare": "0.00", "employer_social_security": "62.00",
        "employer_medicare": "14.50"}


def test_uk_object_gives_tax_and_ni():
    output, status = run(json.dumps(UK_ITEM))
    assert status == 0
    assert json.loads(output) == {"income_tax": "390.20", "employee_ni": "156.16",
                                  "employer_ni": "387.45"}


@pytest.mark.parametrize(("change", "message"), [
    ({"taxable_wages": "12,00"}, "taxable_wages: not a decimal amount"),
    ({"taxable_wages": None}, "taxable_wages: required"),
    ({"pay_frequency": "fortnightly"}, "pay_frequency: must be one of"),
    ({"tax_year": 2031}, "tax_year: no US data for 2031"),
    ({"w4": {"form_year": 2020, "filing_status": "married"}}, "w4.filing_status: must be one of"),
    ({"w4": {"form_year": 2019, "allowances": "two"}}, "w4.allowances: must be a whole number"),
    ({"ytd_fica_wages": "lots"}, "ytd_fica_wages: not a decimal amount"),
    ({"jurisdiction": "FR"}, "jurisdiction: must be one of US, UK"),
])
def test_bad_us_input_names_the_field_and_exits_2(change, message):
    # when
    output, status = run(json.dumps(US_ITEM | change))
    # then
    assert status == 2
    assert json.loads(output)["error"].startswith(message)


@pytest.mark.parametrize(("change", "message"), [
    ({"tax_code": "12X57"}, "tax_code: not a valid tax code"),
    ({"ni_category": "Q"}, "ni_category:"),
    ({"period": 13}, "period: must be 1 to 12"),
    ({"taxable_pay": 1.5}, None),  # a JSON number is read exactly (parse_float=Decimal): fine
])
def test_bad_uk_input_names_the_field(change, message):
    output, status = run(json.dumps(UK_ITEM | change))
    if message is None:
        assert status == 0
    else:
        assert status == 2
        assert json.loads(output)["error"].startswith(message)


def test_mixed_list_keeps_order_computes_good_items_and_exits_2():
    # given
    items = [US_ITEM, US_ITEM | {"taxable_wages": "abc"}, UK_ITEM, "not an object"]
    # when
    output, status = run(json.dumps(items))
    # then
    results = json.loads(output)
    assert status == 2
    assert results[0]["federal_income_tax"] == "78.08"
    assert results[1] == {"error": "taxable_wages: not a decimal amount"}
    assert results[2]["income_tax"] == "390.20"
    assert results[3] == {"error": "item: must be a JSON object"}


def test_invalid_json_is_bad_input():
    output, status = run("{nope")
    assert status == 2
    assert json.loads(output) == {"error": "input: not valid JSON"}


def test_explain_adds_traces():
    output, _ = run(json.dumps(US_ITEM | {"explain": True}))
    trace = json.loads(output)["trace"]["federal_income_tax"]
    assert "4,060.00; / 52 = 78.0769" in trace["formula"]
    assert trace["rule"].startswith("IRS Pub 15-T 2026, Worksheet 1A")


def test_management_command_prints_results_and_fails_with_status_2_on_bad_input():
    # given
    good, bad = io.StringIO(json.dumps(US_ITEM)), io.StringIO(json.dumps([UK_ITEM, {}]))
    out = io.StringIO()
    # when
    call_command("payroll_calc", stdin=good, stdout=out)
    # then
    assert json.loads(out.getvalue())["federal_income_tax"] == "78.08"
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("payroll_calc", stdin=bad, stdout=out)
    assert excinfo.value.returncode == 2
    assert json.loads(out.getvalue())[1] == {"error": "jurisdiction: required"}


def test_manage_py_payroll_calc_subprocess_exit_status():
    # given / when
    proc = subprocess.run(
        [sys.executable, "manage.py", "payroll_calc"], input=json.dumps([US_ITEM, {"x": 1}]),
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "hrops.settings"},
    )
    # then
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)[0]["medicare"] == "14.50"
