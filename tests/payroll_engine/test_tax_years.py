from datetime import date

import pytest

from payroll.engine import calculate
from payroll.engine.tax_years import (
    TaxYearNotFound,
    available_tax_years,
    load,
    uk_tax_year_for,
    us_tax_year_for,
)

from .builders import us_inputs


@pytest.mark.parametrize(("pay_date", "expected"), [
    (date(2026, 4, 5), "2025-26"),
    (date(2026, 4, 6), "2026-27"),
    (date(2027, 1, 15), "2026-27"),
    (date(2027, 4, 6), "2027-28"),
])
def test_uk_tax_year_runs_6_april_to_5_april(pay_date, expected):
    assert uk_tax_year_for(pay_date) == expected


def test_us_tax_year_is_the_calendar_year_of_payment():
    assert us_tax_year_for(date(2026, 12, 31)) == "2026"
    assert us_tax_year_for(date(2027, 1, 1)) == "2027"


def test_shipped_data_files_are_discovered():
    assert available_tax_years("US") == ["2026"]
    assert available_tax_years("UK") == ["2025-26", "2026-27"]


def test_data_file_is_parsed_once_and_cached():
    assert load("UK", "2026-27") is load("UK", "2026-27")


def test_pay_date_without_a_data_file_fails_clearly():
    with pytest.raises(TaxYearNotFound, match="no US data for tax year 2027"):
        calculate(us_inputs(pay_date=date(2027, 1, 8)))
