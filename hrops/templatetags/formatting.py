"""One way to write amounts on every page (issue 13 item 6): grouped thousands in the active
locale's separators, two places, the currency code in front ("GBP 55,000.00").

Display only: nothing is rounded here. An amount stored with more places (hourly rates keep 4)
keeps the places that are not zero ("GBP 18.1234", "GBP 18.50")."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def money(value) -> str:
    """An amount as floatformat:"2g" writes it (two places, thousands grouped in the active
    locale's separators), without floatformat's per-call parsing and locale lookups: the run
    page shows three amounts on each of 100 rows. Only a Decimal already stored to the cent
    takes the fast path (nothing is rounded here); anything else goes to floatformat."""
    if not isinstance(value, Decimal) or value.as_tuple().exponent != -2:
        return floatformat(value, "2g")
    text = f"{abs(value) if value == 0 else value:,.2f}"
    thousand, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    if (thousand, decimal) != (",", "."):
        text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousand)
    return text


@register.filter
def amount(value) -> str:
    """`money`, but an amount with more than two places that are not zero keeps them (a rate of
    18.1234 an hour is not shown as 18.12)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.quantize(CENT):
        return money(number.quantize(CENT))
    places = -number.normalize().as_tuple().exponent
    return floatformat(number, f"{places}g")


@register.filter
def money_in(value, currency: str = "") -> str:
    """"GBP 55,000.00": the code, then the amount (see `amount`)."""
    text = amount(value)
    return f"{currency} {text}" if currency and text else text
