from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employees.countries import validate_country
from employees.crypto import EncryptedTextField


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166 code, e.g. US, GB"),
        validators=[validate_country],
    )
    timezone = models.CharField(_("time zone"), max_length=60, default="UTC")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobTitle(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    job_family = models.CharField(_("job family"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    TEMPORARY = "temporary", _("Temporary")
    CONTRACTOR = "contractor", _("Contractor")
    INTERN = "intern", _("Intern")


class Employee(models.Model):
    """One person. The job fields below mirror the JobRecord in effect today (kept in step by
    employees.services), so lists and permission checks need no effective-date query."""

    class Status(models.TextChoices):
        PRE_HIRE = "pre_hire", _("Pre-hire")
        ACTIVE = "active", _("Active")
        ON_LEAVE = "on_leave", _("On leave")
        TERMINATED = "terminated", _("Terminated")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="employee",
    )
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    work_email = models.EmailField(_("work email"), unique=True, null=True, blank=True)
    personal_email = models.EmailField(_("personal email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address_line1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("state / county"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               validators=[validate_country])
    work_country = models.CharField(_("work country"), max_length=2, default="GB",
                                    validators=[validate_country])
    # Encrypted at rest (employees.crypto); never searchable, shown as its last 4 only.
    national_id = EncryptedTextField(_("national ID"), blank=True, default="")
    national_id_last4 = models.CharField(_("national ID (last 4)"), max_length=4, blank=True)
    national_id_country = models.CharField(_("national ID country"), max_length=2, blank=True,
                                           validators=[validate_country])

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PRE_HIRE
    )
    hire_date = models.DateField(_("hire date"))
    termination_date = models.DateField(_("termination date"), null=True, blank=True)

    # Current job (mirror of the JobRecord in effect today).
    job_title = models.ForeignKey(
        JobTitle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    fte = models.DecimalField(
        _("FTE"), max_digits=4, decimal_places=3, default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.5"))],
    )

    # Set once by employees.services.anonymise when the retention period of a former
    # employee's personal data has passed; the record keeps only what payroll statistics need.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    # Optimistic concurrency: a form carries the version it was loaded at; a save from an older
    # version is refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        indexes = [
            models.Index(fields=["status"], name="employee_status"),
            models.Index(fields=["legal_last_name", "legal_first_name"], name="employee_name"),
            # API syncs (issue 17) walk people in (updated_at, id) order from a cursor.
            models.Index(fields=["updated_at", "id"], name="employee_updated_id"),
            # Current staff in name order, as the directory and the compliance matrix list them:
            # an OFFSET of 10,000 walks this index (index-only) instead of sorting every row.
            models.Index(fields=["legal_last_name", "legal_first_name", "id"],
                         name="employee_current_name", condition=~Q(status="terminated")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=models.F("id")), name="employee_not_own_manager"
            ),
        ]
        permissions = [
            ("view_team_compensation", "Manager may see reports' pay"),
            ("view_team_sensitive", "Manager may see reports' bank and national ID (masked)"),
            ("view_team_documents", "Manager may see reports' documents"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.employee_number})"

    # Django's generated get_FOO_display rebuilds a dict of every choice, hashing each lazy
    # label (one translation lookup each), on every call: ~0.1 ms, twice per directory row.
    # These look the one label up in a dict built once (an unknown value shows as itself).
    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    def get_employment_type_display(self) -> str:
        return str(_EMPLOYMENT_TYPE_LABELS.get(self.employment_type, self.employment_type))

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.legal_first_name} {self.legal_last_name}"

    @property
    def initials(self) -> str:
        first = (self.preferred_name or self.legal_first_name)[:1]
        return f"{first}{self.legal_last_name[:1]}".upper()

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    @cached_property
    def leaving_on(self) -> date | None:
        """The last working day of the current employment when one is scheduled. Lists
        annotate it instead (employees.selectors.with_leaving_on): one query for all rows."""
        if self.pk is None:
            return None
        return (Employment.objects.filter(employee_id=self.pk).order_by("-start_date")
                .values_list("end_date", flat=True).first())

    @property
    def status_display(self) -> str:
        """The status as people say it: "Leaving on 19 Dec 2026" for a scheduled leaver,
        "Starts on 2 Feb 2027" for a pre-hire, else the plain status."""
        if self.status in (self.Status.ACTIVE, self.Status.ON_LEAVE) and self.leaving_on:
            day = date_format(self.leaving_on)
            if self.status == self.Status.ON_LEAVE:
                return gettext("On leave, leaving on %(day)s") % {"day": day}
            return gettext("Leaving on %(day)s") % {"day": day}
        if self.status == self.Status.PRE_HIRE and self.hire_date:
            return gettext("Pre-hire, starts on %(day)s") % {
                "day": date_format(self.hire_date)}
        return str(self.get_status_display())


_STATUS_LABELS = dict(Employee.Status.choices)
_EMPLOYMENT_TYPE_LABELS = dict(EmploymentType.choices)


class Employment(models.Model):
    """One period of employment. A rehire opens a new one; history is kept."""

    class TerminationReason(models.TextChoices):
        RESIGNATION = "resignation", _("Resignation")
        DISMISSAL = "dismissal", _("Dismissal")
        REDUNDANCY = "redundancy", _("Redundancy")
        END_OF_CONTRACT = "end_of_contract", _("End of contract")
        RETIREMENT = "retirement", _("Retirement")
        MUTUAL = "mutual", _("Mutual agreement")
        DEATH = "death", _("Death in service")
        OTHER = "other", _("Other")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="employments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("last working day"), null=True, blank=True)
    termination_reason = models.CharField(
        _("termination reason"), max_length=20, choices=TerminationReason.choices, blank=True
    )
    rehire_eligible = models.BooleanField(_("eligible for rehire"), null=True, blank=True)

    class Meta:
        ordering = ["employee", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "start_date"], name="employment_unique_start"
            ),
            models.UniqueConstraint(
                fields=["employee"], condition=Q(end_date__isnull=True),
                name="employment_one_open_period",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.start_date}–{self.end_date or ''}"


class ChangeReason(models.TextChoices):
    HIRE = "hire", _("Hire")
    REHIRE = "rehire", _("Rehire")
    PROMOTION = "promotion", _("Promotion")
    TRANSFER = "transfer", _("Transfer")
    REORGANISATION = "reorganisation", _("Reorganisation")
    MERIT_INCREASE = "merit_increase", _("Merit increase")
    MARKET_ADJUSTMENT = "market_adjustment", _("Market adjustment")
    HOURS_CHANGE = "hours_change", _("Change of hours")
    CORRECTION = "correction", _("Correction")
    OTHER = "other", _("Other")


class JobRecord(models.Model):
    """Effective-dated job: in force from `effective_date` until the next record's date."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="job_records")
    effective_date = models.DateField(_("effective date"))
    job_title = models.ForeignKey(JobTitle, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    fte = models.DecimalField(_("FTE"), max_digits=4, decimal_places=3, default=Decimal("1.000"))
    # Contracted hours a week: what payroll divides a salary by for an hourly rate (overtime of
    # salaried staff). Blank: not known, and overtime for a salaried person is refused.
    weekly_hours = models.DecimalField(
        _("contracted hours a week"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("168"))])
    reason = models.CharField(_("reason"), max_length=20, choices=ChangeReason.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-effective_date"]
        constraints = [
            # Effective-dated records of one kind never overlap: one per person per date.
            models.UniqueConstraint(
                fields=["employee", "effective_date"], name="jobrecord_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} from {self.effective_date}"


class CompensationRecord(models.Model):
    """Effective-dated pay. Payroll reads it only through
    employees.selectors.compensation_as_of(employee, date)."""

    class Basis(models.TextChoices):
        SALARY = "salary", _("Annual salary")
        HOURLY = "hourly", _("Hourly rate")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="compensation_records"
    )
    effective_date = models.DateField(_("effective date"))
    basis = models.CharField(_("pay basis"), max_length=6, choices=Basis.choices)
    annual_salary = models.DecimalField(
        _("annual salary"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    pay_schedule = models.ForeignKey(
        "payroll.PaySchedule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ChangeReason.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "effective_date"], name="comprecord_one_per_date"
            ),
            models.CheckConstraint(
                condition=(
                    Q(basis="salary", annual_salary__gt=0, hourly_rate__isnull=True)
                    | Q(basis="hourly", hourly_rate__gt=0, annual_salary__isnull=True)
                ),
                name="comprecord_amount_matches_basis",
            ),
        ]

    def __str__(self) -> str:
        amount = self.annual_salary if self.basis == self.Basis.SALARY else self.hourly_rate
        return f"{self.currency} {amount} ({self.get_basis_display()}) from {self.effective_date}"


class BankScheme(models.TextChoices):
    IBAN = "iban", _("IBAN + BIC")
    US_ACH = "us_ach", _("US routing + account number")
    UK = "uk", _("UK sort code + account number")


class AccountType(models.TextChoices):
    CHECKING = "checking", _("Checking / current")
    SAVINGS = "savings", _("Savings")


class BankDetailsFields(models.Model):
    """The account itself, shared by a held account and a proposed change. Account numbers and
    IBANs are encrypted; bank identifiers (BIC, routing number, sort code) are not secret."""

    holder_name = models.CharField(_("account holder"), max_length=140)
    country = models.CharField(_("bank country"), max_length=2)
    scheme = models.CharField(_("account format"), max_length=8, choices=BankScheme.choices)
    account_type = models.CharField(
        _("account type"), max_length=8, choices=AccountType.choices, default=AccountType.CHECKING
    )
    iban = EncryptedTextField(_("IBAN"), blank=True, default="")
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    routing_number = models.CharField(_("routing number"), max_length=9, blank=True)
    sort_code = models.CharField(_("sort code"), max_length=6, blank=True)
    account_number = EncryptedTextField(_("account number"), blank=True, default="")
    last4 = models.CharField(_("last 4"), max_length=4, blank=True)

    class Meta:
        abstract = True

    @property
    def masked(self) -> str:
        return f"•••• {self.last4}" if self.last4 else ""

    @property
    def bank_label(self) -> str:
        """The non-secret part, e.g. "Sort code 20-00-00" or "BIC NWBKGB2L"."""
        if self.scheme == BankScheme.UK and self.sort_code:
            sc = self.sort_code
            return f"{_('Sort code')} {sc[:2]}-{sc[2:4]}-{sc[4:]}"
        if self.scheme == BankScheme.US_ACH:
            return f"{_('Routing')} {self.routing_number}"
        return f"BIC {self.bic}" if self.bic else str(BankScheme.IBAN.label)


class BankAccount(BankDetailsFields):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="bank_accounts")
    is_primary = models.BooleanField(_("primary (salary paid here)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "-is_primary", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(is_primary=True), name="bankaccount_one_primary"
            ),
            models.CheckConstraint(
                condition=Q(is_primary=False) | Q(is_active=True),
                name="bankaccount_primary_is_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} {self.masked}"


class BankChangeRequest(BankDetailsFields):
    """An employee's request to be paid into another account; HR Admin or Payroll Admin decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="bank_change_requests"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    resulting_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(status="pending"),
                name="bankchangerequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.masked} ({self.get_status_display()})"


class EmergencyContact(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    name = models.CharField(_("name"), max_length=140)
    relationship = models.CharField(_("relationship"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["employee", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(is_primary=True),
                name="emergencycontact_one_primary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


def document_upload_to(instance: "Document", filename: str) -> str:
    import uuid
    from pathlib import Path

    # A random name: the original is kept in the row, never trusted as a path.
    suffix = Path(filename).suffix.lower()
    return f"private/employees/{instance.employee_id}/{uuid.uuid4().hex}{suffix}"


def photo_upload_to(instance: "ProfilePhoto", filename: str) -> str:
    import uuid

    # Always a JPEG we wrote ourselves (employees.services.photos); a new name on every upload so
    # no cache keeps showing the old face.
    return f"private/photos/{instance.employee_id}/{uuid.uuid4().hex}.jpg"


class ProfilePhoto(models.Model):
    """A person's photo on the org chart, colleague directory and profile: re-encoded as a
    square JPEG by employees.services.photos (metadata such as GPS stripped), kept outside any
    public URL and served by employees.views.photos, which checks who may see it."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="photo")
    image = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile photo")

    def __str__(self) -> str:
        return f"{self.employee}: {self.image.name}"


class Document(models.Model):
    """A file on a profile. Stored outside any public URL; downloads go through
    employees.views.documents.download, which checks access and audits."""

    class Type(models.TextChoices):
        CONTRACT = "contract", _("Contract of employment")
        IDENTITY = "identity", _("Identity document")
        RIGHT_TO_WORK = "right_to_work", _("Right to work")
        OFFER = "offer", _("Offer letter")
        CERTIFICATE = "certificate", _("Certificate / qualification")
        TAX = "tax", _("Tax form")
        OTHER = "other", _("Other")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=16, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_doc_type_display()})"


class AccessPolicy(models.Model):
    """Company-wide access levels, set by HR Admin on one page; read only by employees.access.
    One row (pk=1); a missing row means the defaults."""

    managers_see_team_pay = models.BooleanField(
        _("managers see their reports' pay"), default=False,
        help_text=_("Off: a manager sees pay only with the per-user grant."))
    # Segregation of duties (issue 12): pay changes above these need a second HR Admin or
    # Payroll Admin before they take effect. Both thresholds blank: every pay change does.
    pay_changes_need_second_approval = models.BooleanField(
        _("pay changes need a second approver"), default=False,
        help_text=_("On: a pay change above the thresholds waits for another HR Admin or "
                    "Payroll Admin to approve it before it takes effect."))
    pay_change_threshold_percent = models.DecimalField(
        _("from a change of (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))])
    pay_change_threshold_amount = models.DecimalField(
        _("or from a change of (amount a year or an hour)"), max_digits=12, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    colleague_directory = models.BooleanField(
        _("employees see the colleague directory"), default=True,
        help_text=_("On: every employee can look up colleagues' work details (name, title, "
                    "department, location, work email, manager) and browse the whole org "
                    "chart. Off: an employee sees only their own place on the org chart."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("access policy")
        verbose_name_plural = _("access policy")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1),
                                              name="access_policy_single_row")]

    def __str__(self) -> str:
        return str(_("Access policy"))


class ChangeProposal(models.Model):
    """A job or pay change that waits for someone else's approval before it takes effect
    (issue 12): proposed by a manager for one of their reports (HR decides), or a pay change
    above the company's second-approval thresholds (another HR Admin or Payroll Admin decides).
    Approving records the change through the same service as the profile; declining needs a
    reason."""

    class Kind(models.TextChoices):
        JOB = "job", _("Job change")
        PAY = "pay", _("Pay change")

    class Origin(models.TextChoices):
        MANAGER = "manager", _("Proposed by the manager")
        SECOND_APPROVAL = "second_approval", _("Needs a second approver")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Withdrawn")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE,
                                 related_name="change_proposals")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    effective_date = models.DateField(_("effective date"))
    # The proposed values, as primary keys and strings (employees.services.proposals).
    data = models.JSONField()
    reason = models.CharField(_("reason"), max_length=30)
    note = models.CharField(_("note"), max_length=255, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=255, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="proposal_status_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.employee} ({self.get_status_display()})"


def import_upload_to(instance: "ImportJob", filename: str) -> str:
    import uuid
    from pathlib import Path

    # A random name: the file holds personal data; the original name is kept in the row.
    return f"private/imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportJob(models.Model):
    """One uploaded import file, checked and then applied by a worker (delivery items
    `employees.import.check` / `employees.import.apply`). The file stays in storage until it
    is applied (or found invalid); the row keeps every error and what the file would do.

    checking -> invalid | checked -> applying -> applied | failed."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        CHECKED = "checked", _("Ready to import")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.CHECKING, Status.APPLYING)

    kind = models.CharField(_("kind"), max_length=20)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.CHECKING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # [[row, column, message], ...]: every error of the file, found in one pass.
    errors = models.JSONField(default=list, blank=True)
    # [[row, summary], ...] of the first rows: what the import will do.
    preview = models.JSONField(default=list, blank=True)
    error = models.TextField(_("failure"), blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
