"""Anonymising a former employee's personal data once its retention period has passed.

Only compliance's HR-Admin-approved retention purge calls this
(``compliance.services.retention_employees``), after it has checked that the person left long
enough ago, that their payroll records are past their statutory period and that no legal hold
covers them. The other apps' data (task uploads, payslip PDFs, compliance records) is erased by
those apps' own services before this runs; this service does the employee record and the login,
redacts the audit trail and records the ONE audit event for the whole anonymisation.

What is kept, and why: the employee number, hire/termination dates, employments, job and
department/location history and compensation amounts. Payroll statistics and the payslips that
must stay (immutable records of pay) need them, and without a name, contact details or ID
they do not identify the person on their own.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import REDACTED, audit_record, audit_redact
from employees.models import (
    BankAccount,
    BankChangeRequest,
    CompensationRecord,
    Document,
    EmergencyContact,
    Employee,
    JobRecord,
)
from hrops.uploads import delete_files_on_commit

# Stored, not shown through gettext: the record must read the same in every language.
FORMER_EMPLOYEE = "Former employee"

# Personal fields of Employee and the value each takes.
CLEARED: dict[str, object] = {
    "preferred_name": "", "work_email": None, "personal_email": "", "phone": "",
    "date_of_birth": None, "address_line1": "", "address_line2": "", "city": "", "region": "",
    "postal_code": "", "country": "", "national_id": "", "national_id_last4": "",
    "national_id_country": "",
}


def _employee_fields(employee: Employee) -> list[str]:
    values = {"legal_first_name": FORMER_EMPLOYEE,
              "legal_last_name": employee.employee_number} | CLEARED
    changed = [name for name, value in values.items() if getattr(employee, name) != value]
    for name in changed:
        setattr(employee, name, values[name])
    return changed


def _delete_personal_rows(employee: Employee) -> dict[str, int]:
    files = list(Document.objects.filter(employee=employee).values_list("file", flat=True))
    counts = {
        # Change requests first: they point at the accounts they created.
        "bank change requests": BankChangeRequest.objects.filter(employee=employee).delete()[0],
        "bank accounts": BankAccount.objects.filter(employee=employee).delete()[0],
        "emergency contacts": EmergencyContact.objects.filter(employee=employee).delete()[0],
        "documents": Document.objects.filter(employee=employee).delete()[0],
        # Free-text notes HR wrote on job and pay changes may name or describe the person.
        "job and pay notes": (
            JobRecord.objects.filter(employee=employee).exclude(note="").update(note="")
            + CompensationRecord.objects.filter(employee=employee).exclude(note="")
            .update(note="")),
    }
    delete_files_on_commit(files)
    return counts


@transaction.atomic
def employee_anonymise(
    *, acting_user, employee: Employee, note: str = "",
    erased: Mapping[str, int] | None = None,
) -> Employee:
    """Anonymise a terminated employee's record and login; idempotent (an anonymised record is
    returned unchanged). `erased` is what other apps removed for the same purge (counts by
    label), added to the single audit event so it describes the whole anonymisation."""
    from accounts.services import user_anonymise

    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.anonymised_at is not None:
        return employee
    if employee.status != Employee.Status.TERMINATED:
        raise ValidationError(_("Only a former employee's record can be anonymised."))
    changed = _employee_fields(employee)
    employee.anonymised_at = timezone.now()
    employee.version += 1
    employee.save(update_fields=[*changed, "anonymised_at", "version", "updated_at"])
    counts = dict(erased or {}) | _delete_personal_rows(employee)
    user_fields: list[str] = []
    if employee.user_id:
        user_fields = [f"user.{name}" for name in user_anonymise(
            acting_user=acting_user, user=employee.user, note=note or "Retention purge")]
    audit_redact(employee_id=employee.pk, user_id=employee.user_id, label=str(employee),
                 actor_label=f"anonymised-{employee.user_id}@invalid")
    removed = ", ".join(f"{label}: {n}" for label, n in counts.items() if n)
    audit_record(
        actor=acting_user, action=AuditEvent.Action.UPDATE, obj=employee,
        employee_id=employee.pk,
        # Field NAMES only: the old values are exactly what is being erased.
        changes={name: [REDACTED, REDACTED] for name in [*changed, *user_fields]},
        note=" ".join(part for part in ("Employee anonymised by retention purge.", note,
                                         f"Removed: {removed or 'nothing'}.") if part),
    )
    return employee
