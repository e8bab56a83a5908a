"""Tax-year data files: found by jurisdiction and tax year, parsed once per process.

A tax year is a JSON file in ``payroll/engine/data`` carrying ``jurisdiction``, ``tax_year``,
``valid_from`` and ``valid_to``. Adding 2027 is adding ``us_federal_2027.json`` (and tests); nothing
here changes. Each jurisdiction module turns the raw dict into typed tables, also cached.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
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


# Tax weeks per UK pay period: a fortnightly period n covers tax weeks 2n-1 and 2n, a four-weekly
# one weeks 4n-3 to 4n (HMRC spec: fortnightly period n is tax week 2n, four-weekly 4n).
UK_WEEKS_PER_PERIOD = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}


def uk_tax_month(day: date) -> int:
    """The UK tax month of a date: month 1 is 6 April to 5 May, month 12 is 6 March to 5 April."""
    return (day.month - (4 if day.day >= 6 else 5)) % 12 + 1


def uk_tax_period(pay_date: date, frequency: str) -> int:
    """The tax period a payment belongs to: that of its PAY DATE (HMRC: PAYE and NI are worked
    in the tax week / month in which the payment is made, whatever period it is for). Weekly:
    the tax week (53 after week 52); fortnightly / four-weekly: the period whose weeks hold the
    pay date's tax week; monthly: the tax month."""
    if frequency == "monthly":
        return uk_tax_month(pay_date)
    width = UK_WEEKS_PER_PERIOD[frequency]
    return (uk_tax_week(pay_date) + width - 1) // width


def uk_tax_period_bounds(pay_date: date, frequency: str) -> tuple[date, date]:
    """First and last day of the tax period of ``pay_date``: the NI earnings period in which
    every payment is aggregated (CWG2 "more than one payment in an earnings period")."""
    start_year = int(uk_tax_year_for(pay_date)[:4])
    year_end = date(start_year + 1, 4, 5)
    if frequency == "monthly":
        month = uk_tax_month(pay_date)
        first = date(start_year + (month + 2) // 12, (month + 2) % 12 + 1, 6)
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 6)
        return first, nxt - timedelta(days=1)
    width = UK_WEEKS_PER_PERIOD[frequency] * 7
    n = uk_tax_period(pay_date, frequency)
    first = date(start_year, 4, 6) + timedelta(days=(n - 1) * width)
    return first, min(first + timedelta(days=width - 1), year_end)
