"""Compliance: what each person must hold (requirement types assigned by rules), the evidence they
hold (records; renewal adds a record, nothing is overwritten), policy acknowledgements, reminder
claims, evidence packs, subject-access exports and data retention."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employees.models import Department, Employee, EmploymentType, JobTitle, Location


def _evidence_path(instance: models.Model, filename: str) -> str:
    # Random names: the original file name is kept in `evidence_name`, never in the path.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"compliance/evidence/{uuid.uuid4().hex}.{ext}"


def _policy_path(instance: models.Model, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"compliance/policies/{uuid.uuid4().hex}.{ext}"


class RequirementKind(models.TextChoices):
    RIGHT_TO_WORK = "right_to_work", _("Right to work (I-9 / UK RTW)")
    LICENCE = "licence", _("Licence / certification")
    TRAINING = "training", _("Mandatory training")
    BACKGROUND_CHECK = "background_check", _("Background check")
    POLICY = "policy", _("Policy acknowledgement")


class RequirementType(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices)
    description = models.TextField(_("description"), blank=True)
    evidence_required = models.CharField(
        _("evidence required"), max_length=255, blank=True,
        help_text=_("What the employee must provide, e.g. 'Passport or BRP scan'."),
    )
    requires_document = models.BooleanField(_("requires an uploaded document"), default=True)
    validity_months = models.PositiveIntegerField(
        _("valid for (months)"), null=True, blank=True,
        help_text=_("Recurring trainings and checks: expiry = completion + N months. Empty: "
                    "the record's own expiry date (or none) applies."),
    )
    expiring_window_days = models.PositiveIntegerField(
        _("'expiring soon' window (days)"), null=True, blank=True,
        help_text=_("Empty: the site default (COMPLIANCE_EXPIRING_SOON_DAYS, 30)."),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True,
        help_text=_("For right-to-work: US (Form I-9) or GB (UK right-to-work check)."),
    )
    policy = models.OneToOneField(
        "Policy", null=True, blank=True, on_delete=models.CASCADE,
        related_name="requirement_type",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="policy") | Q(policy__isnull=True),
                name="reqtype_policy_only_for_policy_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequirementRule(models.Model):
    """Who needs a requirement. Rules are evaluated live, so a new hire or a transfer picks up
    (or drops) requirements the moment their job fields change."""

    class Scope(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        DEPARTMENT = "department", _("Department")
        LOCATION = "location", _("Location")
        JOB_TITLE = "job_title", _("Job title")
        EMPLOYMENT_TYPE = "employment_type", _("Employment type")
        COUNTRY = "country", _("Work country")

    requirement_type = models.ForeignKey(
        RequirementType, on_delete=models.CASCADE, related_name="rules"
    )
    scope = models.CharField(_("applies to"), max_length=20, choices=Scope.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    job_title = models.ForeignKey(
        JobTitle, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices, blank=True
    )
    country = models.CharField(_("work country"), max_length=2, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement_type", "scope", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="everyone")
                    | Q(scope="department", department__isnull=False)
                    | Q(scope="location", location__isnull=False)
                    | Q(scope="job_title", job_title__isnull=False)
                    | Q(scope="employment_type") & ~Q(employment_type="")
                    | Q(scope="country") & ~Q(country="")
                ),
                name="reqrule_target_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        target = {
            self.Scope.EVERYONE: "",
            self.Scope.DEPARTMENT: self.department,
            self.Scope.LOCATION: self.location,
            self.Scope.JOB_TITLE: self.job_title,
            self.Scope.EMPLOYMENT_TYPE: self.get_employment_type_display(),
            self.Scope.COUNTRY: self.country,
        }.get(self.scope, "")
        label = self.get_scope_display()
        return f"{self.requirement_type}: {label}{' ' + str(target) if target else ''}"


class ComplianceRecord(models.Model):
    """One piece of evidence for one requirement. Renewal adds a record; the latest
    non-rejected record is the one that counts (compliance.status)."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="compliance_records"
    )
    requirement_type = models.ForeignKey(
        RequirementType, on_delete=models.PROTECT, related_name="records"
    )
    completed_on = models.DateField(
        _("completed / issued / checked on"), null=True, blank=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reverify_on = models.DateField(
        _("re-verification date"), null=True, blank=True,
        help_text=_("Right to work with time-limited permission: check again by this date."),
    )
    document_kind = models.CharField(_("document kind"), max_length=120, blank=True)
    document_number = models.CharField(_("document / licence number"), max_length=80, blank=True)
    issuer = models.CharField(_("issuer"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "requirement_type", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["employee", "requirement_type"], name="comprecord_emp_type"),
            models.Index(fields=["expires_on"], name="comprecord_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_type} for {self.employee_id} ({self.created_at:%Y-%m-%d})"

    @property
    def valid_until(self):
        """The date after which the record no longer counts: the earlier of expiry and
        re-verification (either may be empty)."""
        dates = [d for d in (self.expires_on, self.reverify_on) if d is not None]
        return min(dates) if dates else None


class Policy(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title


class PolicyVersion(models.Model):
    """A published version. Its `content_hash` (SHA-256 of the text and file) is copied into each
    acknowledgement, so an auditor can prove exactly which wording someone accepted."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    label = models.CharField(_("version label"), max_length=40)
    body = models.TextField(_("text"), blank=True)
    document = models.FileField(_("document"), upload_to=_policy_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policyversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.label}"


class PolicyOpen(models.Model):
    """The employee opened this version's text (server-side proof before acknowledging)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="opens")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="policyopen_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} opened {self.version}"


class Acknowledgement(models.Model):
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    version_hash = models.CharField(max_length=64)
    opened_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="ack_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} acknowledged {self.version}"


class PolicyNudge(models.Model):
    """At most one nudge per person per version per day (the unique constraint is the claim)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="nudges")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "employee", "day"], name="policynudge_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Nudge {self.employee_id} {self.version} {self.day}"


class ReminderSent(models.Model):
    """Claim for one reminder stage of one record, inserted with the reminder's delivery item: the
    unique constraint makes beat double-firing and concurrent workers queue it once."""

    record = models.ForeignKey(
        ComplianceRecord, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=20)  # "60", "30", "7", "expired"
    escalated = models.BooleanField(default=False)
    recipients = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["record", "stage"], name="remindersent_once"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.stage} for record {self.record_id}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class EmployeeFileJob(models.Model):
    """A file generated for one employee by a Celery task, with its status row
    (pending -> rendering -> ready / failed, the error kept)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    file = models.FileField(blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class EvidencePack(EmployeeFileJob):
    def __str__(self) -> str:
        return f"Evidence pack {self.pk} for {self.employee_id} ({self.status})"


class SubjectAccessExport(EmployeeFileJob):
    def __str__(self) -> str:
        return f"Subject-access export {self.pk} for {self.employee_id} ({self.status})"


class RetentionRule(models.Model):
    """How long records are kept.

    Kind "compliance records": the records of one requirement type are kept until the LATER of
    (hire + years_after_hire) and (employment end + years_after_end). A rule with
    years_after_end never makes a current employee's records due.

    Examples: US Form I-9: 3 years after hire or 1 year after termination, whichever is later
    (8 CFR 274a.2(b)(2)(i)(A)); UK right-to-work copies: 2 years after employment ends (Home
    Office employer guidance).

    Kind "employee record": a former employee's personal data (name, contact, address, national
    ID, bank details, contacts, documents, login) is anonymised `years_after_end` years after the
    employment ends. No law sets this period; the default (6 years, a common UK practice tied to
    the limitation period for contract claims) is a starting point HR should review. At most one
    such rule; it always anonymises (payroll history must survive its own statutory period)."""

    class Kind(models.TextChoices):
        COMPLIANCE_RECORDS = "compliance_records", _("Compliance records of a requirement type")
        EMPLOYEE_RECORD = "employee_record", _("Employee record (a former employee's personal "
                                               "data)")

    class Action(models.TextChoices):
        DELETE = "delete", _("Delete record and file")
        ANONYMISE = "anonymise", _("Anonymise (keep dates, drop file and identifiers)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("applies to"), max_length=20, choices=Kind.choices,
                            default=Kind.COMPLIANCE_RECORDS)
    requirement_type = models.ForeignKey(
        RequirementType, null=True, blank=True, on_delete=models.CASCADE,
        related_name="retention_rules",
        help_text=_("For compliance records only; leave empty for the employee record."),
    )
    years_after_hire = models.PositiveIntegerField(null=True, blank=True)
    years_after_end = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.DELETE)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years_after_hire__isnull=False) | Q(years_after_end__isnull=False),
                name="retention_has_a_period",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="compliance_records", requirement_type__isnull=False)
                    | Q(kind="employee_record", requirement_type__isnull=True,
                        years_after_hire__isnull=True, years_after_end__isnull=False,
                        action="anonymise")
                ),
                name="retention_kind_shape",
                violation_error_message=_(
                    "A compliance-records rule needs a requirement type. The employee-record "
                    "rule has no requirement type, counts only years after the employment "
                    "ends and always anonymises."),
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="employee_record"),
                name="retention_one_employee_record_rule",
                violation_error_message=_("There is already an employee-record rule."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LegalHold(models.Model):
    """While active, nothing of this employee (or this one record) is purged."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        ComplianceRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="holds"
    )
    reason = models.CharField(_("reason"), max_length=255)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold on {self.employee_id}: {self.reason}"


class PurgeRun(models.Model):
    """A retention purge: proposed with a dry-run report, executed only after HR Admin approval."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed (dry run)")
        EXECUTED = "executed", _("Executed")
        DISCARDED = "discarded", _("Discarded")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    as_of = models.DateField()
    report = models.JSONField(default=dict)  # {"due": [...], "held": [...], "external": [...]}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Purge run {self.pk} as of {self.as_of} ({self.status})"


class ComplianceStatus(models.Model):
    """The status of one requirement for one person, kept so that the dashboard, the HR home
    card and the filtered matrix count and filter in SQL instead of recomputing every cell.

    Maintained by `compliance.services.statuses` in the same transaction as every change that
    can alter it (record added, verified or rejected; requirement type, rule or policy version
    saved; acknowledgement; job change; retention purge) and rolled by a daily job as dates pass
    (`changes_on`). It always equals `compliance.selectors.status_matrix` computed from scratch
    (tests/compliance/test_status_table.py). Rows exist for leavers too; reads leave them out,
    so a termination needs no update."""

    STATUS_CHOICES = [
        ("compliant", _("Compliant")), ("expiring_soon", _("Expiring soon")),
        ("expired", _("Expired")), ("missing", _("Missing")),
        ("pending_verification", _("Pending verification")),
    ]

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    requirement_type = models.ForeignKey(
        RequirementType, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    valid_until = models.DateField(null=True, blank=True)
    # The day the status changes with no change of data (becomes expiring soon, or expired).
    changes_on = models.DateField(null=True, blank=True)
    computed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "requirement_type"],
                                    name="compliancestatus_one_per_cell"),
        ]
        indexes = [
            models.Index(fields=["requirement_type", "status"], name="compstatus_type_status"),
            models.Index(fields=["status", "employee"], name="compstatus_status_emp"),
            models.Index(fields=["changes_on"], name="compstatus_changes_on"),
            models.Index(fields=["valid_until"], name="compstatus_valid_until"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} × {self.requirement_type_id}: {self.status}"

    @property
    def days_left(self) -> int | None:
        from django.utils import timezone

        return None if self.valid_until is None else (
            self.valid_until - timezone.localdate()).days


class ComplianceSummary(models.Model):
    """The figures of the compliance dashboard and the HR home card (cells per requirement and
    status, people and compliant people per department, expiring counts and the first expiring
    cells), built from `ComplianceStatus` by a delivery item after every change, so those pages
    read one row instead of counting 60,000 cells (`compliance.services.summary`).

    One row (pk 1). It is used only while it is current: no `ComplianceSummaryChange` is
    waiting, it was built today, and the employee table's fingerprint (rows, leavers and the
    latest `updated_at`: hires, leavers and department moves) is the one it was built from;
    otherwise the pages count again, so they never show a stale figure
    (tests/compliance/test_summary.py checks the stored figures against a live count)."""

    computed_on = models.DateField()
    built_at = models.DateTimeField()
    # selectors_stored.employees_fingerprint() when it was built
    employees_fingerprint = models.CharField(max_length=100)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"compliance summary of {self.computed_on}"


class ComplianceSummaryChange(models.Model):
    """A change the summary does not include yet: written in the transaction of every change
    of the stored statuses. The build deletes the rows it saw when it started, so a change that
    commits while it runs stays here and keeps the summary out of use until the next build."""

    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"compliance change {self.pk}"
