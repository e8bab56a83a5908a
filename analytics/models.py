"""People analytics: the monthly workforce snapshot (a pre-aggregate of the effective-dated
record, refreshed by a job) and the headcount plan HR enters or imports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employees.models import Department, EmploymentType, Location


class WorkforceSnapshot(models.Model):
    """One month x one combination of the report's dimensions: headcount and FTE on the month's
    last day, hires and leavers during it. Written only by analytics.services.snapshot_refresh,
    which rebuilds every month from employees' history; a test checks it equals the live
    computation (analytics.workforce)."""

    month = models.DateField(_("month"), help_text=_("First day of the month."))
    department = models.ForeignKey(Department, null=True, on_delete=models.CASCADE,
                                   related_name="+")
    location = models.ForeignKey(Location, null=True, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(_("country"), max_length=2, blank=True)
    employment_type = models.CharField(_("employment type"), max_length=12, blank=True,
                                       choices=EmploymentType.choices)
    headcount = models.PositiveIntegerField(default=0)
    fte = models.DecimalField(max_digits=10, decimal_places=3, default=Decimal("0"))
    hires = models.PositiveIntegerField(default=0)
    leavers_voluntary = models.PositiveIntegerField(default=0)
    leavers_involuntary = models.PositiveIntegerField(default=0)
    leavers_other = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month"], name="wfsnapshot_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department", "location", "country", "employment_type"],
                name="wfsnapshot_one_row_per_cell", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.headcount}"


class SnapshotRun(models.Model):
    """When the snapshot was last rebuilt, and over which months (one row, pk=1)."""

    refreshed_at = models.DateTimeField()
    first_month = models.DateField()
    last_month = models.DateField()
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="snapshotrun_single_row")]

    def __str__(self) -> str:
        return f"Snapshot {self.first_month:%Y-%m}..{self.last_month:%Y-%m} at {self.refreshed_at}"


class HeadcountPlan(models.Model):
    """Budgeted headcount and FTE for one department in one month, entered or imported by HR."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    budget_headcount = models.PositiveIntegerField(_("budgeted headcount"))
    budget_fte = models.DecimalField(_("budgeted FTE"), max_digits=8, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"],
                                    name="headcountplan_one_per_department_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="headcountplan_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.month:%Y-%m}: {self.budget_headcount}"


class PayBand(models.Model):
    """The pay range of a job title in one currency (annual amounts)."""

    job_title = models.ForeignKey("employees.JobTitle", on_delete=models.CASCADE,
                                  related_name="+")
    currency = models.CharField(_("currency"), max_length=3)
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2)
    midpoint = models.DecimalField(_("midpoint"), max_digits=12, decimal_places=2)
    maximum = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job_title__name", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["job_title", "currency"],
                                    name="payband_one_per_title_currency"),
            models.CheckConstraint(
                condition=Q(minimum__gt=0, midpoint__gte=models.F("minimum"),
                            maximum__gte=models.F("midpoint")),
                name="payband_min_mid_max_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} {self.currency} {self.minimum}-{self.maximum}"


class SavedReport(models.Model):
    """A report with its filters, kept by its owner; optionally emailed on a schedule (a link
    only, never the data) to chosen users who may open analytics."""

    class Kind(models.TextChoices):
        WORKFORCE = "workforce", _("Workforce")
        PAY = "pay", _("Pay")
        PAY_GAP = "pay_gap", _("Gender pay gap")
        EEO1 = "eeo1", _("EEO-1 Component 1")
        ABSENCE = "absence", _("Sickness absence")
        COVERAGE = "coverage", _("Compliance coverage")

    class Schedule(models.TextChoices):
        NONE = "", _("Not sent")
        WEEKLY = "weekly", _("Weekly (Mondays)")
        MONTHLY = "monthly", _("Monthly (the 1st)")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("report"), max_length=12, choices=Kind.choices,
                            default=Kind.WORKFORCE)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    schedule = models.CharField(_("send"), max_length=8, choices=Schedule.choices, blank=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SelfIdentification(models.Model):
    """An employee's voluntary self-identification for US EEO-1 reporting. Seen only by the
    employee and HR Admin (analytics.eeo1); never by managers, in the directory or on the
    profile; the audit trail records that it changed, not the answers."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        DECLINED = "declined", _("I do not wish to answer")

    class Race(models.TextChoices):
        HISPANIC = "hispanic", _("Hispanic or Latino")
        WHITE = "white", _("White (not Hispanic or Latino)")
        BLACK = "black", _("Black or African American (not Hispanic or Latino)")
        PACIFIC = "pacific", _("Native Hawaiian or Other Pacific Islander (not Hispanic or "
                               "Latino)")
        ASIAN = "asian", _("Asian (not Hispanic or Latino)")
        NATIVE = "native", _("American Indian or Alaska Native (not Hispanic or Latino)")
        TWO_OR_MORE = "two_or_more", _("Two or more races (not Hispanic or Latino)")
        DECLINED = "declined", _("I do not wish to answer")

    employee = models.OneToOneField("employees.Employee", on_delete=models.CASCADE,
                                    related_name="+")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    race_ethnicity = models.CharField(_("race / ethnicity"), max_length=12,
                                      choices=Race.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Self-identification of employee {self.employee_id}"


class EEOJobCategory(models.Model):
    """The EEO-1 job category of a job title (set by HR Admin)."""

    class Category(models.TextChoices):
        EXECUTIVES = "1.1", _("Executive/Senior Level Officials and Managers")
        MANAGERS = "1.2", _("First/Mid Level Officials and Managers")
        PROFESSIONALS = "2", _("Professionals")
        TECHNICIANS = "3", _("Technicians")
        SALES = "4", _("Sales Workers")
        ADMINISTRATIVE = "5", _("Administrative Support Workers")
        CRAFT = "6", _("Craft Workers")
        OPERATIVES = "7", _("Operatives")
        LABORERS = "8", _("Laborers and Helpers")
        SERVICE = "9", _("Service Workers")

    job_title = models.OneToOneField("employees.JobTitle", on_delete=models.CASCADE,
                                     related_name="+")
    category = models.CharField(_("EEO-1 job category"), max_length=4,
                                choices=Category.choices)

    def __str__(self) -> str:
        return f"{self.job_title}: {self.get_category_display()}"


class PayrollCostSnapshot(models.Model):
    """Finalised payroll cost by month and department (pre-aggregated by the nightly
    snapshot_refresh from payroll.selectors_cost; a test checks it equals the live sums)."""

    month = models.DateField()
    department = models.ForeignKey(Department, null=True, on_delete=models.CASCADE,
                                   related_name="+")
    currency = models.CharField(max_length=3)
    people = models.PositiveIntegerField()
    gross = models.DecimalField(max_digits=16, decimal_places=2)
    employer_tax = models.DecimalField(max_digits=16, decimal_places=2)
    employer_cost = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "department", "currency"], name="payrollcost_one_row_per_cell",
            nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id} {self.currency}"


class PayGapGender(models.Model):
    """The gender an employee identifies with, for the UK gender pay gap (gov.uk "Gender pay
    gap reporting: the data you must gather", step 1: use the gender the employee identifies
    with; someone who identifies as neither may be left out). Set by HR Admin only, audited
    without the value, never shown in the directory or on the profile. Apart from the EEO-1
    self-identification, which is the employee's own voluntary answer about US "sex"."""

    class Gender(models.TextChoices):
        MAN = "man", _("Man")
        WOMAN = "woman", _("Woman")
        NEITHER = "neither", _("Neither / not disclosed (left out of the figures)")

    employee = models.OneToOneField("employees.Employee", on_delete=models.CASCADE,
                                    related_name="+")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pay gap gender of employee {self.employee_id}"


class ComplianceCoverageSnapshot(models.Model):
    """Compliance coverage at the end of a month (pre-aggregated by the nightly snapshot_refresh
    from analytics.coverage.coverage_live; a test checks both agree)."""

    month = models.DateField(unique=True)
    required = models.PositiveIntegerField()
    compliant = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.compliant}/{self.required}"


class PayGapResult(models.Model):
    """The UK gender pay gap figures of one snapshot date, sector and legal employer, stored
    by analytics.gpg_store (the page reads them; computing them reads every relevant employee's
    payslips). Recomputed by "Recalculate" and by the nightly refresh when a pay run of the
    period was finalised, or a gender recorded, after `computed_at`; a test checks the stored
    figures equal the live computation."""

    snapshot = models.DateField()
    sector = models.CharField(max_length=8)
    employer = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField()
    figures = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "sector", "employer"],
                                               name="paygapresult_one_per_snapshot")]

    def __str__(self) -> str:
        return f"Pay gap {self.snapshot} {self.sector} {self.employer or 'all'}"
