"""Employee pay setup: tax details and recurring items (run inputs: payroll.services.inputs)."""

from django.db import transaction

from audit.services import audit_record
from payroll.models import EmployeePayItem, TaxProfile


@transaction.atomic
def tax_profile_save(*, profile: TaxProfile, acting_user) -> TaxProfile:
    """Save a validated tax profile (the form has run full_clean)."""
    is_new = profile.pk is None
    profile.save()
    audit_record(actor=acting_user, action="create" if is_new else "update", obj=profile,
                 employee_id=profile.employee_id, note="tax details")
    return profile


@transaction.atomic
def pay_item_save(*, item: EmployeePayItem, acting_user) -> EmployeePayItem:
    is_new = item.pk is None
    item.save()
    audit_record(actor=acting_user, action="create" if is_new else "update", obj=item,
                 employee_id=item.employee_id, note=f"recurring {item.component.code}")
    return item


@transaction.atomic
def pay_item_delete(*, item: EmployeePayItem, acting_user) -> None:
    audit_record(actor=acting_user, action="delete", obj=item, employee_id=item.employee_id,
                 note=f"recurring {item.component.code}")
    item.delete()
