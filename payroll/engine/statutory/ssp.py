"""Statutory Sick Pay from 6 April 2026 (Employment Rights Act 2025).

Rules (GOV.UK "Statutory Sick Pay (SSP): employer guide"; HMRC Statutory Payments Manual):
- a period of incapacity for work (PIW) is 4 or more consecutive calendar days of sickness
  (non-working days count); shorter spells are not PIWs and pay no SSP;
- PIWs separated by 56 days or less link into one series (SPM "Linking PIWs"); the series'
  AWE is worked out once, at the start of its first PIW;
- SSP is payable for each qualifying day from the first day of the PIW (no waiting days) to
  every employee whatever they earn; weekly rate = the lower of the flat rate (123.25 in
  2026-27) and 80% of average weekly earnings;
- qualifying days are the days the employee normally works (their working week); the daily rate
  is the weekly rate / the number of qualifying days in that week (Sunday to Saturday), carried
  unrounded to 4 decimal places (truncated: the GOV.UK SSP calculator's "unrounded daily rates
  used by HMRC"); a payment including a fraction of a penny is rounded up to the next penny (as
  the calculator does, and as the family-pay regulations prescribe);
- at most 28 weeks of SSP in a PIW or a linked series: each qualifying day paid uses
  1 / (qualifying days in its week) of a week;
- none after the contract ends, none before it starts.
None during a maternity pay period (statutory_pay drops SMP days). Not implemented: SSP for
days before 6 April 2026 (waiting days, lower earnings limit), the 3-year limit on a linked
series.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_DOWN
from fractions import Fraction

from payroll.engine.money import FOUR_PLACES, fmt, quantize
from payroll.engine.statutory import rates as R
from payroll.engine.statutory.awe import average_weekly_earnings
from payroll.engine.statutory.types import (
    SICKNESS,
    Absence,
    Claim,
    Employment,
    EntitledDay,
    Payment,
    WorkPattern,
)

MIN_PIW_DAYS = 4
LINKING_GAP_DAYS = 56
MAX_WEEKS = 28
MONDAY_TO_FRIDAY = frozenset(range(5))
ONE_DAY = timedelta(days=1)


def periods_of_incapacity(absences: list[Absence], until: date) -> list[tuple[date, date]]:
    """Sickness spells (overlapping or back-to-back records merged) of 4+ days, up to ``until``
    for a spell still open."""
    spells: list[list[date]] = []
    for a in sorted((a for a in absences if a.kind == SICKNESS), key=lambda a: a.first_day):
        last = a.last_day or until
        if last < a.first_day:
            continue
        if spells and a.first_day <= spells[-1][1] + ONE_DAY:
            spells[-1][1] = max(spells[-1][1], last)
        else:
            spells.append([a.first_day, last])
    return [(f, last) for f, last in spells if (last - f).days + 1 >= MIN_PIW_DAYS]


def linked_series(piws: list[tuple[date, date]]) -> list[list[tuple[date, date]]]:
    series: list[list[tuple[date, date]]] = []
    for piw in piws:
        if series and (piw[0] - series[-1][-1][1]).days - 1 <= LINKING_GAP_DAYS:
            series[-1].append(piw)
        else:
            series.append([piw])
    return series


def qualifying_days_lookup(patterns: list[WorkPattern]) -> Callable[[date], frozenset[int]]:
    """The weekdays in force on a day: the latest pattern effective by then; none on file:
    Monday to Friday (HROps default working week, stated in the trace)."""
    ordered = sorted(patterns, key=lambda p: p.effective_from)

    def on(day: date) -> frozenset[int]:
        current = ordered[0].weekdays if ordered else MONDAY_TO_FRIDAY
        for p in ordered:
            if p.effective_from <= day:
                current = p.weekdays
        return current

    return on


def _week_start(day: date) -> date:
    """The Sunday starting the SSP week (Sunday to Saturday) containing ``day``."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _qds_in_week(sunday: date, on) -> int:
    return sum(1 for i in range(7) if (d := sunday + timedelta(days=i)).weekday() in on(d))


def _series_claim(series: list[tuple[date, date]], *, payments: list[Payment],
                  employment: Employment, on, patterns_known: bool) -> Claim:
    start = series[0][0]
    awe = average_weekly_earnings(payments, ends_before=start, inclusive=False,
                                  employment=employment, allow_contractual=True)
    basis = {"piws": [[f.isoformat(), t.isoformat()] for f, t in series],
             "working_week": "on file" if patterns_known else "none on file: Monday to Friday"}
    if awe is None:
        return Claim(SICKNESS, start, None, refused=(
            "SSP not calculated: average weekly earnings cannot be worked out (no finalised "
            "pay days in the relevant period before the sickness, and no contractual salary); "
            "pay it as a one-off input"), basis=basis)
    eighty = awe.amount * R.SSP_PERCENT
    used = Fraction(0)
    days: list[EntitledDay] = []
    for first, last in series:
        day = first
        while day <= last and used < MAX_WEEKS:
            in_job = employment.hire_date <= day and (
                employment.termination_date is None or day <= employment.termination_date)
            if day >= R.SSP_NEW_RULES_FROM and in_job and day.weekday() in on(day):
                n = _qds_in_week(_week_start(day), on)
                flat = R.rates_on(day).ssp_weekly
                weekly = min(flat, eighty)
                # Daily rate: weekly / qualifying days in the week, truncated to 4 places
                # (HMRC's unrounded daily rates, as the GOV.UK SSP calculator uses them).
                daily = quantize(weekly / n, FOUR_PLACES, rounding=ROUND_DOWN)
                which = "flat rate" if weekly == flat else "80% of AWE"
                days.append(EntitledDay(day, SICKNESS, daily, weekly, note=(
                    f"min({fmt(flat)}, 80% x {awe.amount}) = {which} {fmt(weekly)} / {n} "
                    f"qualifying days = {daily}")))
                used += Fraction(1, n)
            day += ONE_DAY
    basis["weeks_used"] = f"{float(used):.4f}"  # display only
    basis["maximum_reached"] = used >= MAX_WEEKS
    return Claim(SICKNESS, start, awe, tuple(days), basis=basis)


def ssp_claims(absences: list[Absence], *, until: date, payments: list[Payment],
               employment: Employment, patterns: list[WorkPattern]) -> list[Claim]:
    """Every linked series of PIWs up to ``until`` with the SSP days it is entitled to."""
    on = qualifying_days_lookup(patterns)
    return [_series_claim(s, payments=payments, employment=employment, on=on,
                          patterns_known=bool(patterns))
            for s in linked_series(periods_of_incapacity(absences, until))]


def ssp_awe_references(absences: list[Absence], until: date) -> list[date]:
    """The days before which each series' AWE is worked out (what earnings to load)."""
    return [s[0][0] for s in linked_series(periods_of_incapacity(absences, until))]
