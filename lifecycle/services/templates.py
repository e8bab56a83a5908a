"""Checklist templates. Editing never changes a template row in place: it saves a new version
(same family, version + 1) with its own copy of the tasks, and marks the old one not current.
Checklists already running point at the version they started from and keep its tasks."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from lifecycle.models import AssigneeRule, ChecklistTemplate, Requirement, TemplateTask

TEMPLATE_FIELDS = ("name", "kind", "description", "is_active", "departments", "locations",
                   "employment_types", "countries")
TASK_FIELDS = ("title", "instructions", "assignee_rule", "assignee_user", "anchor", "offset_days",
               "business_days", "roll_weekend", "requirement", "acknowledge_text", "form_fields",
               "departments", "locations", "employment_types", "countries",
               "compliance_requirement")


@dataclass
class TemplateData:
    name: str
    kind: str
    description: str = ""
    is_active: bool = True
    departments: list[int] = field(default_factory=list)
    locations: list[int] = field(default_factory=list)
    employment_types: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _check_task(data: dict) -> None:
    if data.get("assignee_rule") == AssigneeRule.USER and not data.get("assignee_user"):
        raise ValidationError(_("“%(title)s”: choose the named person.") % data)
    if data.get("requirement") == Requirement.ACKNOWLEDGE and not data.get("acknowledge_text"):
        raise ValidationError(_("“%(title)s”: give the text to acknowledge.") % data)
    if data.get("requirement") == Requirement.FORM and not data.get("form_fields"):
        raise ValidationError(_("“%(title)s”: choose the fields to fill in.") % data)


def _save_version(template: ChecklistTemplate, tasks: Iterable[dict]) -> ChecklistTemplate:
    template.full_clean(exclude=["family"])
    template.save()
    rows = []
    for position, data in enumerate(tasks):
        _check_task(data)
        values = {name: data.get(name) for name in TASK_FIELDS if name in data}
        if values.get("assignee_rule") != AssigneeRule.USER:
            values["assignee_user"] = None
        rows.append(TemplateTask(template=template, position=position, **values))
    if not rows:
        raise ValidationError(_("A template needs at least one task."))
    TemplateTask.objects.bulk_create(rows)
    return template


@transaction.atomic
def template_create(*, acting_user, data: TemplateData, tasks: list[dict]) -> ChecklistTemplate:
    template = _save_version(
        ChecklistTemplate(version=1, is_current=True, created_by=_user(acting_user),
                          **data.__dict__),
        tasks,
    )
    audit_record(actor=acting_user, action="create", obj=template,
                 changes={"name": [None, template.name], "tasks": [0, len(tasks)]})
    return template


@transaction.atomic
def template_update(
    *, acting_user, template: ChecklistTemplate, data: TemplateData, tasks: list[dict]
) -> ChecklistTemplate:
    """Save an edit as a new version. Returns the new current version."""
    current = (
        ChecklistTemplate.objects.select_for_update()
        .get(family=template.family, is_current=True)
    )
    if current.pk != template.pk:
        raise ValidationError(
            _("Someone saved version %(v)s of this template while you were editing; open it "
              "again and redo your change.") % {"v": current.version}
        )
    current.is_current = False
    current.save(update_fields=["is_current"])
    new = _save_version(
        ChecklistTemplate(family=current.family, version=current.version + 1, is_current=True,
                          created_by=_user(acting_user), **data.__dict__),
        tasks,
    )
    audit_record(actor=acting_user, action="update", obj=new,
                 changes={"version": [current.version, new.version]},
                 note=f"New version of {current.name}")
    return new


def template_task_data(template: ChecklistTemplate) -> list[dict]:
    """The tasks of a version as plain dicts (to prefill an edit, or to copy)."""
    return [
        {name: getattr(task, name) for name in TASK_FIELDS}
        for task in template.tasks.select_related("assignee_user")
    ]


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None
