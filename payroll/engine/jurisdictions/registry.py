"""The jurisdiction registry: code -> module that turns wages into tax lines.

Adding a jurisdiction (a US state, say) is a class with the three members of
:class:`Jurisdiction`, its data file, and one ``register(...)`` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from payroll.engine.jurisdictions.uk_ni import class1_ni_in_period, director_class1_ni
from payroll.engine.jurisdictions.uk_paye import paye_tax
from payroll.engine.jurisdictions.uk_student_loans import student_loan_lines
from payroll.engine.jurisdictions.us_federal import (
    SupplementalPosition,
    federal_income_tax,
    fica,
    supplemental_income_tax,
)
from payroll.engine.money import ZERO
from payroll.engine.tax_years import uk_tax_year_for, us_tax_year_for
from payroll.engine.types import USW4, PayInputs, PayLine, UKTaxProfile


@dataclass(frozen=True, slots=True)
class Wages:
    """The wage bases after pre-tax deductions."""

    income_tax: Decimal  # US federal income-tax wages / UK PAYE taxable pay
    social: Decimal  # US FICA wages / UK NI-able pay
    # The part of ``income_tax`` that is supplemental wages (US Pub 15 section 7).
    supplemental: Decimal = ZERO


class Jurisdiction(Protocol):
    code: str

    def tax_year_for(self, pay_date: date) -> str: ...

    def tax_lines(self, inputs: PayInputs, tax_year: str, wages: Wages) -> list[PayLine]: ...

    def ytd_increments(self, wages: Wages, lines: list[PayLine],
                       inputs: PayInputs | None = None) -> dict[str, Decimal]: ...


def _supplemental(wages: Wages, inputs: PayInputs | None) -> Decimal:
    """US supplemental wages in this paycheck (Pub 15 section 7): everything an off-cycle
    payment pays (it is outside the regular wages), else the components flagged supplemental."""
    if inputs is not None and inputs.off_cycle:
        return max(wages.income_tax, ZERO)
    return min(max(wages.supplemental, ZERO), max(wages.income_tax, ZERO))


def _amount(lines: list[PayLine], code: str) -> Decimal:
    return next((line.amount for line in lines if line.code == code), ZERO)


class UsFederal:
    code = "US"

    def tax_year_for(self, pay_date: date) -> str:
        return us_tax_year_for(pay_date)

    def tax_lines(self, inputs: PayInputs, tax_year: str, wages: Wages) -> list[PayLine]:
        w4 = inputs.us_w4 or USW4()  # no W-4 on file: Single, no adjustments (Pub 15-T)
        supplemental = _supplemental(wages, inputs)
        if supplemental:
            ytd = inputs.ytd
            fit = supplemental_income_tax(
                tax_year=tax_year, pay_frequency=inputs.pay_frequency,
                regular_wages=wages.income_tax - supplemental, supplemental_wages=supplemental,
                w4=w4, whole_dollar=inputs.options.whole_dollar_withholding,
                position=SupplementalPosition(
                    method=inputs.options.supplemental_method,
                    paid_separately=inputs.off_cycle,
                    ytd_supplemental=ytd.us_supplemental_wages,
                    last_regular_wages=ytd.us_last_regular_wages,
                    last_regular_tax=ytd.us_last_regular_income_tax))
        else:
            fit = federal_income_tax(
                tax_year=tax_year, pay_frequency=inputs.pay_frequency,
                taxable_wages=wages.income_tax, w4=w4,
                whole_dollar=inputs.options.whole_dollar_withholding)
        return [fit, *fica(tax_year=tax_year, fica_wages=wages.social,
                           ytd_fica_wages=inputs.ytd.us_fica_wages,
                           ytd_social_security_tax=inputs.ytd.us_social_security_tax)]

    def ytd_increments(self, wages: Wages, lines: list[PayLine],
                       inputs: PayInputs | None = None) -> dict[str, Decimal]:
        supplemental = _supplemental(wages, inputs)
        # Only paychecks with supplemental wages carry the key (the 1,000,000 rule's YTD).
        extra = {"us_supplemental_wages": supplemental} if supplemental else {}
        return extra | {
            "us_income_tax_wages": wages.income_tax,
            "us_fica_wages": wages.social,
            "us_federal_income_tax": _amount(lines, "FIT"),
            "us_social_security_tax": _amount(lines, "SS"),
            "us_medicare_tax": _amount(lines, "MEDICARE") + _amount(lines, "ADDL_MEDICARE"),
        }


class UnitedKingdom:
    code = "UK"

    def tax_year_for(self, pay_date: date) -> str:
        return uk_tax_year_for(pay_date)

    def tax_lines(self, inputs: PayInputs, tax_year: str, wages: Wages) -> list[PayLine]:
        profile = inputs.uk_tax or UKTaxProfile()
        paye = paye_tax(
            tax_year=tax_year, tax_code=profile.tax_code, week1_month1=profile.week1_month1,
            pay_frequency=inputs.pay_frequency, period=inputs.period_number,
            taxable_pay=wages.income_tax, ytd_taxable_pay=inputs.ytd.uk_taxable_pay,
            ytd_tax_paid=inputs.ytd.uk_tax_paid,
            period_taxable_pay=inputs.ytd.uk_period_taxable_pay,
            period_tax_paid=inputs.ytd.uk_period_tax_paid,
        )
        ytd = inputs.ytd
        if profile.director is None:
            # NI on the earnings period as a whole: other payments already made in it count.
            employee, employer = class1_ni_in_period(
                tax_year=tax_year, pay_frequency=inputs.pay_frequency,
                category=profile.ni_category, ni_pay=wages.social,
                paid_ni_pay=ytd.uk_period_ni_pay, paid_employee_ni=ytd.uk_period_employee_ni,
                paid_employer_ni=ytd.uk_period_employer_ni)
        else:
            employee, employer = director_class1_ni(
                tax_year=tax_year, pay_frequency=inputs.pay_frequency,
                category=profile.ni_category, ni_pay=wages.social, director=profile.director,
                ytd_ni_pay=ytd.uk_director_ni_pay, ytd_employee_ni=ytd.uk_director_employee_ni,
                ytd_employer_ni=ytd.uk_director_employer_ni,
                period_ni_pay=ytd.uk_period_ni_pay, period_employee_ni=ytd.uk_period_employee_ni,
                period_employer_ni=ytd.uk_period_employer_ni)
        loans = student_loan_lines(
            tax_year=tax_year, pay_frequency=inputs.pay_frequency, earnings=wages.social,
            plan=profile.student_loan_plan, postgraduate=profile.postgraduate_loan)
        return [paye, employee, employer, *loans]

    def ytd_increments(self, wages: Wages, lines: list[PayLine],
                       inputs: PayInputs | None = None) -> dict[str, Decimal]:
        increments = {
            "uk_taxable_pay": wages.income_tax,
            "uk_tax_paid": _amount(lines, "PAYE"),
            "uk_ni_pay": wages.social,
            "uk_employee_ni": _amount(lines, "NI_EE"),
            "uk_employer_ni": _amount(lines, "NI_ER"),
        }
        # Student and postgraduate loans: only payslips that deduct them carry the keys.
        for code, key in (("SL", "uk_student_loan"), ("PGL", "uk_postgraduate_loan")):
            if any(line.code == code for line in lines):
                increments[key] = _amount(lines, code)
        if inputs is not None and inputs.uk_tax is not None and inputs.uk_tax.director:
            # The director's own earnings period: only payments made as a director count
            # (earnings before an appointment in the year use normal periods; NIM12022).
            increments |= {
                "uk_director_ni_pay": wages.social,
                "uk_director_employee_ni": increments["uk_employee_ni"],
                "uk_director_employer_ni": increments["uk_employer_ni"],
            }
        return increments


REGISTRY: dict[str, Jurisdiction] = {}


def register(jurisdiction: Jurisdiction) -> None:
    REGISTRY[jurisdiction.code] = jurisdiction


def get(code: str) -> Jurisdiction:
    try:
        return REGISTRY[code]
    except KeyError:
        raise LookupError(f"jurisdiction {code!r} is not registered") from None


register(UsFederal())
register(UnitedKingdom())
