"""Plausibility warnings before a pay change is saved: figures that are allowed but are usually
a typing mistake (GBP 55,000 per *hour*). The person saving sees them and confirms; nothing
here refuses a change. Forms call `pay_plausibility_warnings`; it only reads.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from employees.models import CompensationRecord
from employees.services.core import PayData

# A full-time year for comparing an hourly rate with salaries: 40 hours x 52 weeks, the usual
# annualisation (US FLSA 2,080-hour work year; the UK's 52-week year at a 40-hour week).
HOURS_PER_YEAR = Decimal(2080)
# An hourly rate is "far above" when its annual equivalent is more than this many times the
# highest salary on record in the same currency.
FAR_ABOVE_FACTOR = Decimal(2)
# A change of more than this (up or down) against the pay in force is worth a second look.
LARGE_CHANGE = Decimal("0.25")


@dataclass(frozen=True)
class PayWarning:
    code: str
    message: str


def _annual(basis: str, salary: Decimal | None, rate: Decimal | None) -> Decimal | None:
    if basis == CompensationRecord.Basis.SALARY:
        return salary
    return None if rate is None else rate * HOURS_PER_YEAR


def _money(amount: Decimal) -> str:
    return number_format(amount.quantize(Decimal("1")), decimal_pos=0, force_grouping=True)


def _hourly_far_above(pay: PayData) -> PayWarning | None:
    if pay.basis != CompensationRecord.Basis.HOURLY or pay.hourly_rate is None:
        return None
    highest = CompensationRecord.objects.filter(
        basis=CompensationRecord.Basis.SALARY, currency=pay.currency,
    ).aggregate(top=Max("annual_salary"))["top"]
    annual = pay.hourly_rate * HOURS_PER_YEAR
    if highest is None or annual <= highest * FAR_ABOVE_FACTOR:
        return None
    return PayWarning("hourly_far_above", _(
        "%(cur)s %(rate)s per hour is about %(cur)s %(annual)s a year, far above the highest "
        "salary on record (%(cur)s %(top)s). Is this an annual salary?") % {
        "cur": pay.currency, "rate": number_format(pay.hourly_rate, force_grouping=True),
        "annual": _money(annual), "top": _money(highest)})


def _large_change(pay: PayData, current: CompensationRecord | None) -> PayWarning | None:
    if current is None:
        return None
    before = _annual(current.basis, current.annual_salary, current.hourly_rate)
    after = _annual(pay.basis, pay.annual_salary, pay.hourly_rate)
    if not before or after is None or current.currency != pay.currency:
        return None
    change = (after - before) / before
    if abs(change) <= LARGE_CHANGE:
        return None
    percent = number_format((change * 100).quantize(Decimal("1")), decimal_pos=0)
    return PayWarning("large_change", _(
        "This changes pay by %(pct)s%% (from about %(cur)s %(before)s to %(cur)s %(after)s a "
        "year), more than 25%%.") % {
        "pct": f"+{percent}" if change > 0 else percent, "cur": pay.currency,
        "before": _money(before), "after": _money(after)})


def _currency_differs(pay: PayData) -> PayWarning | None:
    schedule_currency = getattr(pay.pay_schedule, "currency", "")
    if not schedule_currency or schedule_currency.upper() == pay.currency.upper():
        return None
    return PayWarning("currency_differs", _(
        "The pay is in %(cur)s but the pay schedule “%(schedule)s” pays in %(sched)s.") % {
        "cur": pay.currency, "schedule": pay.pay_schedule, "sched": schedule_currency})


def pay_plausibility_warnings(*, pay: PayData,
                              current: CompensationRecord | None) -> list[PayWarning]:
    """Warnings for a new pay record `pay` replacing `current` (None for a first record)."""
    checks = [_hourly_far_above(pay), _large_change(pay, current), _currency_differs(pay)]
    return [warning for warning in checks if warning is not None]
