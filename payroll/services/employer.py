"""The legal employer of a pay schedule, as printed on its payslips: legal name, address and the
tax reference of the employer (UK: employer PAYE reference; US: EIN). Set by a Payroll Admin on
the schedule page, audited; each payslip copies them when its run is finalised.

The formats and their sources are in payroll.validators.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record, diff, snapshot
from payroll.models import PaySchedule
from payroll.services.runs import require_payroll_admin
from payroll.validators import clean_ein, clean_paye_reference

TEXT_FIELDS = ("employer_legal_name", "employer_address", "employer_paye_reference",
               "employer_ein")
# UK Small Employer Relief: statutory family pay recovered at 108.5% (103% before 6 April 2025)
# instead of 92%
# (payroll.engine.statutory.rates).
FIELDS = (*TEXT_FIELDS, "small_employer_relief")


@dataclass(frozen=True)
class EmployerDetails:
    employer_legal_name: str = ""
    employer_address: str = ""
    employer_paye_reference: str = ""
    employer_ein: str = ""
    small_employer_relief: bool = False


def clean_employer_details(data: EmployerDetails) -> EmployerDetails:
    """Compact and check each filled-in value; raises ValidationError({field: message})."""
    values: dict = {name: (getattr(data, name) or "").strip() for name in TEXT_FIELDS}
    values["small_employer_relief"] = bool(data.small_employer_relief)
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
