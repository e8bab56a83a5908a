"""Time off: leave types, policies assigned by rules, working patterns, an append-only ledger and
requests.

A balance is never stored: it is the sum of a person's ledger entries for one leave type up to a
date. Entries are only ever added (a cancelled request is re-credited by a reversing entry), and
the jobs that post accruals, carry-over and expiry are idempotent because the database refuses a
second entry for the same policy, person, kind and period.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employees.models import Employee
from lifecycle.models import Conditions


class Category(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday / vacation / PTO")
    SICK = "sick", _("Sickness")
    UNPAID = "unpaid", _("Unpaid leave")
    MATERNITY = "maternity", _("Maternity leave")
    PATERNITY = "paternity", _("Paternity leave")
    ADOPTION = "adoption", _("Adoption leave")
    SHARED_PARENTAL = "shared_parental", _("Shared parental leave")
    NEONATAL_CARE = "neonatal_care", _("Neonatal care leave (UK)")
    PARENTAL_BEREAVEMENT = "parental_bereavement", _("Parental bereavement leave (UK)")
    FMLA = "fmla", _("FMLA (US, job-protected, unpaid)")
    BEREAVEMENT = "bereavement", _("Bereavement")
    OTHER = "other", _("Other")


# The categories payroll hears about (statutory sick and family pay).
STATUTORY_CATEGORIES = frozenset({Category.SICK, Category.MATERNITY, Category.PATERNITY,
                                  Category.ADOPTION, Category.SHARED_PARENTAL,
                                  Category.NEONATAL_CARE, Category.PARENTAL_BEREAVEMENT})


class Unit(models.TextChoices):
    DAYS = "days", _("Days")
    HOURS = "hours", _("Hours")


class LeaveType(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    unit = models.CharField(_("counted in"), max_length=5, choices=Unit.choices,
                            default=Unit.DAYS)
    tracks_balance = models.BooleanField(
        _("has a balance"), default=True,
        help_text=_("Holiday has an entitlement; sickness or bereavement usually do not."))
    # FMLA: 12 weeks in a rolling 12 months (29 CFR 825.200). Empty = no limit.
    max_weeks_per_12_months = models.PositiveSmallIntegerField(
        _("at most weeks in any 12 months"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Method(models.TextChoices):
    FRONT_LOADED = "front_loaded", _("Annual, all at the start of the leave year")
    MONTHLY = "monthly", _("Annual, accrued each month")
    PAY_PERIOD = "pay_period", _("Annual, accrued each pay period (the person's pay schedule)")
    PER_HOUR = "per_hour", _("Per hour worked (e.g. US PTO)")
    UK_STATUTORY = "uk_statutory", _("UK statutory: 5.6 weeks, capped at 28 days")
    IRREGULAR = "irregular", _("UK irregular-hours / part-year: 12.07% of hours worked")
    NONE = "none", _("No entitlement (recorded only)")


class LeavePolicy(Conditions):
    """Who gets how much of one leave type. The first active policy (by priority) whose conditions
    match the person's job applies; empty conditions match everyone."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="policies")
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower wins when several policies match."))
    method = models.CharField(_("entitlement"), max_length=14, choices=Method.choices)
    annual_amount = models.DecimalField(
        _("amount a year"), max_digits=7, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In the leave type's unit, for a full-time full year."))
    per_hour_rate = models.DecimalField(
        _("accrued per hour worked"), max_digits=7, decimal_places=4, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("E.g. 0.0333 = 1 hour for every 30 worked."))
    pro_rata = models.BooleanField(_("pro rata for part-time and part-year"), default=True)
    # [[years of service, extra amount], ...]: the highest step reached applies.
    tenure_steps = models.JSONField(_("tenure steps"), default=list, blank=True)
    year_start_month = models.PositiveSmallIntegerField(
        _("leave year starts in month"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)])
    carry_over_limit = models.DecimalField(
        _("carry over at most"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Empty = everything carries over; 0 = nothing does."))
    carry_over_expiry_months = models.PositiveSmallIntegerField(
        _("carried-over leave expires after (months)"), null=True, blank=True)
    allow_negative = models.BooleanField(_("balance may go negative"), default=False)
    payout_on_termination = models.BooleanField(_("pay out the balance on termination"),
                                                default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["leave_type", "priority", "id"]
        verbose_name_plural = _("leave policies")

    def __str__(self) -> str:
        return self.name


class WorkingPattern(models.Model):
    """The hours someone works on each weekday (0 = a day off), from a date."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE,
                                 related_name="working_patterns")
    effective_from = models.DateField(_("from"))
    # Monday .. Sunday, hours as decimal strings ("7.50").
    weekday_hours = models.JSONField(_("hours per weekday"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["employee", "effective_from"],
                                               name="timeoff_pattern_once_per_day")]

    def __str__(self) -> str:
        return f"{self.employee_id} from {self.effective_from}"


class EntryKind(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    ACCRUAL = "accrual", _("Accrual")
    TAKEN = "taken", _("Taken")
    ADJUSTMENT = "adjustment", _("Adjustment")
    CARRY_OVER = "carry_over", _("Carry-over")
    EXPIRY = "expiry", _("Expiry")
    PAYOUT = "payout", _("Payout")


class AppendOnly(Exception):
    pass


class LedgerEntry(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE,
                                 related_name="leave_entries")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(LeavePolicy, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=3)
    effective_date = models.DateField()
    # Jobs: which period this entry is for ("2026-03", "2026", "out:2026"); "" for people's entries.
    period = models.CharField(max_length=20, blank=True, default="")
    request = models.ForeignKey("LeaveRequest", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="entries")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "leave_type", "effective_date", "id"]
        constraints = [
            # The jobs' idempotency: one accrual / carry-over / expiry per policy, person, period.
            models.UniqueConstraint(fields=["policy", "employee", "kind", "period"],
                                    condition=~Q(period=""), name="timeoff_entry_once_per_period"),
            models.CheckConstraint(condition=~Q(kind="adjustment") | ~Q(reason=""),
                                   name="timeoff_adjustment_has_reason"),
        ]
        indexes = [models.Index(fields=["employee", "leave_type", "effective_date"],
                                name="timeoff_entry_balance")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.effective_date}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly("Ledger entries are never changed; post a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Ledger entries are never deleted; post a correcting entry.")


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    ALLOWED = {
        Status.PENDING: {Status.APPROVED, Status.DECLINED, Status.CANCELLED},
        Status.APPROVED: {Status.CANCELLED},
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE,
                                 related_name="leave_requests")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    half_day_start = models.BooleanField(_("first day: afternoon only"), default=False)
    half_day_end = models.BooleanField(_("last day: morning only"), default=False)
    hours = models.DecimalField(_("hours (one day)"), max_digits=5, decimal_places=2,
                                null=True, blank=True)
    amount = models.DecimalField(_("costs"), max_digits=9, decimal_places=3)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=255, blank=True)
    self_certified = models.BooleanField(_("self-certified sickness"), default=False)
    # Family leave: the expected week of childbirth (its Sunday) or the matching date; neonatal
    # care: the day care began; parental bereavement: the day of the death.
    expected_week = models.DateField(_("expected week / matching date"), null=True, blank=True)
    fit_note = models.FileField(_("fit note"), upload_to="timeoff/fit-notes/%Y/", blank=True,
                                max_length=255)
    fit_note_content_type = models.CharField(max_length=100, blank=True)
    # The payroll deduction this request made (unpaid leave): payroll reads only UnpaidLeave.
    unpaid_leave = models.OneToOneField("payroll.UnpaidLeave", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="leave_request")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-first_day", "-id"]
        constraints = [models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")),
                                              name="timeoff_request_dates_in_order")]
        indexes = [models.Index(fields=["status", "first_day", "last_day"],
                                name="timeoff_request_dates")]

    def __str__(self) -> str:
        return f"{self.leave_type} {self.first_day}–{self.last_day}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.APPROVED)


class Delegation(models.Model):
    """While a manager is away, someone else decides their reports' requests."""

    manager = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    delegate = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(manager=models.F("delegate")),
                                              name="timeoff_delegate_not_self")]

    def __str__(self) -> str:
        return f"{self.manager_id} → {self.delegate_id}"


def _token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private address of one person's iCal feed; replacing the token revokes the old one."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.employee_id}"


class KeepingInTouchDay(models.Model):
    """A day worked during maternity, adoption or shared parental leave without ending it: paid
    as normal work, the statutory pay for that week kept (at most 10 KIT days in maternity or
    adoption leave, 20 SPLIT days in shared parental leave; timeoff.services.kit_days)."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE,
                                related_name="kit_days")
    day = models.DateField(_("day worked"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "day"]
        constraints = [models.UniqueConstraint(fields=["request", "day"],
                                               name="timeoff_kit_day_once")]

    def __str__(self) -> str:
        return f"KIT {self.day} ({self.request_id})"
