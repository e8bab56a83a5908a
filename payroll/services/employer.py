"""The legal employer of a pay schedule, as printed on its payslips: legal name, address and the
tax reference of the employer (UK: employer PAYE reference; US: EIN). Set by a Payroll Admin on
the schedule page, audited; each payslip copies them when its run is finalised.

Formats: an employer PAYE reference is a 3-digit HMRC office number, "/", and the employer's
reference of letters and digits (HMRC: "made up of a 3 digit HMRC office number and a reference
number unique to your business, e.g. 123/AB456"). An EIN is nine digits written NN-NNNNNNN (IRS
Pub 1635), with a prefix the IRS assigns (checked by python-stdnum's `stdnum.us.ein`).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.us import ein as stdnum_ein

from audit.services import audit_record, diff, snapshot
from payroll.models import PaySchedule
from payroll.services.runs import require_payroll_admin

FIELDS = ("employer_legal_name", "employer_address", "employer_paye_reference", "employer_ein")
PAYE_REFERENCE = re.compile(r"^\d{3}/[A-Z0-9]{1,10}$")


@dataclass(frozen=True)
class EmployerDetails:
    employer_legal_name: str = ""
    employer_address: str = ""
    employer_paye_reference: str = ""
    employer_ein: str = ""


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


def clean_employer_details(data: EmployerDetails) -> EmployerDetails:
    """Compact and check each filled-in value; raises ValidationError({field: message})."""
    values = {name: (getattr(data, name) or "").strip() for name in FIELDS}
    values["employer_address"] = "\n".join(
        line.strip() for line in values["employer_address"].splitlines() if line.strip())
    errors: dict[str, str] = {}
    for name, check in (("employer_paye_reference", clean_paye_reference),
                        ("employer_ein", clean_ein)):
        if values[name]:
            try:
                values[name] = check(values[name])
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return EmployerDetails(**values)


@transaction.atomic
def schedule_employer_update(*, schedule: PaySchedule, data: EmployerDetails,
                             acting_user) -> PaySchedule:
    require_payroll_admin(acting_user)
    clean = clean_employer_details(data)
    schedule = PaySchedule.objects.select_for_update().get(pk=schedule.pk)
    before = snapshot(schedule, FIELDS)
    for name in FIELDS:
        setattr(schedule, name, getattr(clean, name))
    changes = diff(before, snapshot(schedule, FIELDS))
    if changes:
        schedule.save(update_fields=list(FIELDS))
        audit_record(actor=acting_user, action="update", obj=schedule, changes=changes,
                     note="employer details")
    return schedule


def employer_details(schedule: PaySchedule) -> dict[str, str]:
    """What a payslip prints about its employer (the reference of the schedule's country)."""
    uk = schedule.jurisdiction == "UK"
    return {
        "legal_name": schedule.employer_legal_name,
        "address": schedule.employer_address,
        "paye_reference": schedule.employer_paye_reference if uk else "",
        "ein": "" if uk else schedule.employer_ein,
    }
