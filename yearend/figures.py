"""Year-end figures (P60, P45, W-2, W-3) from a year's finalised payslips: pure Python, no Django.

Every figure is a sum of what the finalised payslips stored (their YTD increments and lines), so a
document adds up to the payslips it certifies. Correction payslips carry (new - old) increments
and reversal lines, so plain sums stay right after corrections.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from payroll.engine.money import ZERO, floor_pounds

# UK statutory payments printed on the P60 ("Statutory payments included in the pay 'In this
# employment' figure above"): YTD key -> label. SPBP has no calculator in HROps yet: always 0.
UK_STATUTORY = (("uk_smp", "Statutory Maternity Pay"), ("uk_spp", "Statutory Paternity Pay"),
                ("uk_sap", "Statutory Adoption Pay"), ("uk_shpp", "Statutory Shared Parental Pay"),
                ("uk_spbp", "Statutory Parental Bereavement Pay"))
# Form W-3 box 12a "Deferred compensation": the box 12 codes of elective deferrals and Roth
# contributions (2026 General Instructions for Forms W-2 and W-3, "Box 12a—Deferred
# compensation" of Form W-3: codes D, E, F, G, H, S, Y, AA, BB and EE).
W3_DEFERRED_CODES = frozenset({"D", "E", "F", "G", "H", "S", "Y", "AA", "BB", "EE"})


@dataclass(frozen=True, slots=True)
class SlipFacts:
    """One finalised payslip, as year-end documents read it."""

    payslip_id: int
    employee_id: int
    pay_date: date
    period_id: int
    run_kind: str
    increments: Mapping[str, Decimal]
    lines: tuple[tuple[str, Decimal], ...] = ()  # (line code, amount)
    tax_code: str = ""
    week1_month1: bool = False
    ni_letter: str = "A"
    tax_period: str = ""  # "Month 8" / "Week 32"


def _sum(slips: Iterable[SlipFacts], key: str) -> Decimal:
    return sum((Decimal(str(s.increments.get(key, ZERO))) for s in slips), ZERO)


def _ordered(slips: Iterable[SlipFacts]) -> list[SlipFacts]:
    return sorted(slips, key=lambda s: (s.pay_date, s.payslip_id))


def _last_regular(slips: list[SlipFacts]) -> SlipFacts | None:
    """The payslip whose tax code is the final one: the latest paid that is not a correction
    (a correction re-uses the code of the period it corrects)."""
    ordered = _ordered(s for s in slips if s.run_kind != "correction") or _ordered(slips)
    return ordered[-1] if ordered else None


# ---------------------------------------------------------------------------------------------
# UK: P60 and P45
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NiRow:
    """One NIC table letter of the P60 ("National Insurance contributions in this employment")."""

    letter: str
    at_lel: Decimal  # whole pounds
    lel_to_pt: Decimal  # whole pounds
    pt_to_uel: Decimal  # whole pounds
    employee_ni: Decimal  # pounds and pence


@dataclass(frozen=True, slots=True)
class P60Figures:
    tax_year: str
    pay: Decimal
    tax: Decimal
    previous_pay: Decimal
    previous_tax: Decimal
    final_tax_code: str
    week1_month1: bool
    ni_rows: tuple[NiRow, ...]
    student_loan: Decimal  # whole pounds
    postgraduate_loan: Decimal  # whole pounds
    statutory: tuple[tuple[str, Decimal], ...]

    @property
    def total_pay(self) -> Decimal:
        return self.previous_pay + self.pay

    @property
    def total_tax(self) -> Decimal:
        return self.previous_tax + self.tax


def ni_band_earnings(ni_pay: Decimal, thresholds: Mapping[str, Decimal]
                     ) -> tuple[Decimal, Decimal, Decimal]:
    """One earnings period's NI-able pay split as the P60 and the FPS report it: earnings at the
    LEL (only when pay reaches the LEL), above the LEL up to the PT, above the PT up to the UEL
    (HMRC CWG2 "Class 1 NICs": the LEL, PT and UEL of the earnings period)."""
    lel, pt, uel = thresholds["LEL"], thresholds["PT"], thresholds["UEL"]
    if ni_pay < lel:
        return ZERO, ZERO, ZERO
    return lel, min(ni_pay, pt) - lel, max(min(ni_pay, uel) - pt, ZERO)


def p60_figures(slips: list[SlipFacts], *, tax_year: str,
                thresholds: Mapping[str, Decimal], previous_pay: Decimal = ZERO,
                previous_tax: Decimal = ZERO) -> P60Figures:
    """The P60 of one employee for one employer and tax year. NI is per earnings period: all
    payments of a period (regular, off-cycle, corrections) are added together (HMRC NIM08510),
    then split into the LEL/PT/UEL bands of the period; the band totals are printed in whole
    pounds, rounded down (P60 form: "£" columns without pence; HROps rounds down as for the
    taxable pay figures of the PAYE specification)."""
    per_period: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    employee_ni: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for slip in slips:
        letter = (slip.ni_letter or "A").upper()
        per_period[(letter, slip.period_id)] += Decimal(str(slip.increments.get("uk_ni_pay", 0)))
        employee_ni[letter] += Decimal(str(slip.increments.get("uk_employee_ni", 0)))
    bands: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for (letter, _period), ni_pay in per_period.items():
        for i, amount in enumerate(ni_band_earnings(ni_pay, thresholds)):
            bands[letter][i] += amount
    rows = tuple(
        NiRow(letter, floor_pounds(bands[letter][0]), floor_pounds(bands[letter][1]),
              floor_pounds(bands[letter][2]), employee_ni[letter])
        for letter in sorted(set(bands) | set(employee_ni)))
    last = _last_regular(slips)
    return P60Figures(
        tax_year=tax_year, pay=_sum(slips, "uk_taxable_pay"), tax=_sum(slips, "uk_tax_paid"),
        previous_pay=previous_pay, previous_tax=previous_tax,
        final_tax_code=last.tax_code if last else "", week1_month1=bool(last and last.week1_month1),
        ni_rows=rows,
        # P60: "Student Loan deductions in this employment (whole £s only)"; the deductions are
        # whole pounds already (HMRC CWG2: student loan deductions are rounded down to £1).
        student_loan=floor_pounds(_sum(slips, "uk_student_loan")),
        postgraduate_loan=floor_pounds(_sum(slips, "uk_postgraduate_loan")),
        statutory=tuple((label, _sum(slips, key)) for key, label in UK_STATUTORY),
    )


@dataclass(frozen=True, slots=True)
class P45Figures:
    tax_year: str
    leaving_date: date
    tax_code: str
    week1_month1: bool
    last_period: str
    # Box 7 (cumulative codes only; empty on a week 1 / month 1 code) and box 8 (this
    # employment). HROps records no previous-employment figures, so box 8 = this employment.
    total_pay_to_date: Decimal | None
    total_tax_to_date: Decimal | None
    pay_this_employment: Decimal
    tax_this_employment: Decimal
    student_loan_continue: bool


def p45_figures(slips: list[SlipFacts], *, tax_year: str, leaving_date: date,
                student_loan_continue: bool) -> P45Figures:
    """The P45 at leaving: pay and tax to date in this employment for the tax year (HMRC
    "P45: details of employee leaving work", boxes 6-8). Box 7 is "complete only if tax code is
    cumulative. If there is an 'X' at box 6 there will be no entries here"."""
    last = _last_regular(slips)
    week1 = bool(last and last.week1_month1)
    pay, tax = _sum(slips, "uk_taxable_pay"), _sum(slips, "uk_tax_paid")
    return P45Figures(
        tax_year=tax_year, leaving_date=leaving_date, tax_code=last.tax_code if last else "",
        week1_month1=week1, last_period=last.tax_period if last else "",
        total_pay_to_date=None if week1 else pay, total_tax_to_date=None if week1 else tax,
        pay_this_employment=pay, tax_this_employment=tax,
        student_loan_continue=student_loan_continue)


# ---------------------------------------------------------------------------------------------
# US: W-2 and W-3
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class W2Figures:
    tax_year: str
    box1: Decimal  # wages, tips, other compensation
    box2: Decimal  # federal income tax withheld
    box3: Decimal  # social security wages (capped at the wage base)
    box4: Decimal  # social security tax withheld
    box5: Decimal  # Medicare wages and tips
    box6: Decimal  # Medicare tax withheld (incl. Additional Medicare Tax)
    box12: tuple[tuple[str, Decimal], ...] = ()
    box14: tuple[tuple[str, Decimal], ...] = ()

    def box12_amount(self, code: str) -> Decimal:
        return next((amount for c, amount in self.box12 if c == code), ZERO)


def w2_figures(slips: list[SlipFacts], *, tax_year: str, wage_base: Decimal,
               box12_codes: Mapping[str, str], box14_labels: Mapping[str, str]) -> W2Figures:
    """One employee's W-2 for one employer (EIN) and year (2026 General Instructions for Forms
    W-2 and W-3, "Specific Instructions for Form W-2", boxes 1-6, 12 and 14). Box 3 is the
    wages subject to social security tax, so no more than the year's wage base; box 5 has no
    cap; box 6 includes the Additional Medicare Tax withheld. Box 12 and 14 sum the lines of
    the pay components mapped to a code / label (``box12_codes``: line code -> W-2 code)."""
    box12: dict[str, Decimal] = defaultdict(lambda: ZERO)
    box14: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for slip in slips:
        for code, amount in slip.lines:
            if code in box12_codes:
                box12[box12_codes[code]] += amount
            if code in box14_labels:
                box14[box14_labels[code]] += amount
    fica_wages = _sum(slips, "us_fica_wages")
    return W2Figures(
        tax_year=tax_year, box1=_sum(slips, "us_income_tax_wages"),
        box2=_sum(slips, "us_federal_income_tax"), box3=min(fica_wages, wage_base),
        box4=_sum(slips, "us_social_security_tax"), box5=fica_wages,
        box6=_sum(slips, "us_medicare_tax"),
        box12=tuple(sorted((c, a) for c, a in box12.items() if a)),
        box14=tuple(sorted((label, a) for label, a in box14.items() if a)),
    )


@dataclass(frozen=True, slots=True)
class W3Figures:
    tax_year: str
    count: int  # box c: total number of Forms W-2
    box1: Decimal
    box2: Decimal
    box3: Decimal
    box4: Decimal
    box5: Decimal
    box6: Decimal
    box12a: Decimal  # deferred compensation
    box12: tuple[tuple[str, Decimal], ...] = field(default=())


def w3_figures(w2s: list[W2Figures], *, tax_year: str) -> W3Figures:
    """Form W-3 totals: each box the sum of that box over the employer's Forms W-2."""
    codes: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for w2 in w2s:
        for code, amount in w2.box12:
            codes[code] += amount

    def total(name: str) -> Decimal:
        return sum((getattr(w, name) for w in w2s), ZERO)

    return W3Figures(
        tax_year=tax_year, count=len(w2s), box1=total("box1"), box2=total("box2"),
        box3=total("box3"), box4=total("box4"), box5=total("box5"), box6=total("box6"),
        box12a=sum((a for c, a in codes.items() if c in W3_DEFERRED_CODES), ZERO),
        box12=tuple(sorted(codes.items())))
