"""Employer tax references (no Django models here, so models, forms and services share them).

An employer PAYE reference is a 3-digit HMRC office number, "/", and the employer's reference of
letters and digits (HMRC: "made up of a 3 digit HMRC office number and a reference number unique
to your business, e.g. 123/AB456"). An EIN is nine digits written NN-NNNNNNN (IRS Pub 1635),
with a prefix the IRS assigns (checked by python-stdnum's `stdnum.us.ein`).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.us import ein as stdnum_ein

PAYE_REFERENCE = re.compile(r"^\d{3}/[A-Z0-9]{1,10}$")


def clean_paye_reference(value: str) -> str:
    compact = re.sub(r"\s+", "", value).upper()
    if not PAYE_REFERENCE.match(compact):
        raise ValidationError(_("An employer PAYE reference is 3 digits, a slash and up to 10 "
                                "letters or digits, e.g. 123/AB45678."))
    return compact


def clean_ein(value: str) -> str:
    try:
        return stdnum_ein.format(stdnum_ein.validate(value))
    except StdnumError as exc:
        raise ValidationError(_("An EIN is 9 digits written NN-NNNNNNN, with a prefix the IRS "
                                "assigns, e.g. 12-3456789.")) from exc


def validate_paye_reference(value: str) -> None:
    """Model validator (the admin): the stored form is the compact one."""
    if clean_paye_reference(value) != value:
        raise ValidationError(_("Write the PAYE reference as 123/AB45678."))


def validate_ein(value: str) -> None:
    if clean_ein(value) != value:
        raise ValidationError(_("Write the EIN as NN-NNNNNNN, e.g. 12-3456789."))
