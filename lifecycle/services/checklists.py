"""Starting checklists from templates and working their tasks."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record, diff, snapshot
from employees.models import Employee, Employment
from employees.selectors import job_as_of
from hrops.calendars import public_holidays
from hrops.uploads import validate_upload
from lifecycle import access
from lifecycle.compliance import evidence_missing, task_record_compliance
from lifecycle.dates import due_date
from lifecycle.models import (
    Anchor,
    AssigneeRule,
    Checklist,
    ChecklistTemplate,
    Requirement,
    Task,
    TaskDocument,
    TaskEvent,
    TemplateTask,
)
from lifecycle.services.notify import checklist_tasks_assigned_notify, task_reassigned_notify

# Employee fields a task may ask the employee (or HR) to fill in. Nothing that decides pay,
# status or access: those change only through HR's own pages.
EMPLOYEE_FORM_FIELDS: dict[str, object] = {
    "preferred_name": gettext_lazy("Preferred name"),
    "personal_email": gettext_lazy("Personal email"),
    "phone": gettext_lazy("Phone"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "address_line1": gettext_lazy("Address line 1"),
    "address_line2": gettext_lazy("Address line 2"),
    "city": gettext_lazy("City"),
    "region": gettext_lazy("State / county"),
    "postal_code": gettext_lazy("Postal code"),
    "country": gettext_lazy("Country"),
}
OPTIONAL_FORM_FIELDS = frozenset({"address_line2", "region"})

# Task uploads keep their own limit, below the site-wide HROPS_MAX_UPLOAD_BYTES.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class JobFacts:
    """What conditions are matched against: the job in force on the anchor date (a pre-hire has
    no current job yet), else the employee's current fields."""

    department_id: int | None
    location_id: int | None
    employment_type: str
    country: str
    manager: Employee | None


def job_facts(employee: Employee, on: date) -> JobFacts:
    record = job_as_of(employee, on)
    source = record if record is not None else employee
    return JobFacts(
        department_id=source.department_id, location_id=source.location_id,
        employment_type=source.employment_type, country=employee.work_country,
        manager=source.manager,
    )


def conditions_match(rule, facts: JobFacts) -> bool:
    """`rule` is a template or template task; an empty list places no restriction."""
    checks = [
        (rule.departments, facts.department_id),
        (rule.locations, facts.location_id),
        (rule.employment_types, facts.employment_type),
        (rule.countries, facts.country),
    ]
    return all(not allowed or value in allowed for allowed, value in checks)


def matching_templates(kind: str, facts: JobFacts) -> list[ChecklistTemplate]:
    templates = ChecklistTemplate.objects.filter(kind=kind, is_current=True, is_active=True)
    return [t for t in templates.order_by("name") if conditions_match(t, facts)]


def _assignee(tt: TemplateTask, employee: Employee, facts: JobFacts) -> tuple[str, object]:
    """(rule, user) for a new task. A manager without a login, or a named person who is no longer
    active, falls back to HR so the task is never orphaned."""
    if tt.assignee_rule == AssigneeRule.MANAGER:
        manager_user = facts.manager.user if facts.manager else None
        if manager_user is not None and manager_user.is_active:
            return AssigneeRule.MANAGER, manager_user
        return AssigneeRule.HR, None
    if tt.assignee_rule == AssigneeRule.USER:
        if tt.assignee_user is not None and tt.assignee_user.is_active:
            return AssigneeRule.USER, tt.assignee_user
        return AssigneeRule.HR, None
    return tt.assignee_rule, None


@transaction.atomic
def checklist_start(
    *, acting_user, template: ChecklistTemplate, employee: Employee, employment: Employment,
    anchor_date: date | None = None,
) -> Checklist | None:
    """Start one template version for one employment period. Returns None when it is already
    running for that period or none of its tasks apply to this person."""
    if Checklist.objects.filter(employment=employment, family=template.family).exclude(
        status=Checklist.Status.CANCELLED
    ).exists():
        return None
    # Onboarding and "other" checklists (e.g. a transfer) count from their own anchor date when
    # one is given (the start date, the transfer date); offboarding from the last working day.
    offboarding = template.kind == "offboarding"
    anchors = {
        Anchor.START: (anchor_date if anchor_date and not offboarding
                       else employment.start_date),
        Anchor.LAST_DAY: employment.end_date or anchor_date or employment.start_date,
    }
    if anchor_date is None:
        anchor_date = anchors[Anchor.LAST_DAY if offboarding else Anchor.START]
    facts = job_facts(employee, anchor_date)
    template_tasks = [
        tt for tt in template.tasks.select_related("assignee_user").order_by("position", "id")
        if conditions_match(tt, facts)
    ]
    if not template_tasks:
        return None
    checklist = Checklist.objects.create(
        template=template, family=template.family, name=template.name, kind=template.kind,
        employee=employee, employment=employment, anchor_date=anchor_date,
        started_by=_user(acting_user),
    )
    # Business-day offsets and weekend rolls skip the public holidays of the work country.
    years = {d.year + delta for d in anchors.values() for delta in (-1, 0, 1)}
    public = public_holidays(facts.country, years)
    tasks = []
    for tt in template_tasks:
        rule, user = _assignee(tt, employee, facts)
        tasks.append(Task(
            checklist=checklist, template_task=tt, position=tt.position, title=tt.title,
            instructions=tt.instructions, assignee_rule=rule, assignee_user=user,
            due_date=due_date(anchors[tt.anchor], tt.offset_days,
                              business_days=tt.business_days, roll_weekend=tt.roll_weekend,
                              public=public),
            requirement=tt.requirement, acknowledge_text=tt.acknowledge_text,
            compliance_requirement=tt.compliance_requirement,
            form_fields=list(tt.form_fields),
        ))
    Task.objects.bulk_create(tasks)
    audit_record(actor=acting_user, action="create", obj=checklist, employee_id=employee.pk,
                 changes={"template": [None, str(template)], "tasks": [0, len(tasks)]})
    checklist_tasks_assigned_notify(checklist=checklist, tasks=tasks)
    return checklist


def checklists_start_matching(
    *, acting_user, employee: Employee, employment: Employment, kind: str, anchor_date: date
) -> list[Checklist]:
    facts = job_facts(employee, anchor_date)
    started = []
    for template in matching_templates(kind, facts):
        checklist = checklist_start(acting_user=acting_user, template=template, employee=employee,
                                    employment=employment, anchor_date=anchor_date)
        if checklist is not None:
            started.append(checklist)
    return started


def _refresh_checklist(checklist_id: int) -> None:
    """A checklist is completed once none of its tasks is open."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist_id)
    if checklist.status != Checklist.Status.OPEN:
        return
    if not checklist.tasks.filter(status=Task.Status.OPEN).exists():
        checklist.status = Checklist.Status.COMPLETED
        checklist.completed_at = timezone.now()
        checklist.save(update_fields=["status", "completed_at"])


def _event(task: Task, action: str, actor, note: str = "") -> None:
    TaskEvent.objects.create(task=task, action=action, actor=_user(actor), note=note[:255])


def _lock_open(task: Task, acting_user) -> Task:
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("checklist__employee").get(pk=task.pk)
    )
    if not access.can_work(acting_user, locked):
        raise PermissionDenied(_("Only the person this task is assigned to, or HR, may do this."))
    return locked


def requirement_missing(task: Task) -> str:
    """Why the task cannot be completed yet, or ''."""
    missing = evidence_missing(task)
    if missing:
        return missing
    if task.requirement == Requirement.UPLOAD and not task.documents.exists():
        return _("Upload the document first.")
    if task.requirement == Requirement.ACKNOWLEDGE and task.acknowledged_at is None:
        return _("Read and acknowledge the text first.")
    if task.requirement == Requirement.FORM:
        employee = task.checklist.employee
        missing = [
            str(EMPLOYEE_FORM_FIELDS.get(name, name)) for name in task.form_fields
            if name not in OPTIONAL_FORM_FIELDS and getattr(employee, name, None) in (None, "")
        ]
        if missing:
            return _("Fill in: %s.") % ", ".join(missing)
    return ""


def _close(task: Task, status: str, acting_user, reason: str = "") -> None:
    task.status = status
    task.closed_by = _user(acting_user)
    task.closed_at = timezone.now()
    task.skip_reason = reason
    task.save(update_fields=["status", "closed_by", "closed_at", "skip_reason"])


@transaction.atomic
def task_complete(*, acting_user, task: Task, note: str = "") -> Task:
    """Mark done. Idempotent for a task already done; refuses one skipped or cancelled, and one
    whose requirement (upload, acknowledgement, fields) is not met yet."""
    task = _lock_open(task, acting_user)
    if task.status == Task.Status.DONE:
        return task
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("This task is %s and cannot be completed.")
                              % task.get_status_display().lower())
    missing = requirement_missing(task)
    if missing:
        raise ValidationError(missing)
    _close(task, Task.Status.DONE, acting_user)
    _event(task, TaskEvent.Action.COMPLETED, acting_user, note)
    audit_record(actor=acting_user, action="status", obj=task,
                 employee_id=task.checklist.employee_id,
                 changes={"status": [Task.Status.OPEN, Task.Status.DONE]}, note=note)
    task_record_compliance(acting_user=acting_user, task=task)
    _refresh_checklist(task.checklist_id)
    return task


@transaction.atomic
def task_skip(*, acting_user, task: Task, reason: str) -> Task:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for skipping the task."))
    task = _lock_open(task, acting_user)
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("Only an open task can be skipped."))
    _close(task, Task.Status.SKIPPED, acting_user, reason[:255])
    _event(task, TaskEvent.Action.SKIPPED, acting_user, reason)
    audit_record(actor=acting_user, action="status", obj=task,
                 employee_id=task.checklist.employee_id,
                 changes={"status": [Task.Status.OPEN, Task.Status.SKIPPED]}, note=reason)
    _refresh_checklist(task.checklist_id)
    return task


@transaction.atomic
def task_reassign(*, acting_user, task: Task, to_user, note: str = "") -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related(
        "checklist__employee", "assignee_user").get(pk=task.pk)
    if not access.can_reassign(acting_user, task):
        raise PermissionDenied(_("Only HR may reassign tasks."))
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("Only an open task can be reassigned."))
    if to_user is None or not to_user.is_active:
        raise ValidationError(_("Choose an active user."))
    if task.assignee_user_id == to_user.pk:
        return task
    before = assignee_label(task)
    task.assignee_rule = AssigneeRule.USER
    task.assignee_user = to_user
    task.save(update_fields=["assignee_rule", "assignee_user"])
    text = f"{before} → {to_user}" + (f": {note}" if note else "")
    _event(task, TaskEvent.Action.REASSIGNED, acting_user, text)
    audit_record(actor=acting_user, action="update", obj=task,
                 employee_id=task.checklist.employee_id,
                 changes={"assignee": [before, str(to_user)]}, note=note)
    task_reassigned_notify(task=task, to_user=to_user)
    return task


def tasks_bulk_complete(*, acting_user, task_ids: list[int]) -> tuple[list[Task], list[str]]:
    """Complete each task the user may complete; returns (done, problems). Each task is its own
    transaction so one refusal does not undo the others."""
    done: list[Task] = []
    problems: list[str] = []
    tasks = (
        Task.objects.filter(pk__in=task_ids, status=Task.Status.OPEN)
        .select_related("checklist__employee").order_by("pk")
    )
    for task in tasks:
        if not access.can_work(acting_user, task):
            problems.append(_("%s: not yours to complete.") % task.title)
            continue
        try:
            done.append(task_complete(acting_user=acting_user, task=task))
        except ValidationError as exc:
            problems.append(f"{task.title}: {' '.join(exc.messages)}")
    return done, problems


@transaction.atomic
def task_upload_document(*, acting_user, task: Task, upload: UploadedFile) -> TaskDocument:
    content_type = validate_upload(upload, max_bytes=UPLOAD_MAX_BYTES)
    task = _lock_open(task, acting_user)
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("This task is closed."))
    document = TaskDocument(task=task, original_name=(upload.name or "upload")[:255],
                            content_type=content_type, size=upload.size,
                            uploaded_by=_user(acting_user))
    document.file.save(upload.name or "upload", upload, save=False)
    document.save()
    _event(task, TaskEvent.Action.UPLOADED, acting_user, document.original_name)
    audit_record(actor=acting_user, action="create", obj=document,
                 employee_id=task.checklist.employee_id,
                 changes={"file": [None, document.original_name]})
    return document


@transaction.atomic
def task_acknowledge(*, acting_user, task: Task) -> Task:
    task = _lock_open(task, acting_user)
    if task.requirement != Requirement.ACKNOWLEDGE or task.acknowledged_at is not None:
        return task
    task.acknowledged_at = timezone.now()
    task.save(update_fields=["acknowledged_at"])
    _event(task, TaskEvent.Action.ACKNOWLEDGED, acting_user)
    audit_record(actor=acting_user, action="update", obj=task,
                 employee_id=task.checklist.employee_id,
                 changes={"acknowledged_at": [None, str(task.acknowledged_at)]})
    return task


@transaction.atomic
def task_fill_fields(*, acting_user, task: Task, values: dict[str, object]) -> Employee:
    """Write the task's whitelisted fields onto the employee record, audited like any other
    change of personal details (bumps the record's version for optimistic concurrency)."""
    task = _lock_open(task, acting_user)
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("This task is closed."))
    allowed = [name for name in task.form_fields if name in EMPLOYEE_FORM_FIELDS]
    unexpected = set(values) - set(allowed)
    if unexpected:
        raise ValidationError(_("These fields cannot be changed here: %s")
                              % ", ".join(sorted(unexpected)))
    employee = Employee.objects.select_for_update().get(pk=task.checklist.employee_id)
    before = snapshot(employee, allowed)
    for name in allowed:
        if name in values:
            setattr(employee, name, values[name] if values[name] is not None else
                    (None if name == "date_of_birth" else ""))
    changes = diff(before, snapshot(employee, allowed))
    if changes:
        employee.full_clean(exclude=["job_title", "department", "location", "manager", "user"],
                            validate_unique=False)
        employee.version += 1
        employee.save(update_fields=[*changes, "version", "updated_at"])
        audit_record(actor=acting_user, action="update", obj=employee, employee_id=employee.pk,
                     changes=changes, note=f"Task: {task.title}")
        _event(task, TaskEvent.Action.FILLED, acting_user, ", ".join(sorted(changes)))
    return employee


@transaction.atomic
def checklist_cancel(*, acting_user, checklist: Checklist, note: str = "") -> Checklist:
    """Cancel a running checklist: its open tasks become cancelled (who and when kept); tasks
    already done or skipped stay as they were."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == Checklist.Status.CANCELLED:
        return checklist
    now = timezone.now()
    open_tasks = list(checklist.tasks.select_for_update().filter(status=Task.Status.OPEN))
    for task in open_tasks:
        _close(task, Task.Status.CANCELLED, acting_user, note[:255])
        _event(task, TaskEvent.Action.CANCELLED, acting_user, note)
    before = checklist.status
    checklist.status = Checklist.Status.CANCELLED
    checklist.cancelled_at = now
    checklist.cancelled_by = _user(acting_user)
    checklist.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    audit_record(actor=acting_user, action="status", obj=checklist,
                 employee_id=checklist.employee_id,
                 changes={"status": [before, checklist.status],
                          "open_tasks_cancelled": [0, len(open_tasks)]}, note=note)
    return checklist


def assignee_label(task: Task) -> str:
    if task.assignee_user_id:
        return str(task.assignee_user)
    if task.assignee_rule == AssigneeRule.EMPLOYEE:
        return task.checklist.employee.display_name
    return str(AssigneeRule(task.assignee_rule).label)


def users_for_reassign():
    return get_user_model().objects.filter(is_active=True).order_by("full_name", "email")


def task_url(task: Task) -> str:
    from django.urls import reverse

    return f"{settings.SITE_URL.rstrip('/')}{reverse('lifecycle:task', args=[task.pk])}"


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None
