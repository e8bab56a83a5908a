"""Personal details and emergency contacts. Edits of the employee row use optimistic concurrency:
the form carries the version (and a signed snapshot of the values) it was loaded with, and a save
from an older version is refused with the list of fields someone else changed meanwhile."""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot
from employees.models import EmergencyContact, Employee
from employees.signals import employee_updated

PERSONAL_FIELDS = (
    "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "work_email",
    "personal_email", "phone", "address_line1", "address_line2", "city", "region", "postal_code",
    "country",
)
CONTACT_FIELDS = ("name", "relationship", "phone", "email", "is_primary")
_SALT = "employees.personal.loaded"


@dataclass(frozen=True)
class ChangedField:
    name: str
    label: str
    theirs: object


class EditConflict(Exception):
    """Someone saved the record after this form was loaded."""

    def __init__(self, changed: list[ChangedField], by: list[str]) -> None:
        self.changed = changed
        self.by = by
        super().__init__(self.message)

    @property
    def message(self) -> str:
        fields = ", ".join(f.label for f in self.changed) or _("other parts of the record")
        who = ", ".join(self.by) or _("someone else")
        return _("%(who)s changed this record while you were editing it (%(fields)s). Nothing "
                 "was saved: review their values, then make your change again.") % {
            "who": who, "fields": fields}


def loaded_token(employee: Employee, fields: tuple[str, ...] = PERSONAL_FIELDS) -> str:
    """Signed snapshot of what the form shows, so a conflict can name what changed since."""
    return signing.dumps({"values": snapshot(employee, fields), "at": timezone.now().isoformat()},
                         salt=_SALT)


def _conflict(employee: Employee, token: str, fields: tuple[str, ...]) -> EditConflict:
    try:
        loaded = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        loaded = {"values": {}, "at": None}
    now = snapshot(employee, fields)
    meta = Employee._meta
    changed = [
        ChangedField(name, str(meta.get_field(name).verbose_name), now[name])
        for name in fields if name in loaded["values"] and loaded["values"][name] != now[name]
    ]
    by: list[str] = []
    if loaded.get("at"):
        labels = AuditEvent.objects.filter(
            employee_id=employee.pk, object_type="employees.employee",
            at__gt=datetime.fromisoformat(loaded["at"]),
        ).values_list("actor_label", flat=True)
        by = list(dict.fromkeys(labels))
    return EditConflict(changed, by)


@transaction.atomic
def employee_update_personal(
    *, acting_user, employee: Employee, data: dict, version: int, loaded: str = "",
    source: str | None = None,
) -> Employee:
    """Save personal fields (only those in `data`). Refused with EditConflict when the row's
    version moved on since the form was loaded."""
    fields = tuple(f for f in PERSONAL_FIELDS if f in data)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.version != version:
        raise _conflict(employee, loaded, fields)
    before = snapshot(employee, fields)
    for name in fields:
        setattr(employee, name, data[name])
    changes = diff(before, snapshot(employee, fields))
    if not changes:
        return employee
    if "work_email" in changes:
        _check_work_email(employee)
    employee.version += 1
    try:
        employee.save(update_fields=[*fields, "version", "updated_at"])
    except IntegrityError as exc:  # the same address saved for someone else at this moment
        # Raised straight out of this service's atomic block (a savepoint when nested), which
        # rolls the failed statement back; nothing else runs on the broken transaction.
        raise ValidationError({"work_email": _("Another employee has this work email.")}) from exc
    changes["version"] = [version, employee.version]
    audit_record(actor=acting_user, action="update", obj=employee, employee_id=employee.pk,
                 changes=changes, source=source)
    # The names of what changed, not the values (addresses, birth dates stay here).
    employee_updated.send(sender=Employee, employee=employee,
                          changed=sorted(set(fields) & changes.keys()))
    return employee


def _check_work_email(employee: Employee) -> None:
    """A work email is one person's (the column is unique; compared case-insensitively, as a
    mail server does). Empty means none."""
    if employee.work_email is None:
        return
    if Employee.objects.filter(work_email__iexact=employee.work_email).exclude(
            pk=employee.pk).exists():
        raise ValidationError({"work_email": _("Another employee has this work email.")})


def _demote_other_primaries(contact: EmergencyContact) -> None:
    if contact.is_primary:
        EmergencyContact.objects.filter(employee_id=contact.employee_id, is_primary=True).exclude(
            pk=contact.pk).update(is_primary=False)


@transaction.atomic
def emergency_contact_save(
    *, acting_user, employee: Employee, data: dict, contact: EmergencyContact | None = None,
    source: str | None = None,
) -> EmergencyContact:
    Employee.objects.select_for_update().filter(pk=employee.pk).first()  # serialise primaries
    if not (data.get("name") or "").strip() or not (data.get("phone") or "").strip():
        raise ValidationError(_("An emergency contact needs a name and a phone number."))
    creating = contact is None
    if creating:
        contact = EmergencyContact(employee=employee)
        before: dict = {}
        if not EmergencyContact.objects.filter(employee=employee).exists():
            data = {**data, "is_primary": True}  # the first contact is the one to call
    else:
        contact = EmergencyContact.objects.select_for_update().get(pk=contact.pk,
                                                                   employee=employee)
        before = snapshot(contact, CONTACT_FIELDS)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(contact, name, data[name])
    changes = diff(before, snapshot(contact, CONTACT_FIELDS))
    if not changes:
        return contact
    if contact.is_primary:
        if contact.pk:
            _demote_other_primaries(contact)
        else:
            EmergencyContact.objects.filter(employee=employee, is_primary=True).update(
                is_primary=False)
    contact.save()
    audit_record(actor=acting_user, action="create" if creating else "update", obj=contact,
                 employee_id=employee.pk, changes=changes, source=source)
    return contact


@transaction.atomic
def emergency_contact_delete(
    *, acting_user, contact: EmergencyContact, source: str | None = None
) -> None:
    audit_record(actor=acting_user, action="delete", obj=contact, employee_id=contact.employee_id,
                 changes=diff(snapshot(contact, CONTACT_FIELDS), {}), source=source)
    contact.delete()
