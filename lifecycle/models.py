"""Onboarding / offboarding checklists.

A ChecklistTemplate is versioned: every edit saves a new row (same `family`, version + 1) and the
old version stays as it was, so a Checklist that started from version 3 keeps pointing at version 3.
Tasks are concrete copies made when a checklist starts (title, assignee, due date, requirement),
so nothing done to a template later can change work already running.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employees.models import Employee, Employment


class ChecklistKind(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    OFFBOARDING = "offboarding", _("Offboarding")
    OTHER = "other", _("Other (e.g. transfer)")


class AssigneeRule(models.TextChoices):
    # HR: the task belongs to the HR role as a whole (HR Admin and HR Staff), shown on every HR
    # person's board; whoever completes it is recorded.
    HR = "hr", _("HR (anyone in HR)")
    IT = "it", _("IT (the “IT” group)")
    PAYROLL = "payroll", _("Payroll (Payroll Admin role)")
    MANAGER = "manager", _("The employee's manager")
    EMPLOYEE = "employee", _("The employee themself")
    USER = "user", _("A named person")


# Role-like rules and the Django groups whose members may work those tasks.
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    AssigneeRule.HR: ("HR Admin", "HR Staff"),
    AssigneeRule.IT: ("IT",),
    AssigneeRule.PAYROLL: ("Payroll Admin",),
}
IT_GROUP = "IT"


class Anchor(models.TextChoices):
    START = "start", _("Start date")
    LAST_DAY = "last_day", _("Last working day")


class Requirement(models.TextChoices):
    NONE = "", _("None")
    UPLOAD = "upload", _("Upload a document")
    ACKNOWLEDGE = "acknowledge", _("Read and acknowledge a text")
    FORM = "form", _("Fill in fields of the employee record")


class Conditions(models.Model):
    """Who a template or a task applies to. Empty list = no restriction. Ids/codes are stored as
    JSON lists so a new template version copies them with the row."""

    departments = models.JSONField(_("departments"), default=list, blank=True)
    locations = models.JSONField(_("locations"), default=list, blank=True)
    employment_types = models.JSONField(_("employment types"), default=list, blank=True)
    countries = models.JSONField(_("work countries"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def has_conditions(self) -> bool:
        return bool(self.departments or self.locations or self.employment_types or self.countries)


class ChecklistTemplate(Conditions):
    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive templates are never started.")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=ChecklistKind.choices)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="template_family_version"),
            models.UniqueConstraint(fields=["family"], condition=Q(is_current=True),
                                    name="template_one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class TemplateTask(Conditions):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    assignee_rule = models.CharField(_("assignee"), max_length=10, choices=AssigneeRule.choices)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("named person"),
    )
    anchor = models.CharField(_("relative to"), max_length=10, choices=Anchor.choices,
                              default=Anchor.START)
    offset_days = models.IntegerField(
        _("offset (days)"), default=0, help_text=_("Negative = before the date, e.g. -5.")
    )
    business_days = models.BooleanField(
        _("count business days"), default=False,
        help_text=_("Working days: Monday to Friday, minus the public holidays of the employee's "
                    "work country."),
    )
    roll_weekend = models.BooleanField(
        _("move due dates off weekends and public holidays"), default=False
    )
    requirement = models.CharField(_("requirement"), max_length=12, choices=Requirement.choices,
                                   default=Requirement.NONE, blank=True)
    # Issue 13: completing the task with its evidence creates or renews this compliance record,
    # and a record added on the compliance page completes the open task (lifecycle.compliance).
    compliance_requirement = models.ForeignKey(
        "compliance.RequirementType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("compliance requirement"))
    acknowledge_text = models.TextField(_("text to acknowledge"), blank=True)
    form_fields = models.JSONField(_("employee fields to fill in"), default=list, blank=True)

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Checklist(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT,
                                 related_name="checklists")
    family = models.UUIDField(editable=False)  # the template family, for "started once" checks
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=ChecklistKind.choices)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="checklists")
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    anchor_date = models.DateField(_("anchor date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # One running checklist of a template family per employment period.
            models.UniqueConstraint(
                fields=["employment", "family"], condition=~Q(status="cancelled"),
                name="checklist_once_per_employment",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="checklist_kind_status")]

    def __str__(self) -> str:
        return f"{self.name}: {self.employee.display_name}"


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="tasks")
    template_task = models.ForeignKey(TemplateTask, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    assignee_rule = models.CharField(max_length=10, choices=AssigneeRule.choices)
    # Set for "manager" (resolved when the checklist starts), "user" and after a reassignment.
    # Role rules (HR, IT, payroll) leave it empty: the task is on every member's board.
    # The "employee" rule follows the employee's login, even one created later.
    assignee_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="lifecycle_tasks")
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requirement = models.CharField(max_length=12, choices=Requirement.choices, blank=True)
    compliance_requirement = models.ForeignKey(
        "compliance.RequirementType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    acknowledge_text = models.TextField(blank=True)
    form_fields = models.JSONField(default=list, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["due_date", "position", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="task_status_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class TaskEvent(models.Model):
    """Who did what to a task, when: the task's own history (the audit trail has it too)."""

    class Action(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        SKIPPED = "skipped", _("Skipped")
        REASSIGNED = "reassigned", _("Reassigned")
        CANCELLED = "cancelled", _("Cancelled")
        REOPENED = "reopened", _("Reopened")
        UPLOADED = "uploaded", _("Uploaded a document")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        FILLED = "filled", _("Filled in details")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def _task_upload_path(instance: "TaskDocument", filename: str) -> str:
    # Random name: the original is kept in `original_name`; the path never reveals it.
    return f"lifecycle/tasks/{instance.task_id}/{uuid.uuid4().hex}"


class TaskDocument(models.Model):
    """A file uploaded to complete a task. Never served from a public URL: downloads go through
    lifecycle.views.document_download, which checks the viewer may see the task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_task_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class LeaverNotice(models.Model):
    """An offboarding: what HR recorded, and the final-pay flag payroll reads through
    lifecycle.selectors.leaver_notices_for_payroll (payroll rows are never written from here)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Leaving")
        LEFT = "left", _("Left")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    last_day = models.DateField(_("last working day"))
    reason = models.CharField(_("reason"), max_length=20,
                              choices=Employment.TerminationReason.choices)
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    notice_end_date = models.DateField(_("notice period ends"), null=True, blank=True)
    rehire_eligible = models.BooleanField(_("eligible for rehire"), null=True, blank=True)
    final_pay_flag = models.BooleanField(
        _("final pay due"), default=True,
        help_text=_("Payroll includes final pay (holiday balance, last salary) for this leaver."),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employment"], condition=Q(status="scheduled"),
                                    name="leaver_one_scheduled_per_employment"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.display_name} leaving {self.last_day}"


class DigestSent(models.Model):
    """One row per person per day, inserted with the digest's delivery item: the unique constraint
    is the claim, so a second beat run or a second worker finds the row and queues nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    task_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


def role_groups_for(rule: str) -> tuple[str, ...]:
    return ROLE_GROUPS.get(rule, ())



class JobRun(models.Model):
    """One scheduled job on one company day (hrops.scheduler). The row is inserted BEFORE the job
    runs: the unique (job, day) is the claim, so the embedded scheduler, `run_due_jobs` by hand
    and a restart on the same day never run a day's job twice. Lifecycle keeps it because it owns
    the everyday calendar (starters, leavers, digests) that most of these jobs serve."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    source = models.CharField(_("started by"), max_length=20)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="jobrun_once_per_job_day"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day} {self.status}"
