"""The UK gender pay gap figures, as the Equality Act 2010 (Gender Pay Gap Information)
Regulations 2017 (SI 2017/172) define them. Plain Python (no Django): the rows come from
analytics.gpg_data, the page and the audit sheet from analytics.gpg.

- Relevant employee (reg. 1(2)): employed on the snapshot date. Bonus figures use them all.
- Full-pay relevant employee (reg. 1(2)): not paid at a reduced rate or nil in the relevant pay
  period because of leave. The hourly pay figures and the quartiles use only them.
- Hourly rate (reg. 6): ordinary pay plus bonus pay paid in the relevant pay period, a bonus
  for a longer period pro rata (amount / bonus period days x pay period days), times 7 / days
  in the pay period, divided by the weekly working hours (reg. 7).
- Gaps (regs. 8-11): (A - B) / A x 100, A = men's mean (median), B = women's.
- Bonus proportions (reg. 12): men (women) paid bonus pay in the 12 months ending with the
  snapshot date / all men (women) among the relevant employees.
- Quartiles (reg. 13): full-pay relevant employees ranked by hourly rate, cut into 4 bands of
  as nearly equal a size as possible; people on one rate spanning a boundary are ranked so the
  proportion of men and women on that rate is the same in each band (reg. 13(2)).
Percentages are published rounded to one decimal place (EHRC "Gender pay gap reporting, step 2:
report your figures as either whole percentages or rounded to one decimal place"), half up;
nothing else is rounded before that: rates and averages are exact fractions, so people on the
same pay are exactly tied (reg. 13(2)) and a part-timer's rate equals the full-timer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from itertools import groupby

from payroll.engine.money import quantize

MAN, WOMAN = "man", "woman"
ZERO = Decimal(0)
ONE_PLACE = Decimal("0.1")
REQUIRED_FROM = 250  # reg. 1(2) "relevant employer": 250 or more employees on the snapshot date
BANDS = ("Lower", "Lower middle", "Upper middle", "Upper")

NOT_MAN_OR_WOMAN = "gender not recorded as man or woman"
NO_PAYSLIP = "no finalised payslip for the relevant pay period"
ON_LEAVE = "reduced or nil pay because of leave (not a full-pay relevant employee, reg. 1(2))"
NO_HOURS = "weekly working hours not known (reg. 7)"
NO_PAY = "no ordinary pay in the relevant pay period"


@dataclass(frozen=True, slots=True)
class BonusPaid:
    """A bonus line paid in the relevant pay period; `period_days` None: it is for that period."""

    amount: Decimal
    period_days: int | None = None


@dataclass(frozen=True, slots=True)
class PayGapPerson:
    """One relevant employee's data. `ordinary` None: no finalised payslip for the period."""

    key: int
    label: str
    gender: str
    ordinary: Decimal | None
    period_days: int
    weekly_hours: Decimal | None
    bonuses: tuple[BonusPaid, ...] = ()
    bonus_12_months: Decimal = ZERO
    reduced_for_leave: bool = False
    hours_source: str = ""
    gender_source: str = ""


@dataclass(slots=True)
class SheetRow:
    person: PayGapPerson
    period_bonus: Fraction = Fraction(0)
    hourly: Fraction | None = None
    approx: Decimal | None = None  # the hourly rate to 40 digits: a cheap sort key
    reason: str = ""
    quartile: int | None = None  # 0 lower .. 3 upper

    @property
    def included(self) -> bool:
        return self.hourly is not None


@dataclass(slots=True)
class Figures:
    relevant: int
    men: int = 0
    women: int = 0
    full_pay_men: int = 0
    full_pay_women: int = 0
    mean_gap: Decimal | None = None
    median_gap: Decimal | None = None
    mean_bonus_gap: Decimal | None = None
    median_bonus_gap: Decimal | None = None
    men_bonus_percent: Decimal | None = None
    women_bonus_percent: Decimal | None = None
    # (band name, men %, women %, people in the band), lower to upper
    quartiles: list[tuple[str, Decimal | None, Decimal | None, int]] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.relevant >= REQUIRED_FROM


def to_decimal(value: Fraction, places: Decimal) -> Decimal:
    """Half up to `places` (display of the exact value: the audit sheet, the figures)."""
    return quantize(Decimal(value.numerator) / Decimal(value.denominator), places,
                    rounding=ROUND_HALF_UP)


def one_place(value: Fraction) -> Decimal:
    # EHRC step 2: figures reported rounded to one decimal place (half up: our choice of mode).
    return to_decimal(value, ONE_PLACE)


def prorated_bonus(bonus: BonusPaid, pay_period_days: int) -> Fraction:
    """SI 2017/172 reg. 6(1): a bonus for a period longer than the pay period counts as
    amount / bonus period days x pay period days."""
    if bonus.period_days is None or bonus.period_days <= pay_period_days:
        return Fraction(bonus.amount)
    return Fraction(bonus.amount) / bonus.period_days * pay_period_days


def hourly_rate(ordinary: Decimal, period_bonus: Fraction, period_days: int,
                weekly_hours: Decimal) -> Fraction:
    """SI 2017/172 reg. 6(1): (ordinary + bonus) x 7 / days in the period / weekly hours."""
    return (Fraction(ordinary) + Fraction(period_bonus)) * 7 / period_days / Fraction(weekly_hours)


# Values are (40-digit decimal, exact fraction) pairs: exact fractions compare and add slowly
# (their denominators grow), so sums and sorts use the decimal, the fraction breaking ties.
Keyed = list[tuple[Decimal, Fraction]]


def mean(values: Keyed) -> Fraction:
    """Summed as 40-digit decimals: far below the one decimal place of the figures."""
    with localcontext() as ctx:
        ctx.prec = 40
        return Fraction(sum((a for a, _ in values), ZERO) / len(values))


def approx(value: Fraction) -> Decimal:
    """A 40-digit decimal of an exact value: a cheap sort key (exact fractions compare slowly);
    sorting on (approx, value) stays exact, the fraction breaking any 40-digit tie."""
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(value.numerator) / Decimal(value.denominator)


def median(values: Keyed) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle][1]
    return (ordered[middle - 1][1] + ordered[middle][1]) / 2


def gap(men: Keyed, women: Keyed, average) -> Decimal | None:
    """Regs. 8-11: (A - B) / A x 100; None when either group is empty or A is nil."""
    if not men or not women:
        return None
    a, b = average(men), average(women)
    if a == 0:
        return None
    return one_place((a - b) / a * 100)


def percent(part: int, whole: int) -> Decimal | None:
    return one_place(Fraction(part * 100, whole)) if whole else None


def sheet_row(person: PayGapPerson) -> SheetRow:
    row = SheetRow(person)
    if person.ordinary is not None:
        row.period_bonus = sum((prorated_bonus(b, person.period_days) for b in person.bonuses),
                               Fraction(0))
    if person.gender not in (MAN, WOMAN):
        row.reason = NOT_MAN_OR_WOMAN
    elif person.ordinary is None:
        row.reason = NO_PAYSLIP
    elif person.reduced_for_leave:
        row.reason = ON_LEAVE
    elif not person.weekly_hours:
        row.reason = NO_HOURS
    elif person.ordinary <= 0:
        row.reason = NO_PAY
    else:
        row.hourly = hourly_rate(person.ordinary, row.period_bonus, person.period_days,
                                 person.weekly_hours)
        row.approx = approx(row.hourly)
    return row


def band_sizes(count: int) -> list[int]:
    """Reg. 13 step 2: four sections of (so far as possible) equal size; when `count` is not a
    multiple of 4 the extra people go to the lower bands first (HROps reading)."""
    base, extra = divmod(count, 4)
    return [base + (1 if band < extra else 0) for band in range(4)]


def ranked(rows: list[SheetRow]) -> list[SheetRow]:
    """Reg. 13 step 1 and (2): lowest to highest hourly rate; on one rate, men and women
    interleaved in proportion (the k-th of n men sorts at (k + 1/2) / n), so any cut through
    that rate leaves each band with the same share of men and women, as nearly as possible."""
    result: list[SheetRow] = []
    ordered = sorted(rows, key=lambda r: (r.approx, r.hourly, r.person.key))
    for _rate, same in groupby(ordered, key=lambda r: r.hourly):
        same = list(same)
        by_gender = {g: [r for r in same if r.person.gender == g] for g in (MAN, WOMAN)}
        placed = []
        for gender, members in by_gender.items():
            for k, row in enumerate(members):
                placed.append((Fraction(2 * k + 1, 2 * len(members)), gender, row.person.key,
                               row))
        result.extend(item[3] for item in sorted(placed, key=lambda i: i[:3]))
    return result


def quartiles(rows: list[SheetRow]) -> list[tuple[str, Decimal | None, Decimal | None, int]]:
    order = ranked(rows)
    bands, start = [], 0
    for band, size in enumerate(band_sizes(len(order))):
        members = order[start:start + size]
        start += size
        for row in members:
            row.quartile = band
        men = sum(1 for r in members if r.person.gender == MAN)
        bands.append((BANDS[band], percent(men, size), percent(size - men, size), size))
    return bands


def figures(people: list[PayGapPerson]) -> Figures:
    """The six figures of reg. 2(1)(a)-(f) and the audit sheet's rows, from relevant employees."""
    rows = [sheet_row(p) for p in people]
    result = Figures(relevant=len(people), rows=rows)
    men = [p for p in people if p.gender == MAN]
    women = [p for p in people if p.gender == WOMAN]
    result.men, result.women = len(men), len(women)
    hourly = {g: [(r.approx, r.hourly) for r in rows if r.included and r.person.gender == g]
              for g in (MAN, WOMAN)}
    result.full_pay_men, result.full_pay_women = len(hourly[MAN]), len(hourly[WOMAN])
    result.mean_gap = gap(hourly[MAN], hourly[WOMAN], mean)
    result.median_gap = gap(hourly[MAN], hourly[WOMAN], median)
    bonus_men = [(p.bonus_12_months, Fraction(p.bonus_12_months)) for p in men
                 if p.bonus_12_months > 0]
    bonus_women = [(p.bonus_12_months, Fraction(p.bonus_12_months)) for p in women
                   if p.bonus_12_months > 0]
    result.mean_bonus_gap = gap(bonus_men, bonus_women, mean)
    result.median_bonus_gap = gap(bonus_men, bonus_women, median)
    result.men_bonus_percent = percent(len(bonus_men), len(men))
    result.women_bonus_percent = percent(len(bonus_women), len(women))
    result.quartiles = quartiles([r for r in rows if r.included])
    return result
