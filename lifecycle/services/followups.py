"""Follow-up tasks other apps raise about one person (a return-to-work meeting after sickness):
one task on the person's running checklist of a fixed name, kind "other". The checklist is made
the first time (from an inactive template that is never started on its own) and reopened when a
new task arrives after it was completed."""

from datetime import date

from django.db import transaction

from audit.services import audit_record
from employees.models import Employee, Employment
from lifecycle.models import AssigneeRule, Checklist, ChecklistKind, ChecklistTemplate, Task
from lifecycle.services.checklists import _user, job_facts


def _template(name: str) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(name=name, kind=ChecklistKind.OTHER,
                                                is_current=True).first()
    if template is None:
        template = ChecklistTemplate.objects.create(
            name=name, kind=ChecklistKind.OTHER, is_active=False,
            description="Follow-up tasks raised by other apps.")
    return template


def _checklist(template: ChecklistTemplate, employee: Employee, employment: Employment,
               acting_user, on: date) -> Checklist:
    checklist = Checklist.objects.select_for_update().filter(
        employment=employment, family=template.family).exclude(
        status=Checklist.Status.CANCELLED).first()
    if checklist is None:
        checklist = Checklist.objects.create(
            template=template, family=template.family, name=template.name, kind=template.kind,
            employee=employee, employment=employment, anchor_date=on,
            started_by=_user(acting_user))
    elif checklist.status == Checklist.Status.COMPLETED:
        checklist.status, checklist.completed_at = Checklist.Status.OPEN, None
        checklist.save(update_fields=["status", "completed_at"])
    return checklist


@transaction.atomic
def followup_task_add(*, acting_user, employee: Employee, checklist_name: str, title: str,
                      due: date, instructions: str = "") -> Task | None:
    """A task for the person's manager (HR when they have none with a login). None when the
    person has no employment period to attach it to."""
    employment = Employment.objects.filter(employee=employee).order_by("-start_date").first()
    if employment is None:
        return None
    checklist = _checklist(_template(checklist_name), employee, employment, acting_user, due)
    manager = job_facts(employee, due).manager
    manager_user = manager.user if manager is not None else None
    if manager_user is not None and manager_user.is_active:
        rule, user = AssigneeRule.MANAGER, manager_user
    else:
        rule, user = AssigneeRule.HR, None
    task = Task.objects.create(checklist=checklist, title=title[:200], instructions=instructions,
                               assignee_rule=rule, assignee_user=user, due_date=due,
                               position=checklist.tasks.count())
    audit_record(actor=acting_user, action="create", obj=task, employee_id=employee.pk,
                 changes={"title": [None, task.title], "due_date": [None, str(due)]},
                 note=checklist_name)
    return task
