"""Pay components are data: a description of how a line is worked out and taxed.

The Django ``PayComponent`` model maps field for field onto :class:`PayComponent`; nothing here is
evaluated as code (no eval/exec), the calculation kind picks one of three plain formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

ComponentKind = Literal[
    "earning",
    "reimbursement",
    "pre_tax_deduction",
    "post_tax_deduction",
    "employer_contribution",
]
CalculationKind = Literal["fixed", "rate_x_hours", "percent_of_base"]
# "qualifying": the UK auto-enrolment band of gross earnings for the pay frequency
# (payroll.engine.statutory.auto_enrolment).
Base = Literal["gross_earnings", "basic_pay", "qualifying"]


@dataclass(frozen=True, slots=True)
class PayComponent:
    """How one kind of pay line is calculated and treated for tax.

    Tax-treatment flags:
    - ``income_taxable`` / ``social_taxable`` (earnings and reimbursements): whether the amount
      counts in income-tax wages (US federal income tax, UK PAYE taxable pay) and social-insurance
      wages (US FICA, UK Class 1 NI). A non-taxable reimbursement has both False.
    - ``reduces_income_tax_wages`` / ``reduces_social_wages`` (pre-tax deductions): US 401(k) is
      (True, False); US Section 125 health is (True, True); UK pension under a net pay arrangement
      is (True, False).
    - ``relief_at_source`` (post-tax UK pension): the contribution is stated gross and the employee
      pays 80% of it; the pension scheme claims basic-rate relief from HMRC.
    - ``garnishment_cap_rate``: cap as a fraction of disposable earnings (e.g. 0.25 under the US
      CCPA), applied to post-tax deductions.
    - ``mandatory``: a pre-tax deduction required by law; it is subtracted when working out
      disposable earnings (voluntary ones such as a 401(k) are not).
    - ``supplemental`` (earnings): US supplemental wages (bonus, commission; IRS Pub 15
      section 7), withheld at the schedule's supplemental method; no effect in the UK.
    """

    code: str
    name: str
    kind: ComponentKind
    calculation: CalculationKind = "fixed"
    amount: Decimal | None = None  # fixed: default amount
    rate: Decimal | None = None  # rate_x_hours: hourly rate; percent_of_base: fraction (0.05)
    multiplier: Decimal = Decimal("1")  # rate_x_hours: e.g. 1.5 for time and a half
    base: Base = "gross_earnings"
    income_taxable: bool = True
    social_taxable: bool = True
    reduces_income_tax_wages: bool = False
    reduces_social_wages: bool = False
    relief_at_source: bool = False
    garnishment_cap_rate: Decimal | None = None
    mandatory: bool = False
    supplemental: bool = False


# Ready-made components for the common cases; a deployment defines its own in the database.
SALARY = PayComponent("SALARY", "Salary", "earning")
HOURLY = PayComponent("HOURLY", "Hourly pay", "earning", calculation="rate_x_hours")
OVERTIME = PayComponent(
    "OVERTIME", "Overtime", "earning", calculation="rate_x_hours", multiplier=Decimal("1.5")
)
BONUS = PayComponent("BONUS", "Bonus", "earning", supplemental=True)
COMMISSION = PayComponent("COMMISSION", "Commission", "earning", supplemental=True)
TAXABLE_REIMBURSEMENT = PayComponent("REIMB_TAX", "Taxable reimbursement", "reimbursement")
NON_TAXABLE_REIMBURSEMENT = PayComponent(
    "REIMB", "Expense reimbursement", "reimbursement", income_taxable=False, social_taxable=False
)
US_401K = PayComponent(
    "401K",
    "401(k) employee deferral",
    "pre_tax_deduction",
    calculation="percent_of_base",
    reduces_income_tax_wages=True,
)
US_SECTION_125 = PayComponent(
    "S125",
    "Section 125 health premium",
    "pre_tax_deduction",
    reduces_income_tax_wages=True,
    reduces_social_wages=True,
)
UK_PENSION_NET_PAY = PayComponent(
    "PENSION_NPA",
    "Pension (net pay arrangement)",
    "pre_tax_deduction",
    calculation="percent_of_base",
    reduces_income_tax_wages=True,
)
UK_PENSION_RAS = PayComponent(
    "PENSION_RAS",
    "Pension (relief at source)",
    "post_tax_deduction",
    calculation="percent_of_base",
    relief_at_source=True,
)
LOAN_REPAYMENT = PayComponent("LOAN", "Loan repayment", "post_tax_deduction")
GARNISHMENT = PayComponent(
    "GARNISH", "Wage garnishment", "post_tax_deduction", garnishment_cap_rate=Decimal("0.25")
)
EMPLOYER_PENSION = PayComponent(
    "ER_PENSION", "Employer pension contribution", "employer_contribution",
    calculation="percent_of_base", base="basic_pay",
)
