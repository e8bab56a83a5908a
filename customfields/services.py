"""Writes for custom fields: definitions (HR Admin) and values (whoever the field allows),
each audited with before/after in the same transaction."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from audit.services import audit_record, diff, snapshot
from customfields.access import can_edit
from customfields.models import CustomField, CustomFieldValue
from employees.models import Employee
from employees.signals import employee_updated

FIELD_ATTRS = ("section", "label", "key", "kind", "choices", "required", "manager_sees",
               "manager_edits", "employee_sees", "employee_edits", "position", "is_active")
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off"}


@transaction.atomic
def custom_field_save(*, acting_user, field: CustomField | None = None, data: dict
                      ) -> CustomField:
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only an HR Admin defines custom fields."))
    field = (CustomField.objects.select_for_update().get(pk=field.pk) if field is not None
             and field.pk else CustomField())
    before = snapshot(field, FIELD_ATTRS) if field.pk else {}
    for name in FIELD_ATTRS:
        if name in data:
            setattr(field, name, data[name])
    field.full_clean()
    creating = field.pk is None
    field.save()
    changes = diff(before, snapshot(field, FIELD_ATTRS))
    if changes:
        audit_record(actor=acting_user, action="create" if creating else "update", obj=field,
                     changes=changes, note="custom field")
    return field


def value_parse(field: CustomField, raw: object) -> str:
    """The canonical text of `raw` for this field ("" for empty), or ValidationError."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return ""
    kind = field.kind
    if kind == CustomField.Kind.NUMBER:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:
            raise ValidationError(_("Enter a number.")) from exc
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        return str(number)
    if kind == CustomField.Kind.DATE:
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError as exc:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from exc
    if kind == CustomField.Kind.YES_NO:
        if text.lower() in YES:
            return "yes"
        if text.lower() in NO:
            return "no"
        raise ValidationError(_("Enter yes or no."))
    if kind == CustomField.Kind.CHOICE:
        for choice in field.choices:
            if choice.lower() == text.lower():
                return choice
        raise ValidationError(_("Choose one of: %(c)s.") % {"c": ", ".join(field.choices)})
    if len(text) > 500:
        raise ValidationError(_("At most 500 characters."))
    return text


def values_check(fields: list[CustomField], raw: dict[str, object], current: dict[int, str]
                 ) -> tuple[dict[int, str], dict[str, str]]:
    """Parse every given value ({column: raw}); (canonical by field id, errors by column), all
    errors in one pass. A required field may not end up empty."""
    parsed: dict[int, str] = {}
    errors: dict[str, str] = {}
    for field in fields:
        if field.column not in raw:
            continue
        try:
            parsed[field.pk] = value_parse(field, raw[field.column])
        except ValidationError as exc:
            errors[field.column] = " ".join(exc.messages)
            continue
        if field.required and not parsed[field.pk]:
            errors[field.column] = _("%(label)s is required.") % {"label": field.label}
    return parsed, errors


@transaction.atomic
def custom_values_set(*, acting_user, employee: Employee, raw: dict[str, object],
                      announce: bool = True) -> dict[str, list]:
    """Set the given custom values ({"cf_<key>": raw}) on one employee; every field must be
    editable by the acting user. Returns the changes audited ({"cf_<key>": [old, new]}).

    A change is announced as the record's `employee_updated` (webhooks: employee.updated with
    the columns' names, never the values), in this transaction; `announce=False` for the values
    a new hire is created with (their employee.hired is the news)."""
    fields = list(CustomField.objects.filter(is_active=True))
    given = [f for f in fields if f.column in raw]
    refused = [f.label for f in given if not can_edit(acting_user, employee, f)]
    if refused:
        raise PermissionDenied(_("You may not change: %s.") % ", ".join(refused))
    existing = {v.field_id: v for v in CustomFieldValue.objects.select_for_update()
                .filter(employee=employee, field__in=given)}
    parsed, errors = values_check(given, raw, {k: v.value for k, v in existing.items()})
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list] = {}
    for field in given:
        new, row = parsed[field.pk], existing.get(field.pk)
        old = row.value if row else ""
        if new == old:
            continue
        if not new:
            row.delete()
        elif row is None:
            CustomFieldValue.objects.create(employee=employee, field=field, value=new)
        else:
            row.value = new
            row.save(update_fields=["value"])
        changes[field.column] = [old or None, new or None]
    if changes:
        audit_record(actor=acting_user, action="update", obj=employee, employee_id=employee.pk,
                     changes=changes, note="custom fields")
        if announce:
            employee_updated.send(sender=Employee, employee=employee, changed=sorted(changes))
    return changes
