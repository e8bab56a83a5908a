"""Validation of national IDs and bank details (python-stdnum; the UK National Insurance number by
HMRC's published format rules, which stdnum does not cover). Each function returns the compact,
canonical value or raises ValidationError with a message fit for a form."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.us import rtn as stdnum_rtn
from stdnum.us import ssn as stdnum_ssn

NATIONAL_ID_COUNTRIES = [
    ("GB", gettext_lazy("UK National Insurance number")),
    ("US", gettext_lazy("US Social Security number")),
]

# HMRC NIM39110: prefix letters D, F, I, Q, U, V never used; O not as the second letter; some
# prefixes are never allocated; the suffix is A-D.
_NINO = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-./]", "", value or "").upper()


def validate_nino(value: str) -> str:
    compact = _compact(value)
    if not _NINO.match(compact):
        raise ValidationError(
            _("Not a valid UK National Insurance number (two letters, six digits, a letter "
              "A–D, e.g. AB 12 34 56 C)."), code="invalid_nino")
    return compact


def validate_ssn(value: str) -> str:
    try:
        return stdnum_ssn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Not a valid US Social Security number (nine digits, e.g. 536-90-4399; area 000, "
              "666 and 900–999 are never issued)."), code="invalid_ssn") from exc


def validate_national_id(country: str, value: str) -> str:
    if country == "US":
        return validate_ssn(value)
    if country == "GB":
        return validate_nino(value)
    raise ValidationError(_("National IDs can be recorded for the US and the UK only."),
                          code="unsupported_country")


def format_national_id(country: str, compact: str) -> str:
    if country == "US" and len(compact) == 9:
        return stdnum_ssn.format(compact)
    if country == "GB" and len(compact) == 9:
        return f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:8]} {compact[8]}"
    return compact


def validate_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Not a valid IBAN: check the country code, length and check digits."),
            code="invalid_iban") from exc


def validate_bic(value: str) -> str:
    try:
        return stdnum_bic.validate(value)
    except StdnumError as exc:
        raise ValidationError(_("Not a valid BIC / SWIFT code (8 or 11 characters)."),
                              code="invalid_bic") from exc


def validate_routing_number(value: str) -> str:
    try:
        return stdnum_rtn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Not a valid US ABA routing number (nine digits with a valid checksum)."),
            code="invalid_routing") from exc


def validate_us_account_number(value: str) -> str:
    compact = _compact(value)
    if not re.fullmatch(r"\d{4,17}", compact):
        raise ValidationError(_("A US account number has 4 to 17 digits."),
                              code="invalid_account")
    return compact


def validate_sort_code(value: str) -> str:
    compact = _compact(value)
    if not re.fullmatch(r"\d{6}", compact):
        raise ValidationError(_("A UK sort code has six digits, e.g. 20-00-00."),
                              code="invalid_sort_code")
    return compact


def validate_uk_account_number(value: str) -> str:
    compact = _compact(value)
    if not re.fullmatch(r"\d{8}", compact):
        raise ValidationError(_("A UK account number has eight digits."), code="invalid_account")
    return compact


BANK_FIELDS = ("iban", "bic", "routing_number", "account_number", "sort_code")


def clean_bank_details(*, scheme: str, country: str, **values: str) -> dict[str, str]:
    """Validate the fields one account format needs and blank the others. Returns
    {field: compact value} including `last4`; raises ValidationError({field: message})."""
    from employees.models import BankScheme

    country = (country or "").upper()
    cleaned = {name: "" for name in BANK_FIELDS}
    errors: dict[str, list[ValidationError]] = {}

    def take(name: str, validator) -> None:
        raw = (values.get(name) or "").strip()
        if not raw:
            errors.setdefault(name, []).append(ValidationError(_("This field is required.")))
            return
        try:
            cleaned[name] = validator(raw)
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)

    if scheme == BankScheme.IBAN:
        take("iban", validate_iban)
        if values.get("bic"):
            take("bic", validate_bic)
        if cleaned["iban"] and country and cleaned["iban"][:2] != country:
            errors.setdefault("iban", []).append(ValidationError(
                _("This IBAN belongs to %(code)s, not the bank country %(country)s.")
                % {"code": cleaned["iban"][:2], "country": country}))
        last4_source = cleaned["iban"]
    elif scheme == BankScheme.US_ACH:
        take("routing_number", validate_routing_number)
        take("account_number", validate_us_account_number)
        if country and country != "US":
            errors.setdefault("country", []).append(
                ValidationError(_("US routing numbers are for US bank accounts.")))
        last4_source = cleaned["account_number"]
    elif scheme == BankScheme.UK:
        take("sort_code", validate_sort_code)
        take("account_number", validate_uk_account_number)
        if country and country != "GB":
            errors.setdefault("country", []).append(
                ValidationError(_("Sort codes are for UK bank accounts.")))
        last4_source = cleaned["account_number"]
    else:
        raise ValidationError({"scheme": _("Choose an account format.")})
    if errors:
        raise ValidationError(errors)
    cleaned["last4"] = last4_source[-4:]
    return cleaned
