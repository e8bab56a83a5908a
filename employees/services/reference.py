"""Departments, locations and job titles: HR keeps the lists; one in use cannot be deleted."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.models import Department, Employee, JobRecord, JobTitle, Location

REFERENCE_FIELDS = {
    Department: ("name", "code", "parent", "cost_centre"),
    Location: ("name", "city", "country", "timezone"),
    JobTitle: ("name", "job_family"),
}
_FK = {Department: "department", Location: "location", JobTitle: "job_title"}


def reference_usage(instance: models.Model) -> dict[str, int]:
    """How many current employees, job records (history included) and sub-departments use it."""
    fk = _FK[type(instance)]
    usage = {
        "employees": Employee.objects.filter(**{fk: instance}).count(),
        "job_records": JobRecord.objects.filter(**{fk: instance}).count(),
    }
    if isinstance(instance, Department):
        usage["children"] = instance.children.count()
    return usage


@transaction.atomic
def reference_save(*, acting_user, instance: models.Model, data: dict) -> models.Model:
    """Create or update a department, location or job title from validated form data."""
    fields = REFERENCE_FIELDS[type(instance)]
    creating = instance.pk is None
    before = {} if creating else snapshot(
        type(instance).objects.select_for_update().get(pk=instance.pk), fields
    )
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance, fields))
    if creating or changes:
        audit_record(actor=acting_user, action="create" if creating else "update",
                     obj=instance, changes=changes)
    return instance


@transaction.atomic
def reference_delete(*, acting_user, instance: models.Model) -> None:
    model = type(instance)
    instance = model.objects.select_for_update().get(pk=instance.pk)
    usage = reference_usage(instance)
    if any(usage.values()):
        parts = []
        if usage["employees"]:
            parts.append(_("%(n)s current employee(s)") % {"n": usage["employees"]})
        if usage["job_records"]:
            parts.append(_("%(n)s job history record(s)") % {"n": usage["job_records"]})
        if usage.get("children"):
            parts.append(_("%(n)s sub-department(s)") % {"n": usage["children"]})
        raise ValidationError(
            _("“%(name)s” is in use by %(uses)s, so it cannot be deleted. Rename it or move "
              "those records first.") % {"name": instance, "uses": ", ".join(parts)}
        )
    audit_record(actor=acting_user, action="delete", obj=instance,
                 changes=diff(snapshot(instance, REFERENCE_FIELDS[model]), {}))
    instance.delete()


def reference_in_use_ids(model: type[models.Model]) -> set[int]:
    """Ids in use (one query), so a list page can hide Delete buttons that would fail."""
    fk = _FK[model]
    ids = set(JobRecord.objects.values_list(f"{fk}_id", flat=True).distinct())
    ids |= set(Employee.objects.exclude(**{f"{fk}__isnull": True})
               .values_list(f"{fk}_id", flat=True).distinct())
    if model is Department:
        ids |= set(Department.objects.filter(~Q(parent=None))
                   .values_list("parent_id", flat=True))
    return ids
