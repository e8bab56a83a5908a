"""Gross-to-net for one employee and one period: the public ``calculate`` entry point.

Order (each step sees only what comes before it):
1. earnings: prorated salary segments, hours and overtime, then component items (fixed and
   rate x hours first, percent-of-base last so bases are known);
2. pre-tax deductions, which reduce income-tax wages and/or social-insurance wages by flag;
3. taxes from the jurisdiction module (employee and employer);
4. post-tax deductions, garnishments capped on disposable earnings, none beyond the net left;
5. employer contributions.

Non-taxable reimbursements ARE in gross (category ``reimbursement``) but in no taxable wage
base, so ``net = gross - pre-tax - employee taxes - post-tax`` holds exactly from the lines.
Disposable earnings (garnishment cap) = earnings (excluding reimbursements) - employee taxes -
pre-tax deductions flagged ``mandatory`` (US CCPA: amounts required by law to be withheld).
"""

from __future__ import annotations

from decimal import Decimal

from payroll.engine.components import PayComponent
from payroll.engine.jurisdictions.registry import Wages, get
from payroll.engine.money import ZERO, fmt, fmt_rate, half_up_cents
from payroll.engine.proration import hourly_lines, salary_lines
from payroll.engine.statutory.auto_enrolment import qualifying_earnings
from payroll.engine.types import (
    EMPLOYER_CATEGORIES,
    PayInputs,
    PayItem,
    PayLine,
    PayResult,
)

# UK relief at source: the member pays the contribution net of basic-rate tax (20%), the scheme
# reclaims that 20% from HMRC (Finance Act 2004 s.192), so payroll deducts 80% of it.
RELIEF_AT_SOURCE_NET_FRACTION = Decimal("0.80")


def _component_amount(item: PayItem, bases: dict[str, Decimal]) -> tuple[Decimal, dict]:
    """Amount (rounded half up to the cent, once) and trace for one component item."""
    comp = item.component
    if comp.calculation == "fixed":
        amount = item.amount if item.amount is not None else comp.amount or ZERO
        exact, formula = amount, f"fixed {fmt(amount)}"
    elif comp.calculation == "rate_x_hours":
        rate = item.rate if item.rate is not None else comp.rate or ZERO
        hours = item.quantity or ZERO
        exact = hours * rate * comp.multiplier
        formula = f"{hours} h x {fmt(rate)} x {comp.multiplier.normalize():f}"
    else:
        rate = item.rate if item.rate is not None else comp.rate or ZERO
        base = bases[comp.base]
        exact = base * rate
        formula = f"{fmt_rate(rate)} x {comp.base} {fmt(base)}"
    if comp.relief_at_source:
        formula += f" = {fmt(exact)} gross; x 80% (relief at source)"
        exact *= RELIEF_AT_SOURCE_NET_FRACTION
    amount = half_up_cents(exact)
    trace = {"inputs": {"component": comp.code, "calculation": comp.calculation},
             "formula": f"{formula} = {amount}",
             "rule": "component definition; half up to the cent once per line"}
    if item.trace:
        trace.update(item.trace)
    return amount, trace


def _line(comp: PayComponent, amount: Decimal, trace: dict, item: PayItem) -> PayLine:
    return PayLine(comp.code, comp.name, comp.kind, amount, quantity=item.quantity,
                   rate=item.rate, trace=trace)


def _earnings(inputs: PayInputs) -> tuple[list[PayLine], Wages, dict[str, Decimal]]:
    lines = salary_lines(inputs) + hourly_lines(inputs)
    income = social = sum((line.amount for line in lines), ZERO)
    basic = income
    supplemental = ZERO  # income-taxable supplemental wages (US Pub 15 section 7)
    deferred: list[PayItem] = []
    for item in inputs.items:
        comp = item.component
        if comp.kind not in ("earning", "reimbursement"):
            continue
        if comp.calculation == "percent_of_base":
            deferred.append(item)
            continue
        amount, trace = _component_amount(item, {})
        lines.append(_line(comp, amount, trace, item))
        income += amount if comp.income_taxable else ZERO
        social += amount if comp.social_taxable else ZERO
        supplemental += amount if comp.income_taxable and comp.supplemental else ZERO
    earnings = sum((line.amount for line in lines if line.category == "earning"), ZERO)
    bases = {"gross_earnings": earnings, "basic_pay": basic,
             "qualifying": qualifying_earnings(earnings, inputs.pay_frequency)}
    for item in deferred:
        comp = item.component
        amount, trace = _component_amount(item, bases)
        lines.append(_line(comp, amount, trace, item))
        income += amount if comp.income_taxable else ZERO
        social += amount if comp.social_taxable else ZERO
        supplemental += amount if comp.income_taxable and comp.supplemental else ZERO
    bases["gross_earnings"] = sum(
        (line.amount for line in lines if line.category == "earning"), ZERO
    )
    bases["qualifying"] = qualifying_earnings(bases["gross_earnings"], inputs.pay_frequency)
    return lines, Wages(income, social, supplemental), bases


def _pre_tax(inputs: PayInputs, bases: dict[str, Decimal], wages: Wages):
    lines: list[PayLine] = []
    income, social, mandatory = wages.income_tax, wages.social, ZERO
    for item in inputs.items:
        comp = item.component
        if comp.kind != "pre_tax_deduction":
            continue
        amount, trace = _component_amount(item, bases)
        trace["reduces"] = {"income_tax_wages": comp.reduces_income_tax_wages,
                            "social_wages": comp.reduces_social_wages}
        lines.append(_line(comp, amount, trace, item))
        income -= amount if comp.reduces_income_tax_wages else ZERO
        social -= amount if comp.reduces_social_wages else ZERO
        mandatory += amount if comp.mandatory else ZERO
    # Pre-tax deductions come out of regular wages first; only what is left of the
    # income-tax wages can be supplemental.
    supplemental = min(wages.supplemental, max(income, ZERO))
    return lines, Wages(income, social, supplemental), mandatory


def _post_tax(inputs: PayInputs, bases: dict[str, Decimal], disposable: Decimal,
              net_left: Decimal) -> list[PayLine]:
    lines: list[PayLine] = []
    garnished = ZERO
    for item in inputs.items:
        comp = item.component
        if comp.kind != "post_tax_deduction":
            continue
        amount, trace = _component_amount(item, bases)
        if comp.garnishment_cap_rate is not None:
            cap = max(ZERO, half_up_cents(disposable * comp.garnishment_cap_rate) - garnished)
            trace["cap"] = (f"{fmt_rate(comp.garnishment_cap_rate)} x disposable earnings "
                            f"{fmt(disposable)} less {fmt(garnished)} already garnished = {cap}")
            if amount > cap:
                amount = cap
                trace["formula"] += f"; limited by cap to {amount}"
            garnished += amount
        if amount > max(ZERO, net_left):
            amount = max(ZERO, net_left)
            trace["formula"] += f"; limited to net pay left {amount}"
        net_left -= amount
        lines.append(_line(comp, amount, trace, item))
    return lines


def calculate(inputs: PayInputs) -> PayResult:
    """One payslip: lines in order, totals summed from the stored (quantized) lines."""
    jurisdiction = get(inputs.jurisdiction)
    tax_year = jurisdiction.tax_year_for(inputs.pay_date)
    earning_lines, gross_wages, bases = _earnings(inputs)
    pre_lines, wages, mandatory = _pre_tax(inputs, bases, gross_wages)
    tax_lines = jurisdiction.tax_lines(inputs, tax_year, wages)
    employee_tax_lines = [line for line in tax_lines if line.category == "employee_tax"]
    employer_tax_lines = [line for line in tax_lines if line.category == "employer_tax"]

    gross = sum((line.amount for line in earning_lines), ZERO)
    pre = sum((line.amount for line in pre_lines), ZERO)
    taxes = sum((line.amount for line in employee_tax_lines), ZERO)
    disposable = bases["gross_earnings"] - taxes - mandatory
    post_lines = _post_tax(inputs, bases, disposable, gross - pre - taxes)
    post = sum((line.amount for line in post_lines), ZERO)

    employer_lines = list(employer_tax_lines)
    for item in inputs.items:
        if item.component.kind == "employer_contribution":
            amount, trace = _component_amount(item, bases)
            employer_lines.append(_line(item.component, amount, trace, item))

    lines = (*earning_lines, *pre_lines, *employee_tax_lines, *post_lines, *employer_lines)
    employer = sum((line.amount for line in lines if line.category in EMPLOYER_CATEGORIES), ZERO)
    net = gross - pre - taxes - post
    increments = {"gross": gross, "net": net,
                  **jurisdiction.ytd_increments(wages, tax_lines, inputs)}
    for item in inputs.items:
        for key, value in item.ytd_increments:
            increments[key] = increments.get(key, ZERO) + value
    return PayResult(lines=lines, gross=gross, pre_tax_deductions=pre, employee_taxes=taxes,
                     post_tax_deductions=post, net=net, employer_cost=gross + employer,
                     tax_year=tax_year, ytd_increments=increments)
