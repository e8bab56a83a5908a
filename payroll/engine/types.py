"""Typed, frozen inputs and outputs of the engine.

Plain dataclasses with ``slots`` and no validation in ``__init__``: the engine is called tens of
thousands of times per run, so validation belongs at the edges (the contract parser, the Django
models), not in the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from payroll.engine.components import PayComponent
from payroll.engine.money import ZERO

Category = Literal[
    "earning",
    "reimbursement",
    "pre_tax_deduction",
    "employee_tax",
    "post_tax_deduction",
    "employer_contribution",
    "employer_tax",
]
ProrationBasis = Literal["calendar_days", "working_days"]

# Categories whose lines the invariant subtracts from gross to reach net.
DEDUCTION_CATEGORIES: frozenset[str] = frozenset(
    {"pre_tax_deduction", "employee_tax", "post_tax_deduction"}
)
GROSS_CATEGORIES: frozenset[str] = frozenset({"earning", "reimbursement"})
EMPLOYER_CATEGORIES: frozenset[str] = frozenset({"employer_contribution", "employer_tax"})


@dataclass(frozen=True, slots=True)
class PayLine:
    """One payslip line. ``amount`` is quantized to the cent exactly once, when the line is made."""

    code: str
    description: str
    category: Category
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    trace: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompensationSegment:
    """An effective-dated pay record (``effective_to`` inclusive; ``None`` = open-ended).

    Exactly one of ``annual_salary`` and ``hourly_rate`` is set.
    """

    effective_from: date
    effective_to: date | None = None
    annual_salary: Decimal | None = None
    hourly_rate: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PayItem:
    """One use of a component on this payslip (recurring item or one-off run input).

    ``amount`` feeds fixed components, ``quantity`` (hours) and ``rate`` feed rate x hours, and
    ``rate`` overrides the component's percentage for percent-of-base components. ``trace``
    (optional) is merged into the line's trace: where an amount worked out outside the engine
    comes from (e.g. the finalised payslips an arrears line corrects). ``ytd_increments``
    (optional) are added to the payslip's year-to-date accumulators (UK statutory pay: what was
    paid and what the employer recovers, ``uk_ssp``, ``uk_smp_recovered``, ...).
    """

    component: PayComponent
    amount: Decimal | None = None
    quantity: Decimal | None = None
    rate: Decimal | None = None
    trace: dict[str, Any] | None = None
    ytd_increments: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class USW4:
    """Form W-4 as on file. ``form_year`` >= 2020 uses Steps 2-4; earlier uses allowances."""

    form_year: int = 2020
    filing_status: str = "single"  # single | married_filing_jointly | married_filing_separately
    # | head_of_household
    step2_checkbox: bool = False
    step3_credits: Decimal = ZERO
    step4a_other_income: Decimal = ZERO
    step4b_deductions: Decimal = ZERO
    step4c_extra_withholding: Decimal = ZERO
    exempt: bool = False
    nonresident_alien: bool = False
    # 2019-or-earlier forms
    marital_status: str = "single"  # single | married
    allowances: int = 0
    extra_withholding: Decimal = ZERO


DirectorMethod = Literal["annual", "alternative"]
SupplementalMethod = Literal["aggregate", "flat"]


@dataclass(frozen=True, slots=True)
class UKDirector:
    """A company director's NI earnings period (HMRC CWG2 "Directors' NICs"; NIM12021-NIM12026).

    ``method``: "annual" (the standard method: NI on cumulative earnings against annual
    thresholds every time) or "alternative" (per pay period during the year, recalculated on the
    annual basis when ``final_period`` is set: the last payment of the year, or the last payment
    as a director). ``appointed_week``: the tax week of appointment when the director was
    appointed during this tax year (a pro-rata annual earnings period); ``None`` = director at
    the start of the year (a full annual earnings period).
    """

    method: DirectorMethod = "annual"
    appointed_week: int | None = None
    final_period: bool = False


@dataclass(frozen=True, slots=True)
class UKTaxProfile:
    tax_code: str = "1257L"
    week1_month1: bool = False
    ni_category: str = "A"
    director: UKDirector | None = None  # None: not a director (NI per pay period)
    # Student loan: "" (none) or plan_1 | plan_2 | plan_4 | plan_5; Postgraduate Loan besides.
    student_loan_plan: str = ""
    postgraduate_loan: bool = False


@dataclass(frozen=True, slots=True)
class YearToDate:
    """Accumulators for this tax year BEFORE this payslip (calendar year in the US).

    ``us_social_security_tax`` is optional: when known, the Social Security line is capped so the
    year's total never exceeds 6.2% of the wage base despite per-paycheck rounding.
    """

    us_fica_wages: Decimal = ZERO
    us_social_security_tax: Decimal | None = None
    uk_taxable_pay: Decimal = ZERO
    uk_tax_paid: Decimal = ZERO
    # A director's earnings period so far this tax year (only payslips paid as a director):
    # NI-able pay, employee NI and employer NI. Ignored for anyone who is not a director.
    uk_director_ni_pay: Decimal = ZERO
    uk_director_employee_ni: Decimal = ZERO
    uk_director_employer_ni: Decimal = ZERO
    # Other payments already made in THIS payment's NI earnings period (the tax week / month of
    # its pay date: an off-cycle bonus, a second run): NI-able pay and the NI on it. NI is
    # worked on the period's total (NIM08510). Zero when this is the period's only payment.
    uk_period_ni_pay: Decimal = ZERO
    uk_period_employee_ni: Decimal = ZERO
    uk_period_employer_ni: Decimal = ZERO
    # ... and their taxable pay and PAYE: on a week 1 / month 1 basis the period's payments are
    # taxed together against one period's free pay and bands (cumulative codes need nothing
    # more: the year to date already holds them).
    uk_period_taxable_pay: Decimal = ZERO
    uk_period_tax_paid: Decimal = ZERO
    # US supplemental wages paid so far this calendar year (Pub 15 section 7: the part of the
    # year's supplemental wages above 1,000,000 is withheld at 37%, mandatory).
    us_supplemental_wages: Decimal = ZERO
    # The most recent regular paycheck of the year (aggregate method for supplemental wages
    # paid separately, Pub 15 section 7): its income-tax wages and the federal income tax
    # withheld from it. None: no regular paycheck yet this year.
    us_last_regular_wages: Decimal | None = None
    us_last_regular_income_tax: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Options:
    whole_dollar_withholding: bool = False  # Pub 15-T: round federal income tax to whole dollars
    # US supplemental wages (components flagged ``supplemental``; Pub 15 section 7): "flat" =
    # the optional flat rate (22%), "aggregate" = with regular wages. Above 1,000,000 of
    # supplemental wages in the year, 37% is mandatory either way.
    supplemental_method: SupplementalMethod = "aggregate"


@dataclass(frozen=True, slots=True)
class PayInputs:
    """Everything the engine needs for one employee and one pay period."""

    jurisdiction: str  # registry key: "US" (federal) or "UK"
    pay_date: date
    period_start: date
    period_end: date
    pay_frequency: str
    compensation: tuple[CompensationSegment, ...] = ()
    period_number: int = 1  # UK tax week/month number of this period
    employment_start: date | None = None  # hire date, when inside the period
    employment_end: date | None = None  # last day worked, when inside the period
    proration_basis: ProrationBasis = "calendar_days"
    unpaid_leave_days: tuple[date, ...] = ()
    hours_worked: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    overtime_multiplier: Decimal = Decimal("1.5")
    # Contracted hours a week (employees.JobRecord): a salaried person's overtime is paid at
    # annual salary / 52 / weekly hours. None: not known (salaried overtime is then an error).
    weekly_hours: Decimal | None = None
    items: tuple[PayItem, ...] = ()
    # A payment outside the regular payroll (an off-cycle run): supplemental wages in it are
    # "paid separately" from regular wages (Pub 15 section 7).
    off_cycle: bool = False
    us_w4: USW4 | None = None
    uk_tax: UKTaxProfile | None = None
    ytd: YearToDate = YearToDate()
    options: Options = Options()


@dataclass(frozen=True, slots=True)
class PayResult:
    """The payslip: lines plus totals that are sums of those stored lines."""

    lines: tuple[PayLine, ...]
    gross: Decimal
    pre_tax_deductions: Decimal
    employee_taxes: Decimal
    post_tax_deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    tax_year: str
    ytd_increments: dict[str, Decimal]

    def lines_in(self, category: str) -> tuple[PayLine, ...]:
        return tuple(line for line in self.lines if line.category == category)
