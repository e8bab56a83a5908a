"""RTI submissions to HMRC: one FPS per finalised UK pay run, one EPS per employer and tax month.

The message is built from finalised payslips (which never change) and the employer's and
employees' details at the time it is prepared; it is rebuilt while it has not gone to HMRC
(draft, downloaded, rejected) and frozen once submitted. HMRC's answer (the correlation id and
the acknowledgement) is recorded by a Payroll Admin, or by a transport that sends it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RtiSubmission(models.Model):
    class Kind(models.TextChoices):
        FPS = "fps", _("Full Payment Submission (FPS)")
        EPS = "eps", _("Employer Payment Summary (EPS)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DOWNLOADED = "downloaded", _("Downloaded")
        SUBMITTED = "submitted", _("Submitted, awaiting HMRC")
        ACCEPTED = "accepted", _("Accepted by HMRC")
        REJECTED = "rejected", _("Rejected by HMRC")

    # Which status may follow which (services.submission_* change status, nothing else).
    ALLOWED = {
        Status.DRAFT: {Status.DOWNLOADED, Status.SUBMITTED},
        Status.DOWNLOADED: {Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED},
        Status.REJECTED: {Status.DRAFT, Status.DOWNLOADED, Status.SUBMITTED},
        Status.ACCEPTED: set(),
    }
    # The message may be rebuilt only before HMRC has it (or after HMRC refused it).
    REBUILDABLE = frozenset({Status.DRAFT, Status.DOWNLOADED, Status.REJECTED})

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    run = models.ForeignKey("payroll.PayRun", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="rti_submissions")
    paye_reference = models.CharField(_("employer PAYE reference"), max_length=14)
    tax_year = models.CharField(_("tax year"), max_length=7)
    tax_month = models.PositiveSmallIntegerField(_("tax month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    message = models.TextField(_("message (XML)"), blank=True)
    irmark = models.CharField(_("IRmark"), max_length=28, blank=True)
    # What the message says in a few figures (shown on the page; EPS: recoverable amounts).
    figures = models.JSONField(default=dict, blank=True)
    # EPS choices made by the Payroll Admin.
    final_for_year = models.BooleanField(_("final submission for the tax year"), default=False)
    # FPS: HMRC's late reporting reason code (rti.messages.LATE_REASONS), chosen when preparing.
    late_reason = models.CharField(_("late reporting reason"), max_length=1, blank=True)
    correlation_id = models.CharField(_("HMRC correlation ID"), max_length=40, blank=True)
    acknowledgement = models.TextField(_("HMRC acknowledgement"), blank=True)
    last_error = models.TextField(blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    downloaded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-tax_year", "-tax_month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["run"], condition=Q(kind="fps"),
                                    name="rti_one_fps_per_run"),
            models.UniqueConstraint(fields=["paye_reference", "tax_year", "tax_month"],
                                    condition=Q(kind="eps"), name="rti_one_eps_per_month"),
            models.CheckConstraint(condition=Q(kind="eps") | Q(run__isnull=False),
                                   name="rti_fps_has_run"),
            models.CheckConstraint(condition=Q(tax_month__gte=1, tax_month__lte=12),
                                   name="rti_tax_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.paye_reference} {self.tax_year} m{self.tax_month}"

    @property
    def filename(self) -> str:
        where = f"run{self.run_id}" if self.kind == self.Kind.FPS else f"m{self.tax_month:02d}"
        ref = self.paye_reference.replace("/", "-")
        return f"{self.kind.upper()}-{ref}-{self.tax_year}-{where}.xml"


class RtiPerson(models.Model):
    """What RTI needs about a person that the employee record does not hold: the gender HMRC
    has on record ("Gender reported": M or F, as on the person's legal documents; HMRC data
    items guide). Set by a Payroll Admin, audited without the value."""

    class Gender(models.TextChoices):
        M = "M", _("Male")
        F = "F", _("Female")

    employee = models.OneToOneField("employees.Employee", on_delete=models.CASCADE,
                                    related_name="+")
    gender = models.CharField(_("gender reported to HMRC"), max_length=1,
                              choices=Gender.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"RTI details of employee {self.employee_id}"
