"""Employee pay setup: tax details and recurring items (run inputs: payroll.services.inputs)."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from payroll.models import EmployeePayItem, TaxProfile


def _audit_fields(model) -> list[str]:
    """Every stored field but the key and the owner: the audit keeps each one's before/after."""
    return [f.name for f in model._meta.concrete_fields
            if f.name not in ("id", "employee", "created_at", "updated_at")]


def _stored(obj) -> dict[str, object]:
    """The row as it is in the database now (empty for a new one), locked until commit."""
    if obj.pk is None:
        return {}
    stored = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    return snapshot(stored, _audit_fields(type(obj))) if stored else {}


@transaction.atomic
def tax_profile_save(*, profile: TaxProfile, acting_user) -> TaxProfile:
    """Save a validated tax profile (the form has run full_clean); audited field by field."""
    require_not_self(acting_user, profile.employee, _("tax setup"))
    is_new = profile.pk is None
    before = _stored(profile)
    profile.save()
    profile.refresh_from_db(fields=_audit_fields(TaxProfile))
    changes = diff(before, snapshot(profile, _audit_fields(TaxProfile)))
    if changes or is_new:
        audit_record(actor=acting_user, action="create" if is_new else "update", obj=profile,
                     employee_id=profile.employee_id, changes=changes, note="tax details")
    return profile


@transaction.atomic
def pay_item_save(*, item: EmployeePayItem, acting_user) -> EmployeePayItem:
    require_not_self(acting_user, item.employee, _("recurring pay items"))
    is_new = item.pk is None
    before = _stored(item)
    item.save()
    item.refresh_from_db(fields=_audit_fields(EmployeePayItem))
    changes = diff(before, snapshot(item, _audit_fields(EmployeePayItem)))
    if changes or is_new:
        audit_record(actor=acting_user, action="create" if is_new else "update", obj=item,
                     employee_id=item.employee_id, changes=changes,
                     note=f"recurring {item.component.code}")
    return item


@transaction.atomic
def pay_item_delete(*, item: EmployeePayItem, acting_user) -> None:
    require_not_self(acting_user, item.employee, _("recurring pay items"))
    audit_record(actor=acting_user, action="delete", obj=item, employee_id=item.employee_id,
                 changes=diff(_stored(item), {}), note=f"recurring {item.component.code}")
    item.delete()
