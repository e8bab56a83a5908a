"""The calculation contract behind ``python manage.py payroll_calc``.

``run(text)`` takes one JSON object or a list of them and returns ``(output JSON, exit status)``.
Each item is computed on its own: a bad item becomes ``{"error": "<field>: <problem>"}`` and makes
the exit status 2, while the other items are still computed. Amounts are strings with two decimals.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.engine.jurisdictions.uk_ni import (
    NiCategoryError,
    class1_ni_in_period,
    director_class1_ni,
)
from payroll.engine.jurisdictions.uk_paye import TaxCodeError, paye_tax
from payroll.engine.jurisdictions.uk_student_loans import PLANS, student_loan_lines
from payroll.engine.jurisdictions.us_federal import (
    FILING_STATUSES,
    SupplementalPosition,
    federal_income_tax,
    fica,
    supplemental_income_tax,
)
from payroll.engine.money import MoneyError, to_decimal
from payroll.engine.statutory.rates import StatutoryRatesNotFound
from payroll.engine.tax_years import (
    TaxYearNotFound,
    available_tax_years,
    uk_tax_period,
    uk_tax_year_for,
)
from payroll.engine.types import USW4, PayLine, UKDirector

EXIT_OK = 0
EXIT_BAD_INPUT = 2
US_FREQUENCIES = ("daily", "weekly", "biweekly", "semimonthly", "monthly", "quarterly",
                  "semiannual", "annual")
# Tax periods in a UK year, plus the "week 53" style extra period HMRC allows.
UK_PERIODS = {"weekly": 53, "fortnightly": 27, "four_weekly": 14, "monthly": 12}


class InputError(ValueError):
    """A bad field; the message names it (``"taxable_wages: not a decimal amount"``)."""


def _amount(obj: dict[str, Any], name: str, default: str | None = None, where: str = "") -> Decimal:
    if name not in obj or obj[name] is None:
        if default is None:
            raise InputError(f"{where}{name}: required")
        return Decimal(default)
    try:
        return to_decimal(obj[name])
    except MoneyError as exc:
        raise InputError(f"{where}{name}: not a decimal amount") from exc


def _choice(obj: dict[str, Any], name: str, choices, default: str | None = None,
            where: str = "") -> str:
    value = obj.get(name, default)
    if value is None:
        raise InputError(f"{where}{name}: required")
    if value not in choices:
        raise InputError(f"{where}{name}: must be one of {', '.join(choices)}")
    return value


def _flag(obj: dict[str, Any], name: str, where: str = "") -> bool:
    value = obj.get(name, False)
    if not isinstance(value, bool):
        raise InputError(f"{where}{name}: must be true or false")
    return value


def _integer(obj: dict[str, Any], name: str, default: int | None = None, where: str = "") -> int:
    value = obj.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}{name}: must be a whole number")
    return value


def _tax_year(item: dict[str, Any], jurisdiction: str) -> str:
    value = item.get("tax_year")
    if value is None:
        raise InputError("tax_year: required")
    year = str(value)
    if year not in available_tax_years(jurisdiction):
        have = ", ".join(available_tax_years(jurisdiction))
        raise InputError(f"tax_year: no {jurisdiction} data for {year} (have {have})")
    return year


def _w4(raw: Any) -> USW4:
    if raw is None:
        return USW4()  # Pub 15-T: no Form W-4 on file -> Single, no adjustments
    if not isinstance(raw, dict):
        raise InputError("w4: must be an object")
    w = "w4."
    form_year = _integer(raw, "form_year", 2020, w)
    nra = _flag(raw, "nonresident_alien", w)
    if form_year >= 2020:
        return USW4(
            form_year=form_year,
            filing_status=_choice(raw, "filing_status", sorted(FILING_STATUSES), "single", w),
            step2_checkbox=_flag(raw, "step2_checkbox", w),
            step3_credits=_amount(raw, "step3_credits", "0", w),
            step4a_other_income=_amount(raw, "step4a_other_income", "0", w),
            step4b_deductions=_amount(raw, "step4b_deductions", "0", w),
            step4c_extra_withholding=_amount(raw, "step4c_extra_withholding", "0", w),
            exempt=_flag(raw, "exempt", w),
            nonresident_alien=nra,
        )
    allowances = _integer(raw, "allowances", 0, w)
    if allowances < 0:
        raise InputError("w4.allowances: must not be negative")
    return USW4(
        form_year=form_year,
        marital_status=_choice(raw, "marital_status", ("single", "married"), "single", w),
        allowances=allowances,
        extra_withholding=_amount(raw, "extra_withholding", "0", w),
        nonresident_alien=nra,
    )


def _us(item: dict[str, Any]) -> list[PayLine]:
    tax_year = _tax_year(item, "US")
    freq = _choice(item, "pay_frequency", US_FREQUENCIES)
    wages = _amount(item, "taxable_wages")
    fica_wages = _amount(item, "fica_wages", str(wages))
    ytd = _amount(item, "ytd_fica_wages", "0")
    w4 = _w4(item.get("w4"))
    whole_dollar = _flag(item, "whole_dollar")
    separately = _flag(item, "paid_separately")
    supplemental = wages if separately else _amount(item, "supplemental_wages", "0")
    if supplemental < 0 or supplemental > max(wages, Decimal(0)):
        raise InputError("supplemental_wages: must be between 0 and taxable_wages")
    if supplemental:
        last = item.get("last_regular_wages")
        position = SupplementalPosition(
            method=_choice(item, "supplemental_method", ("aggregate", "flat"), "aggregate"),
            paid_separately=separately,
            ytd_supplemental=_amount(item, "ytd_supplemental_wages", "0"),
            last_regular_wages=None if last is None else _amount(item, "last_regular_wages"),
            last_regular_tax=_amount(item, "last_regular_income_tax", "0"))
        fit = supplemental_income_tax(
            tax_year=tax_year, pay_frequency=freq, regular_wages=wages - supplemental,
            supplemental_wages=supplemental, w4=w4, whole_dollar=whole_dollar,
            position=position)
    else:
        fit = federal_income_tax(tax_year=tax_year, pay_frequency=freq, taxable_wages=wages,
                                 w4=w4, whole_dollar=whole_dollar)
    return [fit, *fica(tax_year=tax_year, fica_wages=fica_wages, ytd_fica_wages=ytd)]


def _director(raw: Any) -> UKDirector | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError("director: must be an object")
    d = "director."
    method = _choice(raw, "method", ("annual", "alternative"), "annual", d)
    week = raw.get("appointed_week")
    if week is not None:
        week = _integer(raw, "appointed_week", where=d)
        if not 1 <= week <= 53:
            raise InputError("director.appointed_week: must be 1 to 53")
    return UKDirector(method=method, appointed_week=week,  # type: ignore[arg-type]
                      final_period=_flag(raw, "final_period", d))


def _ni(item: dict[str, Any], tax_year: str, freq: str, ni_pay: Decimal) -> tuple[PayLine, ...]:
    category = str(item.get("ni_category", "A"))
    director = _director(item.get("director"))
    # Other payments already made in this earnings period (before this one): NI is worked on
    # the period's total (NIM08510); for directors only under alternative arrangements.
    period = {"ni_pay": _amount(item, "period_ni_pay", "0"),
              "employee_ni": _amount(item, "period_employee_ni", "0"),
              "employer_ni": _amount(item, "period_employer_ni", "0")}
    try:
        if director is None:
            return class1_ni_in_period(
                tax_year=tax_year, pay_frequency=freq, category=category, ni_pay=ni_pay,
                paid_ni_pay=period["ni_pay"], paid_employee_ni=period["employee_ni"],
                paid_employer_ni=period["employer_ni"])
        return director_class1_ni(
            tax_year=tax_year, pay_frequency=freq, category=category, ni_pay=ni_pay,
            director=director, ytd_ni_pay=_amount(item, "ytd_ni_pay", "0"),
            ytd_employee_ni=_amount(item, "ytd_employee_ni", "0"),
            ytd_employer_ni=_amount(item, "ytd_employer_ni", "0"),
            period_ni_pay=period["ni_pay"], period_employee_ni=period["employee_ni"],
            period_employer_ni=period["employer_ni"])
    except NiCategoryError as exc:
        raise InputError(f"ni_category: {exc}") from exc


US_OUTPUT = {"FIT": "federal_income_tax", "SS": "social_security", "MEDICARE": "medicare",
             "ADDL_MEDICARE": "additional_medicare", "ER_SS": "employer_social_security",
             "ER_MEDICARE": "employer_medicare"}
UK_OUTPUT = {"PAYE": "income_tax", "NI_EE": "employee_ni", "NI_ER": "employer_ni",
             "SL": "student_loan", "PGL": "postgraduate_loan"}


def _uk_period(item: dict[str, Any], tax_year: str, freq: str) -> int:
    """``period``, or the tax period of ``pay_date`` (PAYE and NI go by the pay date's period)."""
    raw = item.get("pay_date")
    if raw is None:
        return _integer(item, "period")
    try:
        pay_date = date.fromisoformat(str(raw))
    except ValueError as exc:
        raise InputError("pay_date: must be a date (YYYY-MM-DD)") from exc
    if uk_tax_year_for(pay_date) != tax_year:
        raise InputError(f"pay_date: {pay_date} is not in tax year {tax_year}")
    period = uk_tax_period(pay_date, freq)
    if "period" in item and item["period"] != period:
        raise InputError(f"period: the pay date {pay_date} is in {freq} period {period}")
    return period


def _uk(item: dict[str, Any]) -> list[PayLine]:
    tax_year = _tax_year(item, "UK")
    freq = _choice(item, "pay_frequency", tuple(UK_PERIODS))
    period = _uk_period(item, tax_year, freq)
    if not 1 <= period <= UK_PERIODS[freq]:
        raise InputError(f"period: must be 1 to {UK_PERIODS[freq]} for {freq} pay")
    tax_code = item.get("tax_code", "")
    if not isinstance(tax_code, str):
        raise InputError("tax_code: not a valid tax code")
    taxable = _amount(item, "taxable_pay")
    ni_pay = _amount(item, "ni_pay", str(taxable))
    try:
        paye = paye_tax(
            tax_year=tax_year, tax_code=tax_code, week1_month1=_flag(item, "week1_month1"),
            pay_frequency=freq, period=period, taxable_pay=taxable,
            ytd_taxable_pay=_amount(item, "ytd_taxable_pay", "0"),
            ytd_tax_paid=_amount(item, "ytd_tax_paid", "0"),
            period_taxable_pay=_amount(item, "period_taxable_pay", "0"),
            period_tax_paid=_amount(item, "period_tax_paid", "0"),
        )
    except TaxCodeError as exc:
        raise InputError(f"tax_code: not a valid tax code ({exc})") from exc
    plan = item.get("student_loan_plan", "")
    if plan not in ("", *PLANS):
        raise InputError(f"student_loan_plan: must be one of {', '.join(PLANS)}")
    loans = student_loan_lines(tax_year=tax_year, pay_frequency=freq, earnings=ni_pay,
                               plan=plan, postgraduate=_flag(item, "postgraduate_loan"))
    return [paye, *_ni(item, tax_year, freq, ni_pay), *loans]


def calculate_item(item: Any) -> dict[str, Any]:
    """One contract item -> its result dict (raises InputError for bad input)."""
    if not isinstance(item, dict):
        raise InputError("item: must be a JSON object")
    if item.get("calculation") == "statutory_pay":  # UK SSP / SMP / SPP / SAP / ShPP
        from payroll.engine.statutory.contract import statutory_item

        return statutory_item(item)
    jurisdiction = _choice(item, "jurisdiction", ("US", "UK"))
    lines, names = (_us(item), US_OUTPUT) if jurisdiction == "US" else (_uk(item), UK_OUTPUT)
    result: dict[str, Any] = {}
    if "id" in item:
        result["id"] = item["id"]
    result |= {names[line.code]: f"{line.amount:.2f}" for line in lines}
    if item.get("explain") is True:
        result["trace"] = {names[line.code]: line.trace for line in lines}
    return result


def _one(item: Any) -> tuple[dict[str, Any], bool]:
    try:
        return calculate_item(item), True
    except InputError as exc:
        return {"error": str(exc)}, False
    except TaxYearNotFound as exc:
        return {"error": f"tax_year: {exc}"}, False
    except StatutoryRatesNotFound as exc:
        return {"error": f"period_end: {exc}"}, False


def run(text: str) -> tuple[str, int]:
    """Compute one JSON object or a list of them; returns (JSON text, exit status 0 or 2)."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError:
        return json.dumps({"error": "input: not valid JSON"}), EXIT_BAD_INPUT
    if isinstance(data, list):
        pairs = [_one(item) for item in data]
        ok = all(good for _, good in pairs)
        return json.dumps([result for result, _ in pairs], indent=1), (
            EXIT_OK if ok else EXIT_BAD_INPUT
        )
    result, ok = _one(data)
    return json.dumps(result, indent=1), EXIT_OK if ok else EXIT_BAD_INPUT
