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
- none after the contract ends, none before it starts;
- the 3-year limit: no SSP once a PIW or linked series has lasted 3 years (GOV.UK "Statutory
  Sick Pay: employer guide", "Linked periods of sickness": SSP stops when linked periods
  have lasted more than 3 years; form SSP1 reason G); days from the 3rd anniversary of the
  series' first day are not paid.
Days before 6 April 2026 (the old rules, SSCBA 1992 as it stood before the Employment Rights
Act 2025): no SSP for the first 3 qualifying days of a PIW or linked series, the "waiting days"
(s.155(1); linked PIWs are one period, s.152(3), so waiting days served in an earlier linked
PIW are not served again); no SSP at all when AWE is below the lower earnings limit of the tax
year the series began in (Sch 11 para 2(c): 125.00 in 2025-26); weekly rate = the flat rate
(s.157(1): 118.75 in 2025-26), not 80% of AWE.
Transition (DWP guidance for payroll software on the 6 April 2026 change, as reported by
GOV.UK's "Changes to sick pay" and payroll bodies): in a PIW that began before 6 April 2026,
an employee already entitled to SSP under the old rules keeps the flat rate (no 80% cut) until
that PIW ends; one still serving waiting days or below the LEL is paid under the new rules from
the first qualifying day on or after 6 April 2026.
None during a maternity pay period (statutory_pay drops SMP days).
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


def _three_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 3, day=28) + ONE_DAY


def _known(lookup):
    try:
        return lookup()
    except R.StatutoryRatesNotFound:
        return None


def _daily(weekly, n: int):
    # Daily rate: weekly / qualifying days in the week, truncated to 4 places (HMRC's
    # unrounded daily rates, as the GOV.UK SSP calculator uses them).
    return quantize(weekly / n, FOUR_PLACES, rounding=ROUND_DOWN)


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
    old_rules = start < R.SSP_NEW_RULES_FROM
    lel = _known(lambda: R.rates_on(start).lower_earnings_limit) if old_rules else None
    below_lel = lel is not None and awe.amount < lel
    if old_rules:
        basis["old_rules"] = (f"series began before {R.SSP_NEW_RULES_FROM.isoformat()}: "
                              f"3 waiting days and the LEL {lel} for days before then")
    limit_day = _three_years_after(start)
    eighty = awe.amount * R.SSP_PERCENT
    used = Fraction(0)
    waiting: list[str] = []
    protected_until = None  # the PIW in which the flat rate is kept after 6 April 2026
    days: list[EntitledDay] = []
    for first, last in series:
        day = first
        while day <= last and used < MAX_WEEKS and day < limit_day:
            in_job = employment.hire_date <= day and (
                employment.termination_date is None or day <= employment.termination_date)
            if in_job and day.weekday() in on(day):
                n = _qds_in_week(_week_start(day), on)
                # New-rules days need their year's rates (a missing year stops the run, as
                # before); old-rules days without rates on file are left out.
                flat = (R.rates_on(day).ssp_weekly if day >= R.SSP_NEW_RULES_FROM
                        else _known(lambda d=day: R.rates_on(d).ssp_weekly))
                if day < R.SSP_NEW_RULES_FROM:
                    if below_lel or lel is None or flat is None:
                        # No SSP below the LEL; none worked out for a tax year whose rates
                        # HROps does not hold (never another year's rates).
                        day += ONE_DAY
                        continue
                    if len(waiting) < 3:  # SSCBA 1992 s.155(1): the first 3 QDs are unpaid
                        waiting.append(day.isoformat())
                        day += ONE_DAY
                        continue
                    protected_until = last
                    weekly, note = flat, f"old rules: flat rate {fmt(flat)}"
                elif protected_until is not None and day <= protected_until:
                    weekly, note = flat, (f"flat rate {fmt(flat)} kept in the PIW that was "
                                          "paid before 6 April 2026 (transitional protection)")
                else:
                    weekly = min(flat, eighty)
                    which = "flat rate" if weekly == flat else "80% of AWE"
                    note = f"min({fmt(flat)}, 80% x {awe.amount}) = {which} {fmt(weekly)}"
                daily = _daily(weekly, n)
                days.append(EntitledDay(day, SICKNESS, daily, weekly, note=(
                    f"{note} / {n} qualifying days = {daily}")))
                used += Fraction(1, n)
            day += ONE_DAY
    if waiting:
        basis["waiting_days"] = waiting
    if below_lel:
        basis["below_lower_earnings_limit"] = f"AWE {awe.amount} < LEL {lel}"
    if any(last >= limit_day for _first, last in series):
        basis["three_year_limit"] = f"no SSP from {limit_day.isoformat()} (3 years of linked PIWs)"
    basis["weeks_used"] = f"{float(used):.4f}"  # display only
    basis["maximum_reached"] = used >= MAX_WEEKS
    if below_lel and not days:
        return Claim(SICKNESS, start, awe, refused=(
            f"SSP not due: average weekly earnings {awe.amount} below the lower earnings limit "
            f"{lel} for sickness before 6 April 2026 (give the employee form SSP1)"),
            basis=basis)
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
