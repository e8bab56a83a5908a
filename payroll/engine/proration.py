"""Salaried and hourly base pay for one period, prorated by effective-dated segments.

Policy (HROps, documented in README): a salaried segment is paid
``annual salary / periods per year x (segment days / period days)``, rounded half up to the cent
ONCE per line. Days are counted on the configured basis: every calendar day, or working days
Monday-Friday. The segment is the overlap of a compensation record with employment (hire date,
last day); unpaid leave days inside it are not paid. A segment covering the whole period with no
leave is paid exactly ``annual / periods``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from payroll.engine.components import HOURLY, OVERTIME, SALARY
from payroll.engine.money import FOUR_PLACES, fmt, half_up_cents, quantize
from payroll.engine.types import CompensationSegment, PayInputs, PayLine

PERIODS_PER_YEAR = {
    "daily": 260, "weekly": 52, "biweekly": 26, "fortnightly": 26, "semimonthly": 24,
    "four_weekly": 13, "monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1,
}
RULE = ("HROps proration policy: annual / periods x (segment days / period days), "
        "half up to the cent once per line")
_ONE_DAY = timedelta(days=1)
# The payslip line's rate column has 6 decimal places; the rate is shown, never multiplied.
RATE_PLACES = Decimal("0.000001")


def count_days(start: date, end: date, basis: str) -> int:
    """Days from start to end inclusive: all of them, or Monday-Friday only."""
    if end < start:
        return 0
    total = (end - start).days + 1
    if basis == "calendar_days":
        return total
    weeks, extra = divmod(total, 7)
    working = weeks * 5
    weekday = start.weekday()
    for offset in range(extra):
        if (weekday + offset) % 7 < 5:
            working += 1
    return working


def _counts(day: date, basis: str) -> bool:
    return basis == "calendar_days" or day.weekday() < 5


def _employment_window(inputs: PayInputs) -> tuple[date, date]:
    start = inputs.period_start
    if inputs.employment_start is not None and inputs.employment_start > start:
        start = inputs.employment_start
    end = inputs.period_end
    if inputs.employment_end is not None and inputs.employment_end < end:
        end = inputs.employment_end
    return start, end


def _salary_line(
    inputs: PayInputs, seg: CompensationSegment, start: date, end: date, period_days: int,
    periods: int, whole: bool,
) -> PayLine | None:
    basis = inputs.proration_basis
    days = count_days(start, end, basis)
    leave = sum(1 for d in inputs.unpaid_leave_days if start <= d <= end and _counts(d, basis))
    paid_days = days - leave
    if paid_days <= 0:
        return None
    annual = seg.annual_salary
    assert annual is not None
    per_period = annual / periods
    if whole and leave == 0:
        amount = half_up_cents(per_period)
        formula = f"{fmt(annual)} / {periods} = {amount}"
    else:
        amount = half_up_cents(per_period * paid_days / period_days)
        formula = f"{fmt(annual)} / {periods} x ({paid_days} / {period_days}) = {amount}"
    leave_note = f", less {leave} unpaid leave day(s)" if leave else ""
    description = SALARY.name if whole and not leave else (
        f"{SALARY.name} {start.isoformat()} to {end.isoformat()} "
        f"({paid_days} of {period_days} days)"
    )
    trace = {
        "inputs": {
            "annual_salary": fmt(annual), "segment": [start.isoformat(), end.isoformat()],
            "basis": basis, "segment_days": days, "unpaid_leave_days": leave,
            "period_days": period_days, "reason": seg.reason,
        },
        "formula": formula + (f" ({days} days{leave_note})" if not whole or leave else ""),
        "rule": RULE,
    }
    # What the payslip shows: a whole period is 1 x the period's share of the annual salary
    # (46,800 / 12 = 1 x 3,900.00); a part of one is the days paid x the day rate of that
    # share (21 x 3,900 / 31). Never "30 days x 3,900", which multiplies to nothing paid.
    if whole and leave == 0:
        quantity, rate = Decimal(1), amount
    else:
        quantity, rate = Decimal(paid_days), (per_period / period_days).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP)
    return PayLine(SALARY.code, description, "earning", amount, quantity=quantity, rate=rate,
                   trace=trace)


def salary_lines(inputs: PayInputs) -> list[PayLine]:
    """One line per salaried compensation segment overlapping the employed part of the period."""
    basis = inputs.proration_basis
    period_days = count_days(inputs.period_start, inputs.period_end, basis)
    periods = PERIODS_PER_YEAR[inputs.pay_frequency]
    emp_start, emp_end = _employment_window(inputs)
    lines: list[PayLine] = []
    for seg in inputs.compensation:
        if seg.annual_salary is None:
            continue
        start = max(seg.effective_from, emp_start)
        end = emp_end if seg.effective_to is None else min(seg.effective_to, emp_end)
        if end < start:
            continue
        whole = start == inputs.period_start and end == inputs.period_end
        line = _salary_line(inputs, seg, start, end, period_days, periods, whole)
        if line is not None:
            lines.append(line)
    return lines


def hourly_rate_at(inputs: PayInputs) -> Decimal | None:
    """The hourly rate in force on the last employed day of the period."""
    _, end = _employment_window(inputs)
    rate = None
    for seg in inputs.compensation:
        if seg.hourly_rate is not None and seg.effective_from <= end and (
            seg.effective_to is None or seg.effective_to >= end
        ):
            rate = seg.hourly_rate
    return rate


WEEKS_PER_YEAR = 52
DERIVED_RATE_RULE = ("HROps policy: salaried hourly rate = annual salary / 52 / contracted weekly "
                     "hours, half up to 4 decimal places (as hourly rates are stored); then hours "
                     "x rate x multiplier, half up to the cent")


def salaried_hourly_rate(inputs: PayInputs) -> tuple[Decimal, str, dict]:
    """A salaried person's hourly rate for overtime: annual / 52 / contracted weekly hours.

    Raises ValueError when there is no salary in force or no contracted hours: overtime is never
    paid at an invented rate, nor silently at nothing."""
    _, end = _employment_window(inputs)
    annual = None
    for seg in inputs.compensation:
        if seg.annual_salary is not None and seg.effective_from <= end and (
            seg.effective_to is None or seg.effective_to >= end
        ):
            annual = seg.annual_salary
    if annual is None:
        raise ValueError("overtime or hours given, but no salary or hourly rate is in force")
    if not inputs.weekly_hours or inputs.weekly_hours <= 0:
        raise ValueError("overtime for a salaried employee needs their contracted weekly hours "
                         "(job record); none are recorded")
    rate = quantize(annual / WEEKS_PER_YEAR / inputs.weekly_hours, FOUR_PLACES,
                    rounding=ROUND_HALF_UP)
    formula = (f"{fmt(annual)} / {WEEKS_PER_YEAR} / {inputs.weekly_hours.normalize():f} h "
               f"= {rate} an hour")
    return rate, formula, {"annual_salary": fmt(annual),
                           "weekly_hours": f"{inputs.weekly_hours}", "hourly_rate": f"{rate}"}


def _hours_line(component, hours: Decimal, rate: Decimal, multiplier: Decimal, *,
                derivation: tuple[str, dict] | None = None) -> PayLine:
    amount = half_up_cents(hours * rate * multiplier)
    factor = f" x {multiplier.normalize():f}" if multiplier != 1 else ""
    trace = {"inputs": {"hours": f"{hours}", "hourly_rate": fmt(rate),
                        "multiplier": f"{multiplier}"},
             "formula": f"{hours} h x {fmt(rate)}{factor} = {amount}",
             "rule": "hours x rate x multiplier, half up to the cent"}
    if derivation is not None:
        formula, values = derivation
        trace["inputs"].update(values)
        trace["formula"] = f"{formula}; {hours} h x {rate}{factor} = {amount}"
        trace["rule"] = DERIVED_RATE_RULE
    return PayLine(component.code, component.name, "earning", amount,
                   quantity=hours, rate=rate * multiplier, trace=trace)


def hourly_lines(inputs: PayInputs) -> list[PayLine]:
    """Regular hours x rate and overtime hours x rate x multiplier, each rounded once.

    Hourly staff: their own rate. Salaried staff: overtime only, at the rate derived from their
    salary and contracted hours; regular hours for them (or any hours with no pay in force) are
    an error, never a line of 0."""
    rate = hourly_rate_at(inputs)
    if rate is None:
        if inputs.hours_worked:
            raise ValueError("regular hours given for an employee with no hourly rate in force "
                             "(salaried staff are paid their salary; record overtime instead)")
        if not inputs.overtime_hours:
            return []
        rate, formula, values = salaried_hourly_rate(inputs)
        return [_hours_line(OVERTIME, inputs.overtime_hours, rate, inputs.overtime_multiplier,
                            derivation=(formula, values))]
    lines = []
    for component, hours, multiplier in (
        (HOURLY, inputs.hours_worked, Decimal(1)),
        (OVERTIME, inputs.overtime_hours, inputs.overtime_multiplier),
    ):
        if hours:
            lines.append(_hours_line(component, hours, rate, multiplier))
    return lines
