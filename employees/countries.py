"""Countries of the employee record: ISO 3166-1 alpha-2 codes, checked against pycountry's
ISO 3166 data (not "any two letters", which let "UK" in and kept the GB right-to-work checklist
from starting).

People type what they know: "gb", "GBR", "United Kingdom" or "UK". `country_code` turns each
into the alpha-2 code. "UK" is not an assigned ISO 3166-1 code but is *exceptionally reserved*
by the ISO 3166 Maintenance Agency for the United Kingdom (as "EL" is for Greece, used by EU
institutions), so those two are understood as GB and GR rather than refused.
"""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ISO 3166-1 exceptionally reserved codes, and what they stand for.
RESERVED_ALIASES = {"UK": "GB", "EL": "GR"}


@cache
def _codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str) -> bool:
    return code in _codes()


def country_code(value: str | None) -> str:
    """The alpha-2 code for a code, alpha-3 code or English name; '' for blank.
    Raises ValidationError naming what was typed when it is no country."""
    text = (value or "").strip()
    if not text:
        return ""
    upper = text.upper()
    if upper in RESERVED_ALIASES:
        return RESERVED_ALIASES[upper]
    if len(upper) == 2:
        if is_country(upper):
            return upper
    else:
        try:
            return pycountry.countries.lookup(text).alpha_2
        except LookupError:
            pass
    raise ValidationError(
        _("“%(value)s” is not an ISO 3166 country; use its two-letter ISO code, e.g. GB or US.")
        % {"value": text[:60]}, code="invalid_country")


def validate_country(value: str) -> None:
    """Model-field validator (admin and every ModelForm): a stored code is an assigned
    ISO 3166-1 alpha-2 code, upper case."""
    if value and not is_country(value):
        hint = RESERVED_ALIASES.get(value.upper())
        message = (_("“%(value)s” is not an ISO 3166 code; use %(hint)s.")
                   % {"value": value, "hint": hint} if hint else
                   _("“%(value)s” is not an ISO 3166 country code, e.g. GB or US.")
                   % {"value": value})
        raise ValidationError(message, code="invalid_country")


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) for a select, by name."""
    return tuple(sorted(((c.alpha_2, c.name) for c in pycountry.countries),
                        key=lambda pair: pair[1]))
