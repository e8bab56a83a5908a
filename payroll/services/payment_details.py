"""The company's side of a schedule's payment file: who pays (NACHA company ID and banks) and from
which account (SEPA debtor IBAN/BIC). Set by a Payroll Admin on the schedule page; an empty
field falls back to the PAYROLL_ACH_* / PAYROLL_DEBTOR_* settings (or environment), so an
installation configured that way keeps working.
"""

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.validation import (
    validate_bic,
    validate_iban,
    validate_routing_number,
    validate_sort_code,
    validate_uk_account_number,
)
from payroll.models import PaySchedule
from payroll.outputs.types import Originator
from payroll.services.runs import require_payroll_admin

FIELDS = ("payer_name", "ach_company_id", "ach_odfi_routing", "ach_destination_routing",
          "ach_destination_name", "debtor_iban", "debtor_bic", "bacs_sun", "bacs_sort_code",
          "bacs_account_number")
SECRET_FIELDS = ("debtor_iban",)
# schedule field -> the setting (or environment variable) it falls back to
FALLBACKS = {
    "ach_company_id": "PAYROLL_ACH_COMPANY_ID",
    "ach_odfi_routing": "PAYROLL_ACH_ODFI_ROUTING",
    "ach_destination_routing": "PAYROLL_ACH_DESTINATION_ROUTING",
    "ach_destination_name": "PAYROLL_ACH_DESTINATION_NAME",
    "payer_name": "PAYROLL_ACH_ORIGIN_NAME",
    "debtor_iban": "PAYROLL_DEBTOR_IBAN",
    "debtor_bic": "PAYROLL_DEBTOR_BIC",
    "bacs_sun": "PAYROLL_BACS_SUN",
    "bacs_sort_code": "PAYROLL_BACS_SORT_CODE",
    "bacs_account_number": "PAYROLL_BACS_ACCOUNT_NUMBER",
}


@dataclass(frozen=True)
class PaymentDetails:
    payer_name: str = ""
    ach_company_id: str = ""
    ach_odfi_routing: str = ""
    ach_destination_routing: str = ""
    ach_destination_name: str = ""
    debtor_iban: str = ""
    debtor_bic: str = ""
    bacs_sun: str = ""
    bacs_sort_code: str = ""
    bacs_account_number: str = ""


def validate_bacs_sun(value: str) -> str:
    """A BACS service user number: six digits, given by the sponsoring bank."""
    compact = value.replace(" ", "")
    if not (compact.isdigit() and len(compact) == 6):
        raise ValidationError(_("A BACS service user number (SUN) has six digits."))
    return compact


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def clean_payment_details(data: PaymentDetails) -> PaymentDetails:
    """Compact and check each filled-in value; raises ValidationError({field: message})."""
    errors: dict[str, str] = {}
    values = {name: (getattr(data, name) or "").strip() for name in FIELDS}
    checks = {"ach_odfi_routing": validate_routing_number,
              "ach_destination_routing": validate_routing_number,
              "debtor_iban": validate_iban, "debtor_bic": validate_bic,
              "bacs_sun": validate_bacs_sun, "bacs_sort_code": validate_sort_code,
              "bacs_account_number": validate_uk_account_number}
    for name, check in checks.items():
        if values[name]:
            try:
                values[name] = check(values[name])
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
    company_id = values["ach_company_id"]
    if company_id and (len(company_id) != 10 or not company_id.isalnum()):
        errors["ach_company_id"] = _(
            "The ACH company ID has 10 letters or digits, usually 1 followed by the EIN.")
    if errors:
        raise ValidationError(errors)
    return PaymentDetails(**values)


# What a payment file cannot be made without: NACHA (US dollars) needs the company ID and the
# originating bank; SEPA credit transfers (every other currency here) need the debtor IBAN.
REQUIRED_BY_CURRENCY = {"USD": ("ach_company_id", "ach_odfi_routing")}
REQUIRED_OTHERWISE = ("debtor_iban",)


def required_fields(schedule: PaySchedule) -> tuple[str, ...]:
    return REQUIRED_BY_CURRENCY.get(schedule.currency, REQUIRED_OTHERWISE)


BACS_FIELDS = ("bacs_sun", "bacs_sort_code", "bacs_account_number")


def _given(clean: PaymentDetails, name: str) -> bool:
    return bool(getattr(clean, name) or _setting(FALLBACKS[name]))


def _check_required(schedule: PaySchedule, clean: PaymentDetails) -> None:
    """An empty form must not wipe what the bank file needs (issue 12): each required value is
    given, or an installation-wide setting supplies it. A sterling schedule paying by BACS
    Standard 18 needs all three BACS details instead of the IBAN."""
    required = required_fields(schedule)
    if schedule.currency == "GBP" and any(_given(clean, name) for name in BACS_FIELDS):
        required = BACS_FIELDS
    missing = {name: _("This is needed for the payment file.")
               for name in required if not _given(clean, name)}
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def schedule_payment_details_update(*, schedule: PaySchedule, data: PaymentDetails,
                                    acting_user) -> PaySchedule:
    require_payroll_admin(acting_user)
    clean = clean_payment_details(data)
    schedule = PaySchedule.objects.select_for_update().get(pk=schedule.pk)
    _check_required(schedule, clean)
    before = snapshot(schedule, FIELDS)
    for name in FIELDS:
        setattr(schedule, name, getattr(clean, name))
    changes = diff(before, snapshot(schedule, FIELDS), secret_fields=SECRET_FIELDS)
    if changes:
        schedule.save(update_fields=list(FIELDS))
        audit_record(actor=acting_user, action="update", obj=schedule, changes=changes,
                     note="payment file details")
    return schedule


def payer_name(schedule: PaySchedule | None) -> str:
    """Who pays, as named on the schedule's payment files, payslips and payslip emails: the
    schedule's payer name, else its legal employer, else the installation's COMPANY_NAME."""
    if schedule is not None and (schedule.payer_name or schedule.employer_legal_name):
        return schedule.payer_name or schedule.employer_legal_name
    return settings.COMPANY_NAME


def originator(schedule: PaySchedule | None = None) -> Originator:
    """The paying company's bank details for a schedule's payment file: the schedule's own,
    each empty one falling back to its setting."""
    def value(name: str) -> str:
        own = getattr(schedule, name, "") if schedule is not None else ""
        return own or _setting(FALLBACKS[name])

    return Originator(
        company_name=payer_name(schedule), company_id=value("ach_company_id"),
        odfi_routing=value("ach_odfi_routing"),
        destination_routing=value("ach_destination_routing"),
        destination_name=value("ach_destination_name"),
        origin_name=value("payer_name") or payer_name(schedule),
        iban=value("debtor_iban"), bic=value("debtor_bic"), bacs_sun=value("bacs_sun"),
        bacs_sort_code=value("bacs_sort_code"),
        bacs_account_number=value("bacs_account_number"),
    )
