"""When a US employer deposits federal employment taxes (Form 941 taxes). Pure Python.

Rules: IRS Publication 15 (2026), section 11 "Depositing Taxes" (https://www.irs.gov/pub/irs-pdf/p15.pdf):
- The deposit schedule for a calendar year comes from the look-back period, the four quarters
  from 1 July two years before to 30 June of the year before: total Form 941 taxes (line 12) of
  50,000 or less -> monthly; more -> semiweekly. A new employer (no liability in the look-back
  period) is a monthly depositor.
- Monthly: a calendar month's taxes are due by the 15th of the next month.
- Semiweekly: taxes on wages paid Wednesday, Thursday or Friday are due the following
  Wednesday; Saturday to Tuesday, the following Friday. The depositor has at least three
  business days after the semiweekly period closes (a legal holiday in them adds a day), so the
  due date is the third business day after the period ends. A semiweekly period spanning two
  quarters is two deposits ("Semiweekly deposit period spanning two quarters").
- 100,000 next-day deposit rule: 100,000 or more accumulated on any day is due by the close of
  the next business day, and a monthly depositor becomes semiweekly for the rest of the year
  and the next.
- A deposit due on a Saturday, Sunday or legal holiday is timely on the next business day
  ("Deposits Due on Business Days Only"); legal holidays are those of the District of Columbia
  (Pub 15 "Legal holiday").
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")
LOOKBACK_LIMIT = Decimal("50000.00")
NEXT_DAY_LIMIT = Decimal("100000.00")
MONTHLY, SEMIWEEKLY = "monthly", "semiweekly"


def lookback_period(year: int) -> tuple[date, date]:
    return date(year - 2, 7, 1), date(year - 1, 6, 30)


def schedule_for(lookback_total: Decimal | None) -> str:
    """None = no liability in the look-back period (a new employer): monthly."""
    if lookback_total is None or lookback_total <= LOOKBACK_LIMIT:
        return MONTHLY
    return SEMIWEEKLY


def is_business_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_business_day(day: date, holidays: Container[date]) -> date:
    """`day` itself when it is a business day, else the next one."""
    while not is_business_day(day, holidays):
        day += timedelta(days=1)
    return day


def business_days_after(day: date, count: int, holidays: Container[date]) -> date:
    while count:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            count -= 1
    return day


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def semiweekly_period(pay_date: date) -> tuple[date, date]:
    """Wednesday-Friday or Saturday-Tuesday around the pay date."""
    weekday = pay_date.weekday()  # Monday 0 ... Sunday 6
    if weekday in (2, 3, 4):
        start = pay_date - timedelta(days=weekday - 2)
        return start, start + timedelta(days=2)
    start = pay_date - timedelta(days=(weekday - 5) % 7)
    return start, start + timedelta(days=3)


@dataclass(frozen=True, slots=True)
class PaydayTaxes:
    """Form 941 taxes of one pay date (finalised payslips only)."""

    pay_date: date
    income_tax: Decimal = ZERO
    social_security: Decimal = ZERO  # employee + employer
    medicare: Decimal = ZERO  # employee + employer + Additional Medicare

    @property
    def total(self) -> Decimal:
        return self.income_tax + self.social_security + self.medicare


@dataclass(slots=True)
class Deposit:
    schedule: str
    start: date
    end: date
    due: date
    income_tax: Decimal = ZERO
    social_security: Decimal = ZERO
    medicare: Decimal = ZERO
    pay_dates: list[date] = field(default_factory=list)
    next_day_rule: bool = False

    @property
    def total(self) -> Decimal:
        return self.income_tax + self.social_security + self.medicare

    @property
    def key(self) -> str:
        return f"{'M' if self.schedule == MONTHLY else 'SW'}:{self.start:%Y-%m-%d}"

    @property
    def quarter(self) -> tuple[int, int]:
        return self.end.year, quarter_of(self.end)


def _bounds(pay_date: date, schedule: str) -> tuple[date, date]:
    if schedule == MONTHLY:
        start = pay_date.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
    start, end = semiweekly_period(pay_date)
    # One deposit per quarter: a period crossing a quarter's end is cut there (Pub 15).
    if quarter_of(start) != quarter_of(pay_date) or start.year != pay_date.year:
        start = pay_date.replace(month=(quarter_of(pay_date) - 1) * 3 + 1, day=1)
    if quarter_of(end) != quarter_of(pay_date) or end.year != pay_date.year:
        end = date(pay_date.year, quarter_of(pay_date) * 3 + 1, 1) - timedelta(days=1) if \
            quarter_of(pay_date) < 4 else date(pay_date.year, 12, 31)
    return start, end


def _due(start: date, end: date, schedule: str, holidays: Container[date]) -> date:
    if schedule == MONTHLY:
        following = (end + timedelta(days=1)).replace(day=15)
        return next_business_day(following, holidays)
    # Three business days after the Wednesday-Friday / Saturday-Tuesday period closes: the
    # following Wednesday / Friday, a day later for each legal holiday among them.
    close = semiweekly_period(end)[1]
    return business_days_after(close, 3, holidays)


def deposits(paydays: Iterable[PaydayTaxes], schedule_by_year: dict[int, str],
             holidays: Container[date] = frozenset()) -> list[Deposit]:
    """Deposit periods, oldest first, with their due dates and amounts."""
    found: dict[tuple[str, date], Deposit] = {}
    semiweekly_from: date | None = None  # a monthly depositor that hit the 100,000 rule
    for day in sorted(paydays, key=lambda p: p.pay_date):
        schedule = schedule_by_year.get(day.pay_date.year, MONTHLY)
        if semiweekly_from is not None and day.pay_date > semiweekly_from and (
                day.pay_date.year <= semiweekly_from.year + 1):
            schedule = SEMIWEEKLY
        start, end = _bounds(day.pay_date, schedule)
        deposit = found.get((schedule, start))
        if deposit is None:
            deposit = found[(schedule, start)] = Deposit(
                schedule, start, end, _due(start, end, schedule, holidays))
        deposit.income_tax += day.income_tax
        deposit.social_security += day.social_security
        deposit.medicare += day.medicare
        deposit.pay_dates.append(day.pay_date)
        if day.total >= NEXT_DAY_LIMIT:
            # The day's accumulated taxes are due the next business day (Pub 15 section 11).
            deposit.next_day_rule = True
            deposit.due = min(deposit.due, business_days_after(day.pay_date, 1, holidays))
            # ... and a monthly depositor is semiweekly for the rest of this year and the next.
            if schedule == MONTHLY and semiweekly_from is None:
                semiweekly_from = day.pay_date
    return [found[k] for k in sorted(found, key=lambda k: k[1])]
