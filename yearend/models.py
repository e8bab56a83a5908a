"""Year-end documents (P60, P45, W-2) and the year-end close of a tax year per employer.

A document's figures are worked out once from the finalised payslips (``yearend.figures``) and
stored with it; its PDF is rendered from those stored figures by a worker (delivery), so a
document never changes after it is issued. The close of a tax year locks it: no run or
correction may be dated in it any more (payroll.services.runs asks ``yearend.selectors``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    P60 = "p60", _("P60 end of year certificate")
    P45 = "p45", _("P45 details of employee leaving work")
    W2 = "w2", _("Form W-2 wage and tax statement")


class YearEndDocument(models.Model):
    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=4, choices=DocumentKind.choices)
    schedule = models.ForeignKey("payroll.PaySchedule", on_delete=models.PROTECT,
                                 related_name="+")
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT,
                                 related_name="yearend_documents")
    tax_year = models.CharField(_("tax year"), max_length=7)
    # Everything printed, as strings (amounts) and plain values: see yearend.services.documents.
    figures = models.JSONField(default=dict)
    payslip_ids = models.JSONField(default=list)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    pdf_status = models.CharField(max_length=8, choices=PdfStatus.choices,
                                  default=PdfStatus.PENDING)
    pdf_file = models.FileField(upload_to="yearend/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-tax_year", "kind", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "schedule", "employee", "tax_year"],
                                    name="yearend_document_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.tax_year} emp {self.employee_id}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.tax_year}-{self.employee.employee_number}.pdf"


class YearEndClose(models.Model):
    """A tax year of one employer (pay schedule) closed: locked, documents produced, UK tax
    codes rolled forward. One row per schedule and year, so closing twice does nothing new."""

    class Status(models.TextChoices):
        # Four-eyes (settings.YEAREND_CLOSE_FOUR_EYES): asked by one Payroll Admin, done by
        # another; nothing is locked or produced until then.
        REQUESTED = "requested", _("Requested, waiting for a second Payroll Admin")
        CLOSED = "closed", _("Closed")

    schedule = models.ForeignKey("payroll.PaySchedule", on_delete=models.PROTECT,
                                 related_name="+")
    tax_year = models.CharField(_("tax year"), max_length=7)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLOSED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)
    # The HMRC notice (P9X) as entered: {"L": 7, "M": 8, "N": 6}.
    code_uplifts = models.JSONField(default=dict, blank=True)
    codes_rolled = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-tax_year", "schedule"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "tax_year"],
                                    name="yearend_close_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.tax_year} closed"


class FilingSettings(models.Model):
    """The submitter of an employer's EFW2 file (SSA Business Services Online)."""

    schedule = models.OneToOneField("payroll.PaySchedule", on_delete=models.CASCADE,
                                    related_name="filing_settings")
    bso_user_id = models.CharField(_("BSO User ID"), max_length=8)
    contact_name = models.CharField(_("contact name"), max_length=27)
    contact_phone = models.CharField(_("contact phone"), max_length=15)
    contact_email = models.EmailField(_("contact email"), max_length=40)
    employer_city = models.CharField(_("employer city"), max_length=22, blank=True)
    employer_state = models.CharField(_("employer state"), max_length=2, blank=True)
    employer_zip = models.CharField(_("employer ZIP code"), max_length=10, blank=True)

    def __str__(self) -> str:
        return f"EFW2 submitter for {self.schedule}"


class DocumentBundle(models.Model):
    """Every PDF of one kind for one schedule and year in a ZIP, built by a worker on request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    schedule = models.ForeignKey("payroll.PaySchedule", on_delete=models.CASCADE,
                                 related_name="+")
    tax_year = models.CharField(_("tax year"), max_length=7)
    kind = models.CharField(_("kind"), max_length=4, choices=DocumentKind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="yearend/bundles/", blank=True)
    documents = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} bundle {self.schedule_id} {self.tax_year}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.tax_year}-schedule-{self.schedule_id}.zip"
