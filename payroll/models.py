"""Payroll: schedules and periods, pay setup (components, recurring items, tax profiles, unpaid
leave), pay runs and their immutable results (payslips and lines).

The calculation itself is pure Python in ``payroll/engine``; these models store its inputs and its
results. Nothing of a finalised run ever changes: services refuse, and the models below refuse too
(``save()``/``delete()`` guards), so a stray ``.save()`` in a shell cannot rewrite paid history.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employees.crypto import EncryptedTextField
from payroll.validators import validate_ein, validate_paye_reference

MONEY = {"max_digits": 12, "decimal_places": 2}
RATE = {"max_digits": 12, "decimal_places": 4}


class PayrollImmutableError(ValidationError):
    """Raised when something tries to change a finalised (or paid) run's results."""


FROZEN_STATUSES = ("finalised", "paid")


class FrozenGuardQuerySet(models.QuerySet):
    """A bulk delete that would touch a finalised run's rows is refused, like a single one."""

    frozen_lookup = ""

    def delete(self):
        if self.filter(**{self.frozen_lookup: FROZEN_STATUSES}).exists():
            raise PayrollImmutableError(_("Rows of a finalised pay run cannot be deleted."))
        return super().delete()


class PayRunQuerySet(FrozenGuardQuerySet):
    frozen_lookup = "status__in"


class PayslipQuerySet(FrozenGuardQuerySet):
    frozen_lookup = "run__status__in"


class PayslipLineQuerySet(FrozenGuardQuerySet):
    frozen_lookup = "payslip__run__status__in"


class RunInputQuerySet(FrozenGuardQuerySet):
    frozen_lookup = "run__status__in"


# The countries the payroll engine can tax, and the engine jurisdiction each maps to. Explicit on
# purpose: a country not listed is refused (never taxed as another country's payroll). "UK" is a
# legacy spelling of GB kept for rows saved before the country was validated.
SUPPORTED_COUNTRIES = {"GB": _("United Kingdom"), "US": _("United States")}
JURISDICTION_BY_COUNTRY = {"GB": "UK", "UK": "UK", "US": "US"}


class UnsupportedJurisdiction(ValidationError):
    """A pay schedule's country has no tax engine: nothing may be calculated for it."""


def validate_supported_country(value: str) -> None:
    if value not in SUPPORTED_COUNTRIES:
        raise ValidationError(
            _("Payroll cannot be run for country %(c)s: the payroll engine supports only "
              "%(supported)s. Pay these employees through a GB or US schedule, or outside "
              "HROps."),
            params={"c": value or "(none)", "supported": ", ".join(SUPPORTED_COUNTRIES)},
            code="unsupported_country")


class PayFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Biweekly (US)")
    FORTNIGHTLY = "fortnightly", _("Fortnightly (UK)")
    FOUR_WEEKLY = "four_weekly", _("Four-weekly (UK)")
    SEMIMONTHLY = "semimonthly", _("Semimonthly (US)")
    MONTHLY = "monthly", _("Monthly")


class ProrationBasis(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("Calendar days")
    WORKING_DAYS = "working_days", _("Working days")


class PaySchedule(models.Model):
    """How often a group of employees is paid. Employees join one through their compensation
    record; pay periods and pay dates are generated from it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=PayFrequency.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("GB or US"),
                               validators=[validate_supported_country])
    currency = models.CharField(_("currency"), max_length=3)
    first_period_start = models.DateField(
        _("first period starts"),
        help_text=_("Anchor for weekly, biweekly, fortnightly and four-weekly periods."),
    )
    pay_date_offset_days = models.PositiveSmallIntegerField(
        _("pay date, days after period end"), default=0
    )
    is_active = models.BooleanField(_("active"), default=True)
    proration_basis = models.CharField(
        _("proration basis"), max_length=14, choices=ProrationBasis.choices,
        default=ProrationBasis.CALENDAR_DAYS,
    )
    whole_dollar_withholding = models.BooleanField(
        _("round US federal income tax to whole dollars"), default=False
    )
    class SupplementalMethod(models.TextChoices):
        AGGREGATE = "aggregate", _("Aggregate with regular wages")
        FLAT = "flat", _("Optional flat rate (22%)")

    # US supplemental wages (bonuses, commissions, off-cycle payments; IRS Pub 15 section 7).
    # Above 1,000,000 of supplemental wages in a year, 37% is mandatory whatever this says.
    supplemental_method = models.CharField(
        _("US supplemental wages withholding"), max_length=10,
        choices=SupplementalMethod.choices, default=SupplementalMethod.AGGREGATE,
        help_text=_("IRS Pub 15 section 7: aggregate with regular wages, or the optional flat "
                    "rate of 22%. 37% applies above 1,000,000 of supplemental wages a year."),
    )
    variance_threshold_percent = models.DecimalField(
        _("flag net pay changes above (%)"), max_digits=6, decimal_places=2,
        default=Decimal("10.00"),
    )
    # The company's side of this schedule's payment file (payroll.services.payment_details).
    # Empty fields fall back to the PAYROLL_ACH_* / PAYROLL_DEBTOR_* settings.
    payer_name = models.CharField(_("payer name on payment files"), max_length=70, blank=True)
    ach_company_id = models.CharField(_("ACH company ID"), max_length=10, blank=True)
    ach_odfi_routing = models.CharField(_("ACH originating bank routing number"), max_length=9,
                                        blank=True)
    ach_destination_routing = models.CharField(_("ACH immediate destination routing number"),
                                               max_length=9, blank=True)
    ach_destination_name = models.CharField(_("ACH immediate destination name"), max_length=23,
                                            blank=True)
    debtor_iban = EncryptedTextField(_("company IBAN (SEPA)"), blank=True, default="")
    debtor_bic = models.CharField(_("company BIC (SEPA)"), max_length=11, blank=True)
    # BACS Standard 18 (UK): the service user number and the account the contra debits.
    bacs_sun = models.CharField(_("BACS service user number"), max_length=6, blank=True)
    bacs_sort_code = models.CharField(_("company sort code (BACS)"), max_length=6, blank=True)
    bacs_account_number = models.CharField(_("company account number (BACS)"), max_length=8,
                                           blank=True)
    # The legal employer printed on payslips (payroll.services.employer): UK PAYE reference,
    # US EIN. Copied onto each payslip when its run is finalised.
    employer_legal_name = models.CharField(_("employer legal name"), max_length=140, blank=True)
    employer_address = models.TextField(_("employer address"), blank=True)
    employer_paye_reference = models.CharField(_("employer PAYE reference"), max_length=14,
                                               blank=True, validators=[validate_paye_reference])
    employer_ein = models.CharField(_("employer EIN"), max_length=10, blank=True,
                                    validators=[validate_ein])
    # UK Small Employer Relief (Class 1 NI of 45,000 or less in the last complete tax year):
    # the employer recovers 108.5% of statutory family pay instead of 92% (103% before 6 April
    # 2025; payroll/engine/statutory/rates.py cites the change).
    small_employer_relief = models.BooleanField(
        _("qualifies for Small Employer Relief"), default=False,
        help_text=_("UK: Class 1 National Insurance of 45,000 or less in the last complete "
                    "tax year. Recover 108.5% of statutory maternity, paternity, adoption, "
                    "shared parental, bereavement and neonatal care pay instead of 92% (103% "
                    "before 6 April 2025)."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def debtor_iban_masked(self) -> str:
        return f"•••• {self.debtor_iban[-4:]}" if self.debtor_iban else ""

    @property
    def jurisdiction(self) -> str:
        """The engine's jurisdiction key for this schedule's country; raises
        UnsupportedJurisdiction for a country the engine cannot tax (no fallback)."""
        try:
            return JURISDICTION_BY_COUNTRY[self.country]
        except KeyError:
            raise UnsupportedJurisdiction(self.unsupported_message,
                                          code="unsupported_country") from None

    @property
    def is_supported(self) -> bool:
        return self.country in JURISDICTION_BY_COUNTRY

    @property
    def unsupported_message(self) -> str:
        return str(_("The pay schedule %(s)s is for country %(c)s, which the payroll engine "
                     "does not support (only %(supported)s): no pay or tax is calculated for "
                     "it. Move its employees to a GB or US schedule.")
                   % {"s": self.name, "c": self.country or "(none)",
                      "supported": ", ".join(SUPPORTED_COUNTRIES)})


class PayPeriod(models.Model):
    schedule = models.ForeignKey(PaySchedule, on_delete=models.CASCADE, related_name="periods")
    # UK: tax week/month number in the tax year; US: sequence number within the calendar year.
    number = models.PositiveSmallIntegerField(_("period number"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    pay_date = models.DateField(_("pay date"))

    class Meta:
        ordering = ["schedule", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "start_date"], name="payperiod_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="payperiod_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.number} {self.start_date}..{self.end_date}"


class DocumentSequence(models.Model):
    """A gapless counter per document kind (e.g. payslip numbers), taken under a row lock."""

    name = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"


# Form W-2 box 12 codes a pay component can map to (2026 General Instructions for Forms W-2
# and W-3, "Codes for box 12"): the pre-tax deferrals and employer-paid amounts payroll produces.
W2_BOX12_CODES = [
    ("C", _("C — taxable cost of group-term life insurance over $50,000")),
    ("D", _("D — elective deferrals to a section 401(k) plan")),
    ("E", _("E — elective deferrals under a section 403(b) plan")),
    ("F", _("F — elective deferrals under a section 408(k)(6) SEP")),
    ("G", _("G — deferrals to a section 457(b) plan")),
    ("H", _("H — deferrals to a section 501(c)(18)(D) plan")),
    ("W", _("W — employer contributions to a health savings account")),
    ("AA", _("AA — designated Roth contributions to a 401(k) plan")),
    ("BB", _("BB — designated Roth contributions to a 403(b) plan")),
    ("DD", _("DD — cost of employer-sponsored health coverage")),
    ("FF", _("FF — permitted benefits under a QSEHRA")),
]


class PayComponent(models.Model):
    """A kind of pay line as data; maps field for field onto ``payroll.engine.PayComponent``."""

    class Kind(models.TextChoices):
        EARNING = "earning", _("Earning")
        REIMBURSEMENT = "reimbursement", _("Reimbursement")
        PRE_TAX_DEDUCTION = "pre_tax_deduction", _("Pre-tax deduction")
        POST_TAX_DEDUCTION = "post_tax_deduction", _("Post-tax deduction")
        EMPLOYER_CONTRIBUTION = "employer_contribution", _("Employer contribution")

    class Calculation(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        RATE_X_HOURS = "rate_x_hours", _("Rate x hours")
        PERCENT_OF_BASE = "percent_of_base", _("Percent of base")

    class Base(models.TextChoices):
        GROSS_EARNINGS = "gross_earnings", _("Gross earnings")
        BASIC_PAY = "basic_pay", _("Basic pay")
        # Pension auto-enrolment: earnings within the period's qualifying earnings band
        # (Pensions Act 2008 s.13; payroll/engine/statutory/auto_enrolment.py).
        QUALIFYING = "qualifying", _("Qualifying earnings")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    calculation = models.CharField(
        _("calculation"), max_length=16, choices=Calculation.choices, default=Calculation.FIXED
    )
    default_amount = models.DecimalField(_("default amount"), null=True, blank=True, **MONEY)
    default_rate = models.DecimalField(_("default hourly rate"), null=True, blank=True, **RATE)
    default_percent = models.DecimalField(
        _("default percent"), max_digits=7, decimal_places=4, null=True, blank=True,
        help_text=_("Percent of the base, e.g. 5 for 5%."),
    )
    multiplier = models.DecimalField(
        _("multiplier"), max_digits=6, decimal_places=4, default=Decimal("1")
    )
    base = models.CharField(_("base"), max_length=16, choices=Base.choices,
                            default=Base.GROSS_EARNINGS)
    income_taxable = models.BooleanField(_("income-taxable"), default=True)
    social_taxable = models.BooleanField(_("FICA / NI-able"), default=True)
    reduces_income_tax_wages = models.BooleanField(_("reduces income-tax wages"), default=False)
    reduces_social_wages = models.BooleanField(_("reduces FICA / NI wages"), default=False)
    relief_at_source = models.BooleanField(_("relief at source (UK pension)"), default=False)
    garnishment_cap_percent = models.DecimalField(
        _("garnishment cap (% of disposable earnings)"), max_digits=6, decimal_places=2,
        null=True, blank=True,
    )
    mandatory = models.BooleanField(_("required by law"), default=False)
    # A negative one-off amount is a refund or clawback: only where the component says so
    # (e.g. a loan repayment taken twice is refunded as a negative post-tax deduction).
    allows_negative = models.BooleanField(
        _("negative amounts allowed"), default=False,
        help_text=_("Allow negative amounts on inputs of this component (refunds or clawbacks). "
                    "Hours and rates are never negative."))
    is_active = models.BooleanField(_("active"), default=True)
    # US Form W-2 (yearend.figures): the box 12 code this component's amounts are reported
    # under (D 401(k), E 403(b), W HSA, DD employer health coverage...), or a box 14 label.
    w2_box12_code = models.CharField(_("W-2 box 12 code"), max_length=2, blank=True,
                                     choices=W2_BOX12_CODES)
    w2_box14_label = models.CharField(_("W-2 box 14 label"), max_length=20, blank=True)

    class GenderPayClass(models.TextChoices):
        """How the UK gender pay gap counts the component's lines (Equality Act 2010 (Gender Pay
        Gap Information) Regulations 2017, SI 2017/172: reg. 3 ordinary pay, reg. 4 bonus pay;
        overtime, redundancy/termination pay, pay in lieu of leave, expenses and benefits in
        kind are neither)."""

        BY_KIND = "", _("By kind (earnings are ordinary pay, everything else is excluded)")
        ORDINARY = "ordinary", _("Ordinary pay (basic, allowances, shift premium, pay for leave)")
        BONUS = "bonus", _("Bonus pay (profit sharing, productivity, performance, incentive, "
                           "commission)")
        EXCLUDED = "excluded", _("Excluded (overtime, redundancy, pay in lieu of leave, "
                                 "expenses, benefits in kind)")

    gender_pay_class = models.CharField(
        _("gender pay gap class"), max_length=8, choices=GenderPayClass.choices, blank=True,
        default="")
    # SI 2017/172 reg. 6(1): a bonus paid for a period longer than the pay period counts in
    # the hourly rate only pro rata (amount / bonus period days x pay period days).
    bonus_period_days = models.PositiveSmallIntegerField(
        _("bonus period (days)"), null=True, blank=True,
        help_text=_("For bonus components: the period the bonus is paid for, e.g. 365 for an "
                    "annual bonus. Blank: the pay period it is paid in."))

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class EmployeePayItem(models.Model):
    """A recurring component for one employee, effective-dated (``effective_to`` inclusive)."""

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="pay_items"
    )
    component = models.ForeignKey(PayComponent, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    rate = models.DecimalField(_("hourly rate"), null=True, blank=True, **RATE)
    quantity = models.DecimalField(
        _("hours / quantity"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("percent"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["employee", "component__code", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="payitem_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.component_id} from {self.effective_from}"


class TaxProfile(models.Model):
    class Jurisdiction(models.TextChoices):
        US = "US", _("United States (federal)")
        UK = "UK", _("United Kingdom")

    class FilingStatus(models.TextChoices):
        SINGLE = "single", _("Single or married filing separately")
        MARRIED_JOINTLY = "married_filing_jointly", _("Married filing jointly")
        MARRIED_SEPARATELY = "married_filing_separately", _("Married filing separately")
        HEAD_OF_HOUSEHOLD = "head_of_household", _("Head of household")

    class MaritalStatus(models.TextChoices):
        SINGLE = "single", _("Single")
        MARRIED = "married", _("Married")

    class StarterDeclaration(models.TextChoices):
        NONE = "", _("Not a new starter")
        A = "A", _("A — first job since 6 April, no benefits")
        B = "B", _("B — only job now, had another since 6 April")
        C = "C", _("C — has another job or pension")

    class DirectorMethod(models.TextChoices):
        ANNUAL = "annual", _("Annual earnings period (standard)")
        ALTERNATIVE = "alternative", _("Alternative arrangements (per period, annual at year end)")

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="tax_profiles"
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    # US Form W-4 (2020 and later: Steps 2-4; 2019 or earlier: allowances)
    w4_form_year = models.PositiveSmallIntegerField(_("W-4 form year"), default=2020)
    filing_status = models.CharField(
        _("filing status"), max_length=26, choices=FilingStatus.choices, default="single"
    )
    step2_checkbox = models.BooleanField(_("Step 2 checkbox (multiple jobs)"), default=False)
    step3_credits = models.DecimalField(_("Step 3 credits"), default=Decimal("0"), **MONEY)
    step4a_other_income = models.DecimalField(
        _("Step 4(a) other income"), default=Decimal("0"), **MONEY
    )
    step4b_deductions = models.DecimalField(
        _("Step 4(b) deductions"), default=Decimal("0"), **MONEY
    )
    step4c_extra_withholding = models.DecimalField(
        _("Step 4(c) extra withholding"), default=Decimal("0"), **MONEY
    )
    exempt = models.BooleanField(_("exempt from withholding"), default=False)
    nonresident_alien = models.BooleanField(_("nonresident alien"), default=False)
    marital_status = models.CharField(
        _("marital status (2019 W-4)"), max_length=8, choices=MaritalStatus.choices,
        default="single",
    )
    allowances = models.PositiveSmallIntegerField(_("allowances (2019 W-4)"), default=0)
    extra_withholding = models.DecimalField(
        _("extra withholding (2019 W-4)"), default=Decimal("0"), **MONEY
    )
    # UK PAYE / NI
    tax_code = models.CharField(_("tax code"), max_length=12, blank=True)
    week1_month1 = models.BooleanField(_("week 1 / month 1"), default=False)
    ni_category = models.CharField(_("NI category"), max_length=1, blank=True)

    class StudentLoanPlan(models.TextChoices):
        NONE = "", _("No student loan")
        PLAN_1 = "plan_1", _("Plan 1")
        PLAN_2 = "plan_2", _("Plan 2")
        PLAN_4 = "plan_4", _("Plan 4")
        PLAN_5 = "plan_5", _("Plan 5")

    # UK student loan deductions (payroll.engine.jurisdictions.uk_student_loans), from the
    # SL1 start notice or the starter checklist; a Postgraduate Loan is deducted alongside.
    student_loan_plan = models.CharField(_("student loan plan"), max_length=6, blank=True,
                                         choices=StudentLoanPlan.choices, default="")
    postgraduate_loan = models.BooleanField(_("postgraduate loan"), default=False)
    starter_declaration = models.CharField(
        _("starter declaration"), max_length=1, blank=True,
        choices=StarterDeclaration.choices,
    )
    # UK company directors: NI on an annual earnings period (HMRC CWG2 "Directors' NICs").
    is_director = models.BooleanField(_("company director"), default=False)
    director_method = models.CharField(
        _("directors' NI method"), max_length=11, choices=DirectorMethod.choices,
        default=DirectorMethod.ANNUAL,
    )
    director_appointed_on = models.DateField(
        _("appointed director on"), null=True, blank=True,
        help_text=_("Appointed during a tax year: a pro-rata earnings period for that year. "
                    "Blank: a director since before the tax year."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "jurisdiction"], name="taxprofile_one_per_jurisdiction"
            ),
            # Directors' NI is UK only, and an appointment date only means something for one.
            models.CheckConstraint(
                condition=models.Q(is_director=False, director_appointed_on__isnull=True)
                | models.Q(is_director=True, jurisdiction="UK"),
                name="taxprofile_director_uk_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.jurisdiction}"


class UnpaidLeave(models.Model):
    """Days an employee is away without pay (``last_day`` inclusive); salaried pay for those days
    is not paid (payroll.engine.proration). Ranges of one employee never overlap: the service
    checks under a lock on the employee row, and refuses ranges touching a finalised period."""

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="unpaid_leave"
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "first_day"]
        verbose_name = _("unpaid leave")
        verbose_name_plural = _("unpaid leave")
        indexes = [models.Index(fields=["employee", "first_day"], name="unpaidleave_emp_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="unpaidleave_last_after_first",
            ),
        ]

    def __str__(self) -> str:
        return f"Unpaid leave {self.employee_id} {self.first_day}..{self.last_day}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class PayRun(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        OFF_CYCLE = "off_cycle", _("Off-cycle")
        CORRECTION = "correction", _("Correction")
        FINAL_PAY = "final_pay", _("Final pay")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CALCULATING = "calculating", _("Calculating")
        CALCULATED = "calculated", _("Calculated")
        APPROVED = "approved", _("Approved")
        FINALISED = "finalised", _("Finalised")
        PAID = "paid", _("Paid")

    FROZEN = frozenset(FROZEN_STATUSES)

    schedule = models.ForeignKey(PaySchedule, on_delete=models.PROTECT, related_name="runs")
    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="runs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    pay_date = models.DateField(_("pay date"))
    currency = models.CharField(_("currency"), max_length=3)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # Off-cycle and final-pay runs name who they pay; regular runs pay the whole schedule.
    employees = models.ManyToManyField("employees.Employee", blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    calculated_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Bumped by every calculation request: chunks of an older generation are ignored.
    calc_generation = models.PositiveIntegerField(default=0)

    objects = PayRunQuerySet.as_manager()

    class Meta:
        ordering = ["-pay_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period"], condition=Q(kind="regular"),
                name="payrun_one_regular_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.schedule} {self.period.start_date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = PayRun.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            # Once finalised, only marking paid may change the run.
            if stored in self.FROZEN and (
                update_fields is None or not set(update_fields) <= {"status", "paid_at"}
            ):
                raise PayrollImmutableError(_("A finalised pay run cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if PayRun.objects.filter(pk=self.pk, status__in=self.FROZEN).exists():
            raise PayrollImmutableError(_("A finalised pay run cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


def _run_is_frozen(run_id: int | None) -> bool:
    return run_id is not None and PayRun.objects.filter(
        pk=run_id, status__in=PayRun.FROZEN
    ).exists()


class RunInput(models.Model):
    """A one-off input for one employee in one run (hours, overtime, bonus, one-off deduction)."""

    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="inputs")
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(PayComponent, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("hours / quantity"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(_("rate"), null=True, blank=True, **RATE)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RunInputQuerySet.as_manager()

    class Meta:
        # Several inputs of one component for one person all count (two bonuses are paid as
        # two lines), so there is no uniqueness on (run, employee, component).
        ordering = ["run", "employee", "component__code", "pk"]

    def __str__(self) -> str:
        return f"run {self.run_id} emp {self.employee_id} {self.component_id}"

    def save(self, *args, **kwargs):
        if _run_is_frozen(self.run_id):
            raise PayrollImmutableError(_("Inputs of a finalised run cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _run_is_frozen(self.run_id):
            raise PayrollImmutableError(_("Inputs of a finalised run cannot be deleted."))
        return super().delete(*args, **kwargs)


class PayRunChunk(models.Model):
    """One slice of a calculation (e.g. 200 employees), claimed by exactly one worker."""

    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="chunks")
    generation = models.PositiveIntegerField()
    index = models.PositiveIntegerField()
    employee_ids = models.JSONField(default=list)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "generation", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "generation", "index"], name="payrunchunk_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} gen {self.generation} chunk {self.index}"


class PayRunSummary(models.Model):
    """A calculated run's review figures, worked out once when its calculation completes.

    Written by payroll.services.run_summary in the transaction that marks the run calculated, so
    the run page and the review read one row instead of aggregating every payslip. It describes
    one calculation (``generation``) compared with one set of runs (``compared_key``: the
    previous regular run and its finalised corrections, or for a correction run the run it
    corrects); the selectors use it only while both still hold and recompute live otherwise
    (tests/payroll_review/test_summary.py checks it equals the live SQL figures)."""

    run = models.OneToOneField(PayRun, on_delete=models.CASCADE, related_name="summary")
    generation = models.PositiveIntegerField()
    compared_key = models.CharField(max_length=200, blank=True)
    # {"totals": {...}, "previous_totals": {...} | null, "joiners": [n, [ids]], ...}: amounts
    # as strings, exactly the stored payslips' sums (payroll.selectors_review.ReviewFigures).
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"summary of run {self.run_id} gen {self.generation}"


def payslip_upload_to(instance: "Payslip", filename: str) -> str:
    return f"payslips/{instance.run_id}/{filename}"


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer in the payment file")
    OUTSIDE = "outside", _("Paid outside the payment file")


class Payslip(models.Model):
    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        # The file was deleted when the person's retention period passed (the payslip row and
        # every amount stay); never re-rendered.
        PURGED = "purged", _("Deleted (retention period passed)")

    # Fields the PDF/email pipeline (and the retention purge) update after finalisation;
    # everything else is frozen.
    DELIVERY_FIELDS = frozenset({
        "pdf_status", "pdf_file", "pdf_sha256", "pdf_error", "pdf_attempts", "emailed_at",
    })

    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="payslips")
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.PROTECT, related_name="payslips"
    )
    number = models.PositiveBigIntegerField(_("number"), null=True, blank=True, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    tax_year = models.CharField(_("tax year"), max_length=7)
    gross = models.DecimalField(_("gross pay"), **MONEY)
    total_pre_tax = models.DecimalField(_("pre-tax deductions"), **MONEY)
    total_employee_tax = models.DecimalField(_("employee taxes"), **MONEY)
    total_post_tax = models.DecimalField(_("post-tax deductions"), **MONEY)
    # The employer's taxes (e.g. employer NI, FICA): like the totals above, the sum of this
    # payslip's stored lines of that category, kept so a run's review sums payslips, not lines.
    total_employer_tax = models.DecimalField(_("employer taxes"), default=Decimal("0.00"),
                                             db_default=Decimal("0.00"), **MONEY)
    net = models.DecimalField(_("net pay"), **MONEY)
    employer_cost = models.DecimalField(_("employer cost"), **MONEY)
    ytd = models.JSONField(_("year to date"), default=dict, blank=True)
    ytd_increments = models.JSONField(default=dict, blank=True)
    inputs_hash = models.CharField(max_length=64)
    reasons = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    overrides = models.JSONField(default=list, blank=True)
    calculated_at = models.DateTimeField(null=True, blank=True)
    pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_file = models.FileField(upload_to=payslip_upload_to, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_error = models.TextField(blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Recorded when the run is finalised (payroll.services.issue), never changed after: how the
    # net pay is paid, the account it goes to (encrypted JSON, last 4 for display) and what the
    # payslip prints about the employer and the tax setup used.
    payment_method = models.CharField(_("payment method"), max_length=8, blank=True,
                                      choices=PaymentMethod.choices)
    bank_snapshot = EncryptedTextField(_("bank account at finalisation"), blank=True,
                                       default="")
    bank_last4 = models.CharField(_("bank account (last 4)"), max_length=4, blank=True)
    issued_details = models.JSONField(_("details printed on the payslip"), default=dict,
                                      blank=True)

    objects = PayslipQuerySet.as_manager()

    class Meta:
        ordering = ["run", "employee__legal_last_name", "employee__legal_first_name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payslip_one_per_run"),
        ]
        indexes = [
            # The delivery page at 20,000 payslips (payroll.selectors_payslips.run_pdf_progress,
            # payroll.services.outputs.paid_outside_summary): the few PDFs not ready yet and
            # the few payslips not paid by bank transfer, without reading the run's others.
            models.Index(fields=["run", "pdf_status"], name="payslip_run_pdf_open",
                         condition=~Q(pdf_status="ready")),
            models.Index(fields=["run"], name="payslip_run_outside",
                         condition=Q(payment_method="outside")),
        ]

    def __str__(self) -> str:
        return f"Payslip {self.number or '(draft)'} run {self.run_id} emp {self.employee_id}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        only_delivery = update_fields is not None and set(update_fields) <= self.DELIVERY_FIELDS
        if not only_delivery and _run_is_frozen(self.run_id):
            raise PayrollImmutableError(_("A payslip of a finalised run cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _run_is_frozen(self.run_id):
            raise PayrollImmutableError(_("A payslip of a finalised run cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def display_number(self) -> str:
        return f"PS-{self.number:08d}" if self.number else ""

    @property
    def blocking_flags(self) -> list[dict]:
        overridden = {o["code"] for o in self.overrides}
        return [f for f in self.flags if f.get("blocking") and f["code"] not in overridden]


class PayslipLine(models.Model):
    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="lines")
    sort_order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    description = models.CharField(max_length=200)
    category = models.CharField(max_length=24)
    quantity = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    rate = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    trace = models.JSONField(default=dict, blank=True)

    objects = PayslipLineQuerySet.as_manager()

    class Meta:
        ordering = ["payslip", "sort_order"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"

    def save(self, *args, **kwargs):
        if _run_is_frozen(
            Payslip.objects.filter(pk=self.payslip_id).values_list("run_id", flat=True).first()
        ):
            raise PayrollImmutableError(_("A payslip line of a finalised run cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _run_is_frozen(
            Payslip.objects.filter(pk=self.payslip_id).values_list("run_id", flat=True).first()
        ):
            raise PayrollImmutableError(_("A payslip line of a finalised run cannot be deleted."))
        return super().delete(*args, **kwargs)


class RetroRecovery(models.Model):
    """A Payroll Admin's confirmation that an overpayment is recovered from regular pay.

    A back-dated pay decrease means a finalised period was overpaid; payroll.services.retro finds
    the amount, but the next run deducts it only once someone confirms exactly that amount for
    that period (a different amount, after another change, needs a new confirmation)."""

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="retro_recoveries"
    )
    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount to recover"), **MONEY)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "period__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period", "amount"],
                                    name="retrorecovery_one_per_amount"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="retrorecovery_positive"),
        ]

    def __str__(self) -> str:
        return f"Recovery {self.amount} emp {self.employee_id} period {self.period_id}"
