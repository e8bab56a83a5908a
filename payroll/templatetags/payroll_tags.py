from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from hrops.templatetags.formatting import money
from payroll import reasons

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    return reasons.reason_label(code)


@register.filter
def flag_label(code: str) -> str:
    return reasons.flag_label(code)


# The amount filter lives with the project's other formatting filters; kept here for templates
# that load payroll_tags.
register.filter("money", money)


@register.filter
def signed(value: Decimal | int | None) -> str:
    """A change with its sign: +3, -2, 0 (counts and percentages)."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else str(value)


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A money change with its sign, formatted like the amounts beside it (2 places, grouped)."""
    if value is None:
        return ""
    formatted = floatformat(value, "2g")
    return f"+{formatted}" if value > 0 else formatted


@register.filter
def seconds_short(value: float | None) -> str:
    """A time left for the delivery page: "40 s", "7 min", "1 h 5 min"."""
    if value is None:
        return ""
    seconds = int(value + 0.5)
    if seconds < 90:
        return _("%(n)d s") % {"n": seconds}
    minutes = (seconds + 30) // 60
    if minutes < 90:
        return _("%(n)d min") % {"n": minutes}
    return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
