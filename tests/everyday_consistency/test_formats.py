"""One number and date format per locale (issue 13 item 6)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from hrops.templatetags.formatting import amount, money_in

DAY = date(2026, 12, 1)


@pytest.mark.parametrize("language", ["en-gb", "en-us", "en"])
def test_dates_read_1_dec_2026_in_english(language):
    with translation.override(language):
        text = Template('{{ d }}|{{ d|date:"DATE_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}').render(
            Context({"d": DAY, "t": datetime(2026, 12, 1, 14, 5)}))
    assert text == "1 Dec 2026|1 Dec 2026|1 Dec 2026, 14:05"


def test_german_keeps_its_own_format():
    with translation.override("de"):
        assert Template("{{ d }}").render(Context({"d": DAY})) == "1. Dezember 2026"


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("55000.00"), "55,000.00"), (Decimal("55000"), "55,000.00"),
    (Decimal("18.5000"), "18.50"), (Decimal("18.1234"), "18.1234"),
    (Decimal("1234567.8900"), "1,234,567.89"), (None, ""),
])
def test_amounts_are_grouped_with_at_least_two_places(value, text):
    with translation.override("en-gb"):
        assert amount(value) == text


def test_money_in_puts_the_currency_code_first():
    with translation.override("en-gb"):
        assert money_in(Decimal("55000.00"), "GBP") == "GBP 55,000.00"
