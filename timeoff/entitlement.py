"""Entitlement and cost arithmetic: plain Python, no Django, so every rule is tested by hand.

Amounts are Decimals in the leave type's unit (days or hours). Rounding, by rule:
- UK statutory leave is rounded UP to the hundredth: a worker may be given more than the
  statutory minimum, never less (Working Time Regulations 1998 regs 13 and 13A; gov.uk
  "Holiday entitlement": "you can round up but not down").
- Contractual entitlements are rounded half up to the hundredth (a company rule, stated here).
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

HUNDREDTH = Decimal("0.01")
ZERO = Decimal("0")
# WTR 1998 reg 13 (4 weeks) + reg 13A (1.6 weeks) = 5.6 weeks, at most 28 days (reg 13A(3)).
UK_STATUTORY_WEEKS = Decimal("5.6")
UK_STATUTORY_CAP_DAYS = Decimal("28")
# WTR 1998 reg 15B (inserted by the Working Time (Amendment) Regulations 2023, leave years from
# 1 April 2024): irregular-hours and part-year workers accrue 12.07% of the hours worked.
IRREGULAR_RATE = Decimal("0.1207")


def round_up(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_UP)


def round_half_up(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Pattern:
    """Hours per weekday, Monday first; 0 = not a working day."""

    hours: tuple[Decimal, ...]

    @classmethod
    def standard(cls, weekly_hours: Decimal = Decimal("37.5")) -> Pattern:
        day = weekly_hours / 5
        return cls(tuple([day] * 5 + [ZERO, ZERO]))

    @property
    def days_per_week(self) -> Decimal:
        return Decimal(sum(1 for h in self.hours if h > 0))

    @property
    def hours_per_week(self) -> Decimal:
        return sum(self.hours, ZERO)

    def works(self, day: date) -> bool:
        return self.hours[day.weekday()] > 0


def leave_year(on: date, start_month: int) -> tuple[date, date]:
    """The leave year containing `on`, first and last day."""
    year = on.year if on.month >= start_month else on.year - 1
    first = date(year, start_month, 1)
    nxt = date(year + 1, start_month, 1)
    return first, nxt - timedelta(days=1)


def whole_years(since: date, on: date) -> int:
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return max(years, 0)


def tenure_extra(steps: Sequence[Sequence[object]], years: int) -> Decimal:
    """The extra amount of the highest step reached: [[2, "1"], [5, "3"]] gives 3 after 5 years."""
    extra = ZERO
    for threshold, amount in sorted(steps, key=lambda s: int(s[0])):
        if years >= int(threshold):
            extra = Decimal(str(amount))
    return extra


def employed_fraction(first: date, last: date, hired: date, left: date | None) -> Decimal:
    """The share of first..last the person is employed (part-year pro rata), by calendar days."""
    start = max(first, hired)
    end = min(last, left) if left else last
    if end < start:
        return ZERO
    return Decimal((end - start).days + 1) / Decimal((last - first).days + 1)


def uk_statutory(pattern: Pattern, *, hours: bool) -> Decimal:
    """5.6 weeks of the person's working week, capped at 28 days (a six-day worker gets 28)."""
    days = min(UK_STATUTORY_WEEKS * pattern.days_per_week, UK_STATUTORY_CAP_DAYS)
    if not hours:
        return days
    if pattern.days_per_week == 0:
        return ZERO
    # The cap is 28 of the person's average days, in hours.
    return days * pattern.hours_per_week / pattern.days_per_week


@dataclass(frozen=True)
class Terms:
    """What a policy says, stripped of Django."""

    method: str
    annual_amount: Decimal
    pro_rata: bool = True
    tenure_steps: tuple = ()
    hours: bool = False  # the leave type is counted in hours


def annual_entitlement(terms: Terms, *, pattern: Pattern, fte: Decimal, fraction: Decimal,
                       tenure_years: int) -> Decimal:
    """A year's entitlement for one person: `fraction` is the part of the leave year they are
    employed, `fte` their contracted share of full time."""
    if terms.method == "uk_statutory":
        full = uk_statutory(pattern, hours=terms.hours)
        # Part-year workers: pro rata to the part of the year worked, rounded up (reg 13A).
        return round_up(full * fraction)
    base = terms.annual_amount + tenure_extra(terms.tenure_steps, tenure_years)
    if terms.pro_rata:
        base = base * fte * fraction
    return round_half_up(base)


def per_hour_accrual(hours_worked: Decimal, rate: Decimal) -> Decimal:
    """Accrual for hours worked in a pay period: 12.07% (reg 15B) or a PTO rate such as 1 per 30.
    Rounded up for the statutory 12.07% (never less than the minimum), half up otherwise."""
    value = hours_worked * rate
    return round_up(value) if rate == IRREGULAR_RATE else round_half_up(value)


def monthly_share(annual: Decimal, month_first: date, month_last: date, hired: date,
                  left: date | None) -> Decimal:
    """One month of an annual entitlement accrued monthly: 1/12, less for a joiner's or leaver's
    part month (by calendar days)."""
    return round_half_up(annual / 12 * employed_fraction(month_first, month_last, hired, left))


# Pay periods in a year by schedule frequency (payroll.models.PayFrequency). A UK weekly
# schedule with a 53rd pay day in a tax year accrues that week too (HROps: 1/52 each week).
PERIODS_PER_YEAR = {"weekly": 52, "biweekly": 26, "fortnightly": 26, "four_weekly": 13,
                    "semimonthly": 24, "monthly": 12}


def pay_period_share(annual: Decimal, periods_per_year: int, first: date, last: date,
                     hired: date, left: date | None) -> Decimal:
    """One pay period of an annual entitlement accrued per pay period: 1/periods a year, less
    for a joiner's or leaver's part period (by calendar days), half up to 2 places."""
    return round_half_up(annual / periods_per_year * employed_fraction(first, last, hired, left))


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def request_cost(*, first: date, last: date, pattern_on, holidays: Container[date],
                 hours_unit: bool, half_day_start: bool = False, half_day_end: bool = False,
                 hours: Decimal | None = None) -> Decimal:
    """What a request takes from the balance: working days (or their hours) between first and
    last, public holidays and days off excluded; a half day counts half. `pattern_on(day)` gives
    the pattern in force that day. `hours` = an explicit number of hours on a one-day request."""
    if hours is not None:
        return hours
    total = ZERO
    for day in days_between(first, last):
        pattern = pattern_on(day)
        if not pattern.works(day) or day in holidays:
            continue
        value = pattern.hours[day.weekday()] if hours_unit else Decimal("1")
        halves = (half_day_start and day == first) + (half_day_end and day == last)
        if halves:  # a one-day request ticked both ways is still one half day
            value = value / 2
        total += value
    return total
