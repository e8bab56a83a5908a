"""Tax-year data files: found by jurisdiction and tax year, parsed once per process.

A tax year is a JSON file in ``payroll/engine/data`` carrying ``jurisdiction``, ``tax_year``,
``valid_from`` and ``valid_to``. Adding 2027 is adding ``us_federal_2027.json`` (and tests); nothing
here changes. Each jurisdiction module turns the raw dict into typed tables, also cached.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


class TaxYearNotFound(LookupError):
    """No data file covers the requested jurisdiction and year."""


@cache
def _index() -> dict[tuple[str, str], Path]:
    index: dict[tuple[str, str], Path] = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            doc = json.load(fh)
        index[(doc["jurisdiction"], str(doc["tax_year"]))] = path
    return index


def available_tax_years(jurisdiction: str) -> list[str]:
    return sorted(year for (code, year) in _index() if code == jurisdiction)


@cache
def load(jurisdiction: str, tax_year: str) -> dict[str, Any]:
    """The raw data of one tax year (cached: the file is read once per process)."""
    path = _index().get((jurisdiction, str(tax_year)))
    if path is None:
        raise TaxYearNotFound(
            f"no {jurisdiction} data for tax year {tax_year}; "
            f"have {', '.join(available_tax_years(jurisdiction)) or 'none'}"
        )
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def us_tax_year_for(pay_date: date) -> str:
    """US withholding follows the calendar year in which wages are paid (Pub 15, sec. 9)."""
    return str(pay_date.year)


def uk_tax_year_for(pay_date: date) -> str:
    """The UK tax year runs 6 April to 5 April; it is named by its two calendar years."""
    start = pay_date.year if (pay_date.month, pay_date.day) >= (4, 6) else pay_date.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def uk_tax_week(day: date) -> int:
    """The UK tax week of a date: week 1 is 6-12 April; 5 April (6 April too in a leap year) is
    week 53 (HMRC CWG2; the week a director is appointed in starts their pro-rata period)."""
    start_year = int(uk_tax_year_for(day)[:4])
    return (day - date(start_year, 4, 6)).days // 7 + 1
