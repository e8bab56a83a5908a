"""US federal withholding: income tax by IRS Pub 15-T Worksheet 1A (percentage method for
automated payroll systems) and FICA (Social Security, Medicare, Additional Medicare).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from payroll.engine.money import ZERO, fmt, fmt_rate, half_up_cents, half_up_dollars
from payroll.engine.tax_years import load
from payroll.engine.types import USW4, PayLine

PUB15T = "IRS Pub 15-T {year}, Worksheet 1A"
PUB15 = "IRS Pub 15 {year}, section 9"
FILING_STATUSES = frozenset(
    {"single", "married_filing_jointly", "married_filing_separately", "head_of_household"}
)
Row = tuple[Decimal, Decimal, Decimal]  # A (at least), C (tentative amount), rate on excess


@dataclass(frozen=True, slots=True)
class UsTables:
    tax_year: str
    periods_per_year: dict[str, int]
    tables: dict[tuple[str, str], tuple[Row, ...]]  # (standard|step2_checkbox, status) -> rows
    line_1g: dict[str, Decimal]
    per_allowance: Decimal
    nra_pre2020: dict[str, Decimal]
    nra_2020: dict[str, Decimal]
    ss_rate: Decimal
    ss_wage_base: Decimal
    ss_max_tax: Decimal
    medicare_rate: Decimal
    addl_medicare_rate: Decimal
    addl_medicare_threshold: Decimal
    supplemental_flat_rate: Decimal
    supplemental_mandatory_rate: Decimal
    supplemental_mandatory_threshold: Decimal


@cache
def us_tables(tax_year: str) -> UsTables:
    raw = load("US", tax_year)
    tax = raw["income_tax"]
    fica = raw["fica"]
    ss_rate = Decimal(fica["social_security_rate"])
    ss_base = Decimal(fica["social_security_wage_base"])
    nra = tax["nonresident_alien_addition"]
    supplemental = raw["supplemental"]
    return UsTables(
        tax_year=tax_year,
        periods_per_year=raw["periods_per_year"],
        tables={
            (kind, status): tuple((Decimal(a), Decimal(c), Decimal(r)) for a, c, r in rows)
            for kind, by_status in tax["tables"].items()
            for status, rows in by_status.items()
        },
        line_1g={k: Decimal(v) for k, v in tax["line_1g_adjustment"].items()},
        per_allowance=Decimal(tax["line_1k_per_allowance"]),
        nra_pre2020={k: Decimal(v) for k, v in nra["table1_pre2020_w4"].items()},
        nra_2020={k: Decimal(v) for k, v in nra["table2_2020plus_w4"].items()},
        ss_rate=ss_rate,
        ss_wage_base=ss_base,
        ss_max_tax=half_up_cents(ss_rate * ss_base),
        medicare_rate=Decimal(fica["medicare_rate"]),
        addl_medicare_rate=Decimal(fica["additional_medicare_rate"]),
        addl_medicare_threshold=Decimal(fica["additional_medicare_threshold"]),
        supplemental_flat_rate=Decimal(supplemental["optional_flat_rate"]),
        supplemental_mandatory_rate=Decimal(supplemental["mandatory_rate"]),
        supplemental_mandatory_threshold=Decimal(supplemental["mandatory_threshold"]),
    )


def _find_row(rows: tuple[Row, ...], annual: Decimal) -> Row:
    """The row with A <= wage < next A (Pub 15-T: 'at least ... but less than')."""
    found = rows[0]
    for row in rows:
        if annual >= row[0]:
            found = row
        else:
            break
    return found


def _annual_wage(t: UsTables, w4: USW4, wages: Decimal, periods: int, freq: str):
    """Worksheet 1A step 1: the adjusted annual wage amount, its table and a formula."""
    if w4.form_year >= 2020:
        nra = t.nra_2020[freq] if w4.nonresident_alien else ZERO
        status = w4.filing_status
        kind = "step2_checkbox" if w4.step2_checkbox else "standard"
        key = "married_filing_jointly" if status == "married_filing_jointly" else "other"
        line_1g = ZERO if w4.step2_checkbox else t.line_1g[key]
        table_status = {"married_filing_separately": "single"}.get(status, status)
        annual = (wages + nra) * periods + w4.step4a_other_income
        annual = max(ZERO, annual - w4.step4b_deductions - line_1g)
        formula = (
            f"1c ({fmt(wages)}{f' + NRA {fmt(nra)}' if nra else ''}) x {periods}"
            f" + 4(a) {fmt(w4.step4a_other_income)} - 4(b) {fmt(w4.step4b_deductions)}"
            f" - 1g {fmt(line_1g)} = 1i {fmt(annual)}"
        )
        return annual, kind, table_status, formula
    # Form W-4 from 2019 or earlier: allowances, never the head-of-household table.
    nra = t.nra_pre2020[freq] if w4.nonresident_alien else ZERO
    table_status = "married_filing_jointly" if w4.marital_status == "married" else "single"
    allowances = t.per_allowance * w4.allowances
    annual = max(ZERO, (wages + nra) * periods - allowances)
    formula = (
        f"1c ({fmt(wages)}{f' + NRA {fmt(nra)}' if nra else ''}) x {periods}"
        f" - 1k {w4.allowances} x {fmt(t.per_allowance)} = 1l {fmt(annual)}"
    )
    return annual, "standard", table_status, formula


def federal_income_tax(
    *, tax_year: str, pay_frequency: str, taxable_wages: Decimal, w4: USW4, whole_dollar: bool
) -> PayLine:
    """Federal income tax withholding for one paycheck (Pub 15-T Worksheet 1A)."""
    t = us_tables(tax_year)
    source = PUB15T.format(year=tax_year)
    inputs = {"taxable_wages": fmt(taxable_wages), "pay_frequency": pay_frequency,
              "w4_form_year": w4.form_year}
    if w4.exempt and w4.form_year >= 2020:
        trace = {"inputs": inputs, "formula": "exempt from withholding: 0.00",
                 "rule": f"{source}; Form W-4 exempt"}
        return PayLine("FIT", "Federal income tax", "employee_tax", ZERO.quantize(Decimal("0.01")),
                       trace=trace)
    periods = t.periods_per_year[pay_frequency]
    annual, kind, status, step1 = _annual_wage(t, w4, taxable_wages, periods, pay_frequency)
    a, c, rate = _find_row(t.tables[(kind, status)], annual)
    tentative_annual = c + rate * (annual - a)
    per_period = tentative_annual / periods  # 2h
    if w4.form_year >= 2020:
        credits = w4.step3_credits / periods  # 3b
        extra = w4.step4c_extra_withholding
    else:
        credits, extra = ZERO, w4.extra_withholding
    after_credits = max(ZERO, per_period - credits)  # 3c
    exact = after_credits + extra  # 4b
    # Pub 15-T: withholding is figured to the cent, or (employer option) to the whole dollar.
    amount = half_up_dollars(exact) if whole_dollar else half_up_cents(exact)
    formula = (
        f"{step1}; {fmt(c)} + {fmt_rate(rate)} x ({fmt(annual)} - {fmt(a)}) = "
        f"{fmt(tentative_annual)}; / {periods} = {fmt(per_period)}"
        f"; - 3(b) {fmt(credits)} + 4(c) {fmt(extra)} = {amount}"
        f"{' (whole dollars, half up)' if whole_dollar else ''}"
    )
    trace = {
        "inputs": inputs | {"filing_status": status},
        "table": {"name": f"{kind} {status}", "at_least": fmt(a), "tentative_amount": fmt(c),
                  "rate": fmt_rate(rate)},
        "formula": formula,
        "rule": f"{source}, steps 1-4 ({'2020 or later' if w4.form_year >= 2020 else '2019 or '
                 'earlier'} Form W-4)",
    }
    return PayLine("FIT", "Federal income tax", "employee_tax", amount, trace=trace)


PUB15_SUPPLEMENTAL = "IRS Pub 15 {year}, section 7 (supplemental wages)"


@dataclass(frozen=True, slots=True)
class SupplementalPosition:
    """What the supplemental-wage rules need besides this paycheck's wages."""

    method: str  # "flat" (optional flat rate) | "aggregate"
    paid_separately: bool  # an off-cycle payment with no regular wages of its own
    ytd_supplemental: Decimal  # supplemental wages paid earlier this calendar year
    last_regular_wages: Decimal | None  # most recent regular paycheck's income-tax wages
    last_regular_tax: Decimal  # federal income tax withheld from it


def supplemental_income_tax(
    *, tax_year: str, pay_frequency: str, regular_wages: Decimal,
    supplemental_wages: Decimal, w4: USW4, whole_dollar: bool, position: SupplementalPosition,
) -> PayLine:
    """Federal income tax on a paycheck holding supplemental wages (Pub 15 section 7).

    - The part of the year's supplemental wages above 1,000,000 is withheld at 37%, mandatory,
      without regard to Form W-4.
    - The rest: "flat" = the optional flat rate 22% (Form W-4 ignored, except an exempt W-4
      means no optional withholding), regular wages through Worksheet 1A as usual; "aggregate"
      = added to the regular wages of this paycheck, or, when paid separately, to those of the
      most recent regular paycheck of the year: tax on the total as one payment (Worksheet 1A)
      less the tax already withheld from that regular paycheck, never below 0.
    """
    t = us_tables(tax_year)
    source = PUB15_SUPPLEMENTAL.format(year=tax_year)
    threshold = t.supplemental_mandatory_threshold
    before = max(ZERO, position.ytd_supplemental - threshold)
    after = max(ZERO, position.ytd_supplemental + supplemental_wages - threshold)
    mandatory_wages = after - before
    optional_wages = supplemental_wages - mandatory_wages
    mandatory = half_up_cents(mandatory_wages * t.supplemental_mandatory_rate)
    parts: list[str] = []

    def worksheet(wages: Decimal) -> PayLine:
        return federal_income_tax(tax_year=tax_year, pay_frequency=pay_frequency,
                                  taxable_wages=wages, w4=w4, whole_dollar=whole_dollar)

    if position.method == "flat":
        regular = worksheet(regular_wages).amount if not position.paid_separately else ZERO
        exempt = w4.exempt and w4.form_year >= 2020
        optional = ZERO if exempt else half_up_cents(optional_wages * t.supplemental_flat_rate)
        if not position.paid_separately:
            parts.append(f"regular wages {fmt(regular_wages)} by Worksheet 1A = {regular}")
        parts.append(f"optional flat rate {fmt_rate(t.supplemental_flat_rate)} x "
                     f"{fmt(optional_wages)} = {optional}{' (W-4 exempt)' if exempt else ''}")
    elif position.paid_separately:
        base = position.last_regular_wages or ZERO
        combined = worksheet(base + optional_wages).amount
        regular = ZERO
        optional = max(ZERO, combined - position.last_regular_tax)
        parts.append(f"aggregate: Worksheet 1A on last regular wages {fmt(base)} + "
                     f"supplemental {fmt(optional_wages)} = {combined}; less "
                     f"{fmt(position.last_regular_tax)} withheld from those regular wages = "
                     f"{optional}")
    else:
        regular = worksheet(regular_wages + optional_wages).amount
        optional = ZERO
        parts.append(f"aggregate: Worksheet 1A on regular {fmt(regular_wages)} + supplemental "
                     f"{fmt(optional_wages)} = {regular}")
    if mandatory_wages:
        parts.append(f"mandatory {fmt_rate(t.supplemental_mandatory_rate)} x "
                     f"{fmt(mandatory_wages)} above {fmt(threshold)} of supplemental wages "
                     f"this year = {mandatory}")
    amount = regular + optional + mandatory
    trace = {
        "inputs": {"regular_wages": fmt(regular_wages),
                   "supplemental_wages": fmt(supplemental_wages),
                   "supplemental_wages_before": fmt(position.ytd_supplemental),
                   "method": position.method, "paid_separately": position.paid_separately},
        "formula": f"{'; '.join(parts)}; total = {amount}",
        "rule": f"{source}; {PUB15T.format(year=tax_year)} for regular wages",
    }
    return PayLine("FIT", "Federal income tax", "employee_tax", amount, trace=trace)


def fica(
    *,
    tax_year: str,
    fica_wages: Decimal,
    ytd_fica_wages: Decimal,
    ytd_social_security_tax: Decimal | None = None,
) -> list[PayLine]:
    """Social Security and Medicare, employee and employer, per paycheck to the cent."""
    t = us_tables(tax_year)
    source = PUB15.format(year=tax_year)
    remaining_base = max(ZERO, t.ss_wage_base - ytd_fica_wages)
    ss_wages = max(ZERO, min(fica_wages, remaining_base))
    ss = half_up_cents(ss_wages * t.ss_rate)
    # Per-paycheck rounding must not push the year past 6.2% of the wage base: cap by what is
    # left of the maximum (estimated from YTD wages when YTD tax is not supplied).
    prior = ytd_social_security_tax
    if prior is None:
        prior = half_up_cents(min(ytd_fica_wages, t.ss_wage_base) * t.ss_rate)
    ss = min(ss, max(ZERO, t.ss_max_tax - prior))
    ss_formula = (f"{fmt_rate(t.ss_rate)} x min({fmt(fica_wages)}, {fmt(t.ss_wage_base)} - "
                  f"{fmt(ytd_fica_wages)}) = {fmt_rate(t.ss_rate)} x {fmt(ss_wages)} = {ss}")
    medicare = half_up_cents(fica_wages * t.medicare_rate)
    med_formula = f"{fmt_rate(t.medicare_rate)} x {fmt(fica_wages)} = {medicare}"
    threshold = t.addl_medicare_threshold
    already_over = max(ZERO, ytd_fica_wages - threshold)
    over = max(ZERO, ytd_fica_wages + fica_wages - threshold) - already_over
    addl = half_up_cents(over * t.addl_medicare_rate)
    addl_formula = (f"{fmt_rate(t.addl_medicare_rate)} x wages above {fmt(threshold)} this year "
                    f"({fmt(ytd_fica_wages)} before + {fmt(fica_wages)} now) = "
                    f"{fmt_rate(t.addl_medicare_rate)} x {fmt(over)} = {addl}")
    inputs = {"fica_wages": fmt(fica_wages), "ytd_fica_wages": fmt(ytd_fica_wages)}

    def line(code: str, desc: str, cat: str, amount: Decimal, formula: str, rule: str) -> PayLine:
        trace = {"inputs": inputs, "formula": formula, "rule": f"{source}; {rule}"}
        return PayLine(code, desc, cat, amount, trace=trace)  # type: ignore[arg-type]

    ss_rule = f"Social Security {fmt_rate(t.ss_rate)} to the {fmt(t.ss_wage_base)} wage base"
    med_rule = f"Medicare {fmt_rate(t.medicare_rate)}, no wage base"
    return [
        line("SS", "Social Security", "employee_tax", ss, ss_formula, ss_rule),
        line("MEDICARE", "Medicare", "employee_tax", medicare, med_formula, med_rule),
        line("ADDL_MEDICARE", "Additional Medicare", "employee_tax", addl, addl_formula,
             "Additional Medicare Tax withholding, employee only, from the paycheck in which "
             "wages paid this calendar year pass the threshold"),
        line("ER_SS", "Social Security (employer)", "employer_tax", ss, ss_formula, ss_rule),
        line("ER_MEDICARE", "Medicare (employer)", "employer_tax", medicare, med_formula,
             med_rule),
    ]


def fica_difference(*, tax_year: str, wages_difference: Decimal, ytd_fica_wages: Decimal
                    ) -> list[PayLine]:
    """FICA on a change of wages already paid (a correction), at the true cumulative position:
    ``ytd_fica_wages`` is every FICA wage paid this calendar year up to the correction, the
    corrected paycheck included. Social Security is 6.2% of the change of the year's wages
    under the wage base, Additional Medicare 0.9% of the change of the year's wages above its
    threshold (Pub 15 section 9: the wage base and the 200,000 threshold are calendar-year
    figures, not per paycheck), Medicare 1.45% of the change; each half up to the cent, either
    sign (a decrease refunds what the year's wages no longer owe)."""
    t = us_tables(tax_year)
    source = PUB15.format(year=tax_year)
    after = ytd_fica_wages + wages_difference
    base, threshold = t.ss_wage_base, t.addl_medicare_threshold
    ss_change = min(max(after, ZERO), base) - min(max(ytd_fica_wages, ZERO), base)
    ss = half_up_cents(ss_change * t.ss_rate)
    medicare = half_up_cents(wages_difference * t.medicare_rate)
    addl_change = max(ZERO, after - threshold) - max(ZERO, ytd_fica_wages - threshold)
    addl = half_up_cents(addl_change * t.addl_medicare_rate)
    inputs = {"wages_difference": fmt(wages_difference),
              "ytd_fica_wages": fmt(ytd_fica_wages)}
    ss_formula = (f"{fmt_rate(t.ss_rate)} x (min({fmt(after)}, {fmt(base)}) - "
                  f"min({fmt(ytd_fica_wages)}, {fmt(base)})) = {ss}")
    med_formula = f"{fmt_rate(t.medicare_rate)} x {fmt(wages_difference)} = {medicare}"
    addl_formula = (f"{fmt_rate(t.addl_medicare_rate)} x (wages above {fmt(threshold)}: "
                    f"{fmt(max(ZERO, after - threshold))} after - "
                    f"{fmt(max(ZERO, ytd_fica_wages - threshold))} before) = {addl}")
    rule = (f"{source}; a correction's FICA at the year's true cumulative position "
            f"(Social Security to the {fmt(base)} wage base, Additional Medicare above "
            f"{fmt(threshold)})")

    def line(code: str, desc: str, cat: str, amount: Decimal, formula: str) -> PayLine:
        return PayLine(code, desc, cat, amount,  # type: ignore[arg-type]
                       trace={"inputs": inputs, "formula": formula, "rule": rule})

    return [
        line("SS", "Social Security on the correction", "employee_tax", ss, ss_formula),
        line("MEDICARE", "Medicare on the correction", "employee_tax", medicare, med_formula),
        line("ADDL_MEDICARE", "Additional Medicare on the correction", "employee_tax", addl,
             addl_formula),
        line("ER_SS", "Social Security (employer) on the correction", "employer_tax", ss,
             ss_formula),
        line("ER_MEDICARE", "Medicare (employer) on the correction", "employer_tax", medicare,
             med_formula),
    ]
