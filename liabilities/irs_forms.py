"""Form 941 (quarterly) and Form 940 (annual FUTA) figures from finalised payslips. Pure Python.

Form 941 lines follow the 2026 Instructions for Form 941 (https://www.irs.gov/instructions/i941):
1 employees paid for the pay period including the 12th of the quarter's last month; 2 wages,
tips and other compensation; 3 federal income tax withheld; 5a taxable social security wages x
12.4%; 5c taxable Medicare wages x 2.9%; 5d wages subject to Additional Medicare Tax withholding
(over 200,000 a year per employee) x 0.9%; 5e = 5a + 5b + 5c + 5d; 5f section 3121(q) notice and
demand (none: the engine has no tips); 6 = 3 + 5e + 5f; 7 the fractions-of-cents adjustment (the
amounts actually withheld and paid, which the payslips round per paycheck, less 5e); 10 = 6 + 7
(+ 8, 9: none); 12 = 10 - 11 (no credits); 13 deposits; 14 balance due or 15 overpayment; 16 the
monthly liabilities (monthly depositors) or Schedule B's daily ones (semiweekly).

Form 940 follows the 2025 Instructions for Form 940 (https://www.irs.gov/instructions/i940):
FUTA tax is 6.0% of the first 7,000 paid to each employee in the year less the 5.4% credit for
state unemployment tax, so 0.6% (line 8 = line 7 x 0.006); credit-reduction states add their
reduction rate on the FUTA wages paid there (Schedule A, line 11). Quarterly FUTA liability is
deposited when the undeposited amount exceeds 500, by the last day of the month after the
quarter; otherwise it is carried to the next quarter (Pub 15 section 11 "When To Deposit FUTA").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from liabilities.futa_credit_reduction import CREDIT_REDUCTION
from liabilities.irs_deposits import quarter_of

ZERO = Decimal("0.00")
# Social Security wage base (SSA "Contribution and benefit base"): 2025 176,100; 2026 184,500.
SS_WAGE_BASE = {2025: Decimal("176100"), 2026: Decimal("184500")}
ADDITIONAL_MEDICARE_THRESHOLD = Decimal("200000")
FUTA_WAGE_BASE = Decimal("7000")
FUTA_NET_RATE = Decimal("0.006")
FUTA_DEPOSIT_THRESHOLD = Decimal("500")


def cents(amount: Decimal) -> Decimal:
    # Form 941/940 instructions: amounts are in dollars and cents; products rounded to the cent.
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SlipTaxes:
    employee_id: int
    pay_date: date
    gross: Decimal = ZERO
    income_tax_wages: Decimal = ZERO
    fica_wages: Decimal = ZERO  # also FUTA wages: the engine's FICA and FUTA exclusions agree
    income_tax: Decimal = ZERO
    ss_employee: Decimal = ZERO
    ss_employer: Decimal = ZERO
    medicare_employee: Decimal = ZERO
    medicare_employer: Decimal = ZERO
    additional_medicare: Decimal = ZERO
    covers_12th: bool = False  # its pay period includes the 12th of the quarter's last month
    state: str = ""

    @property
    def fica_paid(self) -> Decimal:
        return (self.ss_employee + self.ss_employer + self.medicare_employee
                + self.medicare_employer + self.additional_medicare)


@dataclass(frozen=True, slots=True)
class _Taxable:
    slip: SlipTaxes
    ss_wages: Decimal
    addl_wages: Decimal
    futa_wages: Decimal


def _taxable(slips: Iterable[SlipTaxes]) -> list[_Taxable]:
    """Each payslip's wages under the year's bases, in pay-date order per employee."""
    seen: dict[tuple[int, int], tuple[Decimal, Decimal, Decimal]] = {}
    out = []
    for s in sorted(slips, key=lambda x: (x.pay_date, x.employee_id)):
        key = (s.employee_id, s.pay_date.year)
        ss_ytd, fica_ytd, futa_ytd = seen.get(key, (ZERO, ZERO, ZERO))
        base = SS_WAGE_BASE.get(s.pay_date.year, SS_WAGE_BASE[max(SS_WAGE_BASE)])
        ss = max(ZERO, min(s.fica_wages, base - ss_ytd))
        addl = max(ZERO, fica_ytd + s.fica_wages - max(ADDITIONAL_MEDICARE_THRESHOLD, fica_ytd))
        futa = max(ZERO, min(s.fica_wages, FUTA_WAGE_BASE - futa_ytd))
        seen[key] = (ss_ytd + ss, fica_ytd + s.fica_wages, futa_ytd + futa)
        out.append(_Taxable(s, ss, addl, futa))
    return out


@dataclass(slots=True)
class Form941:
    year: int
    quarter: int
    lines: dict[str, Decimal | int] = field(default_factory=dict)
    monthly: list[Decimal] = field(default_factory=list)  # line 16 months 1-3
    daily: list[tuple[date, Decimal]] = field(default_factory=list)  # Schedule B


def form_941(slips: Iterable[SlipTaxes], *, year: int, quarter: int,
             deposits_made: Decimal = ZERO) -> Form941:
    """`slips`: the calendar year's payslips up to the quarter's end (for the wage bases)."""
    rows = [t for t in _taxable(slips)
            if t.slip.pay_date.year == year and quarter_of(t.slip.pay_date) == quarter]
    total = lambda f: sum((f(t) for t in rows), ZERO)  # noqa: E731
    ss_wages, med_wages = total(lambda t: t.ss_wages), total(lambda t: t.slip.fica_wages)
    addl_wages = total(lambda t: t.addl_wages)
    l5a, l5c, l5d = (cents(ss_wages * Decimal("0.124")), cents(med_wages * Decimal("0.029")),
                     cents(addl_wages * Decimal("0.009")))
    l5e = l5a + l5c + l5d
    l3 = total(lambda t: t.slip.income_tax)
    l6 = l3 + l5e
    l7 = total(lambda t: t.slip.fica_paid) - l5e
    l10 = l6 + l7
    l12 = l10
    form = Form941(year, quarter, {
        "1": len({t.slip.employee_id for t in rows if t.slip.covers_12th}),
        "2": total(lambda t: t.slip.income_tax_wages), "3": l3,
        "5a_wages": ss_wages, "5a": l5a, "5b_wages": ZERO, "5b": ZERO,
        "5c_wages": med_wages, "5c": l5c, "5d_wages": addl_wages, "5d": l5d, "5e": l5e,
        "5f": ZERO, "6": l6, "7": l7, "8": ZERO, "9": ZERO, "10": l10, "11": ZERO, "12": l12,
        "13": deposits_made, "14": max(ZERO, l12 - deposits_made),
        "15": max(ZERO, deposits_made - l12)})
    first = (quarter - 1) * 3 + 1
    form.monthly = [sum((t.slip.income_tax + t.slip.fica_paid for t in rows
                         if t.slip.pay_date.month == m), ZERO) for m in range(first, first + 3)]
    by_day: dict[date, Decimal] = {}
    for t in rows:
        by_day[t.slip.pay_date] = by_day.get(t.slip.pay_date, ZERO) + (
            t.slip.income_tax + t.slip.fica_paid)
    form.daily = sorted(by_day.items())
    return form


@dataclass(slots=True)
class Form940:
    year: int
    lines: dict[str, Decimal | str] = field(default_factory=dict)
    quarters: list[Decimal] = field(default_factory=list)  # line 16a-16d
    credit_reduction: dict[str, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict)
    credit_reduction_known: bool = True
    deposits_due: list[tuple[int, Decimal, date | None]] = field(default_factory=list)


def _quarter_deadline(year: int, quarter: int) -> date:
    # The last day of the month after the quarter: 30 April, 31 July, 31 October, 31 January.
    return {1: date(year, 4, 30), 2: date(year, 7, 31), 3: date(year, 10, 31),
            4: date(year + 1, 1, 31)}[quarter]


def form_940(slips: Iterable[SlipTaxes], *, year: int, deposits_made: Decimal = ZERO) -> Form940:
    rows = [t for t in _taxable(slips) if t.slip.pay_date.year == year]
    total = lambda f: sum((f(t) for t in rows), ZERO)  # noqa: E731
    l3 = total(lambda t: t.slip.gross)
    l4 = total(lambda t: t.slip.gross - t.slip.fica_wages)  # e.g. section 125 benefits
    l7 = total(lambda t: t.futa_wages)
    l5 = l3 - l4 - l7
    l8 = cents(l7 * FUTA_NET_RATE)
    form = Form940(year)
    rates = CREDIT_REDUCTION.get(year)
    form.credit_reduction_known = rates is not None
    l11 = ZERO
    for state, rate in sorted((rates or {}).items()):
        wages = sum((t.futa_wages for t in rows if t.slip.state == state), ZERO)
        if wages:
            form.credit_reduction[state] = (wages, rate, cents(wages * rate))
            l11 += form.credit_reduction[state][2]
    l12 = l8 + l11
    states = sorted({t.slip.state for t in rows if t.slip.state})
    form.lines = {"1a": states[0] if len(states) == 1 else "", "1b": "X" if len(states) > 1
                  else "", "3": l3, "4": l4, "5": l5, "6": l4 + l5, "7": l7, "8": l8, "9": ZERO,
                  "10": ZERO, "11": l11, "12": l12, "13": deposits_made,
                  "14": max(ZERO, l12 - deposits_made), "15": max(ZERO, deposits_made - l12)}
    form.quarters = [cents(sum((t.futa_wages for t in rows if quarter_of(t.slip.pay_date) == q),
                               ZERO) * FUTA_NET_RATE) for q in (1, 2, 3, 4)]
    # The credit reduction is part of the fourth quarter's liability (940 instructions, line 16d).
    form.quarters[3] += l11
    undeposited = ZERO
    for q, liability in enumerate(form.quarters, start=1):
        undeposited += liability
        if undeposited > FUTA_DEPOSIT_THRESHOLD or (q == 4 and undeposited > 0):
            form.deposits_due.append((q, undeposited, _quarter_deadline(year, q)))
            undeposited = ZERO
        else:
            form.deposits_due.append((q, ZERO, None))
    return form
