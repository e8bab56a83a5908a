"""The run page's fast amount filter writes exactly what floatformat:"2g" writes."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from payroll.templatetags.payroll_tags import money

AMOUNTS = ["0.00", "-0.00", "0.01", "-0.01", "999.99", "1000.00", "-1234.56", "1234567.89",
           "-98765432.10", "12.30"]


@pytest.mark.parametrize("amount", AMOUNTS)
@pytest.mark.parametrize("language", ["en-gb", "de", "fr"])
def test_money_is_floatformat_2g(amount: str, language: str) -> None:
    with translation.override(language):
        assert money(Decimal(amount)) == floatformat(Decimal(amount), "2g")


@pytest.mark.parametrize("value", [Decimal("1.005"), Decimal("7"), 3.5, None, ""])
def test_money_falls_back_to_floatformat_for_anything_not_to_the_cent(value) -> None:
    assert money(value) == floatformat(value, "2g")
