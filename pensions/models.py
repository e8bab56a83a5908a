"""UK workplace pension auto-enrolment: the scheme, each worker's membership, the per-period
assessment and the statutory letters (rules and sources: pensions/rules.py)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PCT = dict(max_digits=5, decimal_places=2)


class Category(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible jobholder")
    NON_ELIGIBLE = "non_eligible", _("Non-eligible jobholder")
    ENTITLED = "entitled", _("Entitled worker")
    OUTSIDE = "outside", _("Outside the age range (under 16 or 75 and over)")


class PensionScheme(models.Model):
    class Relief(models.TextChoices):
        NET_PAY = "net_pay", _("Net pay arrangement")
        RELIEF_AT_SOURCE = "ras", _("Relief at source")

    class Basis(models.TextChoices):
        QUALIFYING = "qualifying", _("Qualifying earnings band")
        BASIC_PAY = "basic_pay", _("Basic pay (certification set 1)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    provider_name = models.CharField(_("provider"), max_length=100)
    scheme_reference = models.CharField(_("scheme reference"), max_length=40)
    employer_reference = models.CharField(_("employer reference at the provider"),
                                          max_length=40)
    schedules = models.ManyToManyField("payroll.PaySchedule", blank=True, related_name="+",
                                       verbose_name=_("pay schedules it covers"))
    relief = models.CharField(_("tax relief"), max_length=8, choices=Relief.choices,
                              default=Relief.NET_PAY)
    basis = models.CharField(_("contribution basis"), max_length=12, choices=Basis.choices,
                             default=Basis.QUALIFYING)
    employee_percent = models.DecimalField(_("employee %"), default=Decimal("5"), **PCT)
    employer_percent = models.DecimalField(_("employer %"), default=Decimal("3"), **PCT)
    postponement_days = models.PositiveSmallIntegerField(
        _("postponement (days)"), default=0,
        help_text=_("Up to three months from the date a worker starts or becomes eligible."))
    duties_start_date = models.DateField(_("duties start (staging) date"))
    reenrolment_date = models.DateField(_("re-enrolment date"), null=True, blank=True)
    employee_component = models.ForeignKey("payroll.PayComponent", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    employer_component = models.ForeignKey("payroll.PayComponent", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    refund_component = models.ForeignKey("payroll.PayComponent", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Status(models.TextChoices):
        NOT_ENROLLED = "not_enrolled", _("Not enrolled")
        POSTPONED = "postponed", _("Postponed")
        ENROLLED = "enrolled", _("Automatically enrolled")
        OPTED_IN = "opted_in", _("Opted in")
        JOINED = "joined", _("Joined")
        OPTED_OUT = "opted_out", _("Opted out")
        CEASED = "ceased", _("Ceased active membership")

    ACTIVE = (Status.ENROLLED, Status.OPTED_IN, Status.JOINED)

    scheme = models.ForeignKey(PensionScheme, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE,
                                 related_name="pension_memberships")
    status = models.CharField(_("status"), max_length=14, choices=Status.choices,
                              default=Status.NOT_ENROLLED)
    category = models.CharField(_("last assessed as"), max_length=14, choices=Category.choices,
                                blank=True)
    postponed_until = models.DateField(_("postponed until"), null=True, blank=True)
    enrolled_on = models.DateField(_("enrolment date"), null=True, blank=True)
    letter_sent_on = models.DateField(_("enrolment letter date"), null=True, blank=True)
    opt_out_deadline = models.DateField(_("opt-out window ends"), null=True, blank=True)
    opted_out_on = models.DateField(_("opted out on"), null=True, blank=True)
    ceased_on = models.DateField(_("ceased on"), null=True, blank=True)
    employee_refund = models.DecimalField(_("employee contributions refunded"), max_digits=12,
                                          decimal_places=2, default=Decimal("0.00"))
    employer_refund = models.DecimalField(_("employer contributions returned"), max_digits=12,
                                          decimal_places=2, default=Decimal("0.00"))
    reenrolled_on = models.DateField(_("re-enrolled on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "employee"],
                                               name="pension_member_once")]

    def __str__(self) -> str:
        return f"{self.employee_id} in {self.scheme_id}: {self.status}"


class Assessment(models.Model):
    """One worker's assessment for one pay period (idempotent: one row per period)."""

    scheme = models.ForeignKey(PensionScheme, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("payroll.PayPeriod", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=14, choices=Category.choices)
    earnings = models.DecimalField(max_digits=12, decimal_places=2)
    age = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=20, blank=True)
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "employee", "period"],
                                               name="pension_assessed_once")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period_id}: {self.category}"


class Letter(models.Model):
    class Kind(models.TextChoices):
        ENROLMENT = "enrolment", _("Automatic enrolment")
        POSTPONEMENT = "postponement", _("Postponement")
        NON_ELIGIBLE = "non_eligible", _("Your right to opt in")
        ENTITLED = "entitled", _("Your right to join")
        REENROLMENT = "reenrolment", _("Automatic re-enrolment")
        OPTED_OUT = "opted_out", _("Opt-out confirmed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reference_date = models.DateField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["membership", "kind", "reference_date"],
                                               name="pension_letter_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference_date}"


class Reenrolment(models.Model):
    """The re-enrolment exercise and its declaration figures for The Pensions Regulator."""

    scheme = models.ForeignKey(PensionScheme, on_delete=models.CASCADE, related_name="+")
    reenrolment_date = models.DateField()
    assessed = models.PositiveIntegerField(default=0)
    reenrolled = models.PositiveIntegerField(default=0)
    active_members = models.PositiveIntegerField(default=0)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "reenrolment_date"],
                                               name="pension_reenrol_once")]

    def __str__(self) -> str:
        return f"re-enrolment {self.reenrolment_date}"
