"""Average weekly earnings (AWE) over the relevant period, from earnings actually paid.

HMRC (Statutory Payments Manual SPM170000-SPM170400; GOV.UK "Statutory Sick Pay: employer
guide" and "Statutory Maternity Pay: employer guide", "Work out average weekly earnings"):
- the relevant period ends with the last normal pay day BEFORE the period of incapacity (SSP)
  or ON OR BEFORE the Saturday of the qualifying week (family pay), and starts the day after
  the last normal pay day falling at least 8 weeks before that one;
- AWE = the earnings paid in it (after the earlier pay day, up to and including the later one),
  weekly / fortnightly / four-weekly paid: divided by the number of weeks it covers (8 normally);
  monthly paid: divided by the number of months (SPM170400: odd days rounded to whole months),
  times 12, divided by 52;
- no normal pay day at least 8 weeks earlier because employed for less than that: the earnings paid
  from the start of employment up to the later pay day, divided by its days, times 7;
- no normal pay day yet (SSP only: a new starter who falls sick before being paid): the
  contractual earnings they would have been paid, per week (GOV.UK SSP calculator, "fell sick
  before their first pay day"). Family pay needs earnings actually paid: none means no AWE.
The result is truncated to 7 decimal places (the GOV.UK maternity calculator: "HMRC-agreed
truncation at 7 decimal places").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from payroll.engine.money import quantize
from payroll.engine.statutory.types import Employment, Payment

SEVEN_PLACES = Decimal("0.0000001")
EIGHT_WEEKS = timedelta(weeks=8)


@dataclass(frozen=True, slots=True)
class AverageWeeklyEarnings:
    amount: Decimal
    method: str  # "relevant period" | "since hire" | "contractual"
    period: tuple[date, date] | None  # relevant period (first day, last day), inclusive
    earnings: Decimal
    divisor: str  # how the earnings were divided, for the trace

    def as_trace(self) -> dict:
        return {"awe": str(self.amount), "method": self.method,
                "relevant_period": [d.isoformat() for d in self.period] if self.period else None,
                "earnings": str(self.earnings), "divided": self.divisor}


def _trunc7(amount: Decimal) -> Decimal:
    return quantize(amount, SEVEN_PLACES, rounding=ROUND_DOWN)


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(date(year, month, 1) + timedelta(days=day.day - 1),
               following - timedelta(days=1))


def _months(first: date, last: date) -> int:
    """Calendar months from ``first`` to ``last`` inclusive, odd days rounded: 15 or fewer
    down, 16 or more up; in February 14 or fewer down, 15 or more up (SPM170400)."""
    months = 0
    while _add_months(first, months + 1) <= last + timedelta(days=1):
        months += 1
    rest_from = _add_months(first, months)
    odd = (last - rest_from).days + 1
    if odd >= (15 if rest_from.month == 2 else 16):
        months += 1
    return max(months, 1)


def average_weekly_earnings(payments: list[Payment], *, ends_before: date, inclusive: bool,
                            employment: Employment, allow_contractual: bool
                            ) -> AverageWeeklyEarnings | None:
    """AWE for a relevant period ending with the last normal pay day before ``ends_before``
    (``inclusive``: on or before it). None when it cannot be worked out."""
    normal = sorted({p.pay_date for p in payments if p.normal and (
        p.pay_date <= ends_before if inclusive else p.pay_date < ends_before)})
    if not normal:
        if allow_contractual and employment.contractual_weekly is not None:
            amount = _trunc7(employment.contractual_weekly)
            return AverageWeeklyEarnings(amount, "contractual", None, amount,
                                         "contractual weekly earnings (no pay day yet)")
        return None
    last = normal[-1]
    earlier = [d for d in normal if d <= last - EIGHT_WEEKS]
    if not earlier and employment.hire_date <= last - EIGHT_WEEKS:
        # Employed long enough for a full relevant period, but its first pay day is not in
        # the finalised payslips (history from before payroll ran here): not worked out.
        return None
    if not earlier:
        start = employment.hire_date
        earnings = sum((p.amount for p in payments if start <= p.pay_date <= last), Decimal(0))
        days = (last - start).days + 1
        return AverageWeeklyEarnings(_trunc7(earnings / days * 7), "since hire", (start, last),
                                     earnings, f"/ {days} days x 7")
    start = earlier[-1] + timedelta(days=1)
    earnings = sum((p.amount for p in payments if start <= p.pay_date <= last), Decimal(0))
    if employment.pay_frequency == "monthly":
        months = _months(start, last)
        return AverageWeeklyEarnings(_trunc7(earnings / months * 12 / 52), "relevant period",
                                     (start, last), earnings, f"/ {months} months x 12 / 52")
    weeks = Decimal((last - start).days + 1) / 7
    return AverageWeeklyEarnings(_trunc7(earnings / weeks), "relevant period", (start, last),
                                 earnings, f"/ {weeks.normalize():f} weeks")
