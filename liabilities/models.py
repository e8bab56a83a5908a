"""The legal employer a tax authority bills (UK: PAYE reference; US: EIN) and what it paid.

Employers come from the pay schedules' employer details (payroll.PaySchedule): a row here holds
only the settings the schedules do not (Employment Allowance claims, quarterly payment, the
deposit schedule) and is created the first time one is saved or a payment is recorded.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class Employer(models.Model):
    class Country(models.TextChoices):
        GB = "GB", _("United Kingdom (HMRC)")
        US = "US", _("United States (IRS)")

    class DepositSchedule(models.TextChoices):
        LOOKBACK = "", _("By the look-back rule")
        MONTHLY = "monthly", _("Monthly")
        SEMIWEEKLY = "semiweekly", _("Semiweekly")

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    # The PAYE reference (123/AB45678) or the EIN (12-3456789), as the schedules store it.
    reference = models.CharField(_("tax reference"), max_length=14)
    # UK: tax years ("2026-27") the Employment Allowance is claimed for.
    employment_allowance_years = models.JSONField(_("Employment Allowance claimed for"),
                                                  default=list, blank=True)
    # UK: the Accounts Office reference (13 characters, 123PA00012345) HMRC gave with the PAYE
    # scheme; RTI submissions carry it (AORef, HMRC RTI data items guide "Employer").
    accounts_office_reference = models.CharField(_("Accounts Office reference"), max_length=13,
                                                 blank=True)
    quarterly_payer = models.BooleanField(
        _("pays HMRC quarterly"), default=False,
        help_text=_("Allowed when the average monthly payment to HMRC is under 1,500."))
    deposit_schedule = models.CharField(_("deposit schedule"), max_length=10, blank=True,
                                        choices=DepositSchedule.choices, default="")
    # US: Form 941 taxes of look-back quarters paid before this payroll ran (added to what the
    # finalised payslips show for the look-back period).
    lookback_prior_total = models.DecimalField(_("look-back taxes paid outside HROps"),
                                               null=True, blank=True, **MONEY)
    unemployment_state = models.CharField(
        _("state unemployment tax state"), max_length=2, blank=True,
        help_text=_("Two-letter state code, for FUTA credit reduction (Form 940 Schedule A)."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "reference"]
        constraints = [models.UniqueConstraint(fields=["country", "reference"],
                                               name="employer_one_per_reference")]

    def __str__(self) -> str:
        return f"{self.country} {self.reference}"


class LiabilityPayment(models.Model):
    """A payment to HMRC or the IRS against one liability (a P32 period, a 941 deposit period
    or a quarter's FUTA deposit). Several may settle one liability (partial payments)."""

    class Tax(models.TextChoices):
        PAYE = "paye", _("PAYE and NI (HMRC)")
        FORM_941 = "941", _("Federal income tax, Social Security and Medicare (941)")
        FUTA = "futa", _("FUTA (940)")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="payments")
    tax = models.CharField(_("tax"), max_length=4, choices=Tax.choices)
    period_key = models.CharField(_("period"), max_length=24)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employer", "tax", "period_key", "paid_on", "pk"]
        indexes = [models.Index(fields=["employer", "tax", "period_key"],
                                name="liabpay_employer_period")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=Decimal("0")),
                                              name="liabilitypayment_positive")]

    def __str__(self) -> str:
        return f"{self.employer} {self.tax} {self.period_key} {self.amount}"
