"""Statutory Maternity, Paternity, Adoption and Shared Parental Pay (SMP, SPP, SAP, ShPP).

Rules (SSCBA 1992 ss.164-171ZZ; GOV.UK employer guides for each payment; HMRC SPM):
- qualifying week (QW): the 15th week (Sunday to Saturday) before the expected week of
  childbirth (SMP, SPP, ShPP); for adoption, the matching week (the week of the matching date);
- continuous employment for at least 26 weeks into the QW: employed by the Saturday 25 weeks
  before the QW (a part week counts as a week) and still employed in the QW;
- earnings test: AWE over the relevant period ending with the last normal pay day on or before
  the Saturday of the QW must be at least the lower earnings limit (129.00 in 2026-27);
- SMP and SAP: 39 weeks from the first day of the pay period, the first 6 at 90% of AWE
  (earnings-related rate, no cap), the other 33 at the lower of the flat rate (194.32 for weeks
  from 5 April 2026) and 90% of AWE; SPP: up to 2 weeks; ShPP: up to 37 weeks; both at the
  lower of the flat rate and 90% of AWE;
- paid for every calendar day: a day is one seventh of the weekly rate (SSCBA s.166(4),
  s.171ZE(4)); a payment including a fraction of a penny is rounded up to the next penny
  (SMP (General) Regulations 1986 reg 28; SPP and SAP (Weekly Rates) Regulations 2002 reg 4).
- Statutory Neonatal Care Pay (babies born from 6 April 2025; SSCBA 1992 Part 12ZE, inserted
  by the Neonatal Care (Leave and Pay) Act 2023; GOV.UK "Statutory Neonatal Care Pay and
  Leave: employer guide"): up to 12 weeks at the lower of the flat rate (194.32 from
  5 April 2026) and 90% of AWE; 26 weeks' service and AWE at least the LEL, both to the end of
  the relevant week: here the week before the week neonatal care began (the guide's rule when
  no SMP/SPP/SAP is due; HROps uses it for every SNCP claim);
- Statutory Parental Bereavement Pay (SSCBA 1992 Part 12ZD; GOV.UK "Statutory Parental
  Bereavement Pay and Leave: employer guide"): up to 2 weeks, taken within 56 weeks of the
  death, at the lower of the flat rate and 90% of AWE; 26 weeks' service and AWE at least the
  LEL to the end of the relevant week, the week before the week of the death.
Employment ending after the QW does not stop SMP/SAP (it is still paid). Not implemented:
keeping-in-touch days, the 4-week pregnancy-related sickness trigger, curtailment notices
(ShPP weeks are the absences the time-off app records, capped at 37 weeks).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from payroll.engine.money import fmt
from payroll.engine.statutory import rates as R
from payroll.engine.statutory.awe import average_weekly_earnings
from payroll.engine.statutory.types import (
    ADOPTION,
    MATERNITY,
    NEONATAL_CARE,
    PARENTAL_BEREAVEMENT,
    PATERNITY,
    SHARED_PARENTAL,
    Absence,
    Claim,
    Employment,
    EntitledDay,
    Payment,
)

ONE_DAY = timedelta(days=1)
SEVEN = Decimal(7)
# (weeks payable, weeks at the uncapped earnings-related rate)
WEEKS = {MATERNITY: (39, 6), ADOPTION: (39, 6), PATERNITY: (2, 0), SHARED_PARENTAL: (37, 0),
         NEONATAL_CARE: (12, 0), PARENTAL_BEREAVEMENT: (2, 0)}
# The relevant week is the week before the week of the event (care began, the death).
WEEK_BEFORE_EVENT = frozenset({NEONATAL_CARE, PARENTAL_BEREAVEMENT})
BEREAVEMENT_WINDOW = timedelta(weeks=56)
# Keeping-in-touch days (maternity, adoption) and SPLIT days (shared parental) allowed.
KIT_LIMITS = {MATERNITY: 10, ADOPTION: 10, SHARED_PARENTAL: 20}
NAMES = {MATERNITY: "SMP", PATERNITY: "SPP", ADOPTION: "SAP", SHARED_PARENTAL: "ShPP",
         NEONATAL_CARE: "SNCP", PARENTAL_BEREAVEMENT: "SPBP"}
FAMILY_KINDS = tuple(WEEKS)


def _sunday(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


def qualifying_week(kind: str, expected_week: date) -> date:
    """The Sunday starting the QW (adoption: the matching week itself)."""
    if kind == ADOPTION:
        return _sunday(expected_week)
    if kind in WEEK_BEFORE_EVENT:
        return _sunday(expected_week) - timedelta(weeks=1)
    return _sunday(expected_week) - timedelta(weeks=15)


def _claims(absences: list[Absence]) -> dict[tuple[str, date], list[Absence]]:
    grouped: dict[tuple[str, date], list[Absence]] = {}
    for a in sorted(absences, key=lambda a: a.first_day):
        if a.kind in WEEKS:
            grouped.setdefault((a.kind, a.expected_week or a.first_day), []).append(a)
    return grouped


def family_awe_references(absences: list[Absence]) -> list[date]:
    return [qualifying_week(kind, ew) + timedelta(days=6) for kind, ew in _claims(absences)]


def _refused(kind: str, start: date, awe, why: str, basis: dict) -> Claim:
    return Claim(kind, start, awe, refused=why, basis=basis)


def _claim(kind: str, expected: date, absences: list[Absence], *, until: date,
           payments: list[Payment], employment: Employment) -> Claim:
    qw = qualifying_week(kind, expected)
    qw_saturday = qw + timedelta(days=6)
    service_by = qw - timedelta(weeks=25) + timedelta(days=6)
    start = absences[0].first_day
    basis = {"expected_week": expected.isoformat(), "qualifying_week": qw.isoformat(),
             "employed_by": service_by.isoformat()}
    name = NAMES[kind]
    if employment.hire_date > service_by or (
            employment.termination_date is not None and employment.termination_date < qw):
        return _refused(kind, start, None, (
            f"{name} not due: not employed for 26 weeks into the qualifying week (employed by "
            f"{service_by.isoformat()} and still employed in the week of {qw.isoformat()})"),
            basis)
    awe = average_weekly_earnings(payments, ends_before=qw_saturday, inclusive=True,
                                  employment=employment, allow_contractual=False)
    lel = R.rates_on(qw_saturday).lower_earnings_limit
    basis["lower_earnings_limit"] = str(lel)
    if awe is None:
        return _refused(kind, start, awe, (
            f"{name} not calculated: no finalised pay days for the relevant period ending "
            f"{qw_saturday.isoformat()} (payroll history before HROps?): pay it as a one-off "
            f"input"), basis)
    if awe.amount < lel:
        return _refused(kind, start, awe, (
            f"{name} not due: average weekly earnings {awe.amount} below the lower earnings "
            f"limit {lel} (give the employee form SMP1 / SPP1 / SAP1 so they can claim "
            f"Maternity Allowance or other support)"), basis)
    total_weeks, earnings_weeks = WEEKS[kind]
    ninety = awe.amount * R.FAMILY_PERCENT
    limit_days = total_weeks * 7
    days: list[EntitledDay] = []
    kit = sorted({d for a in absences for d in a.kit_days})[:KIT_LIMITS.get(kind, 0)]
    if kit:
        # Worked without losing the week's statutory pay (SMP (General) Regs 1986 reg 9A;
        # SPP and SAP (General) Regs 2002 reg 27A; ShPP (General) Regs 2014 reg 13).
        basis["kit_days_worked"] = [d.isoformat() for d in kit]
    if kind == PARENTAL_BEREAVEMENT:
        basis["taken_by"] = (expected + BEREAVEMENT_WINDOW - ONE_DAY).isoformat()
    for a in absences:
        day, last = a.first_day, min(a.last_day or until, until)
        if kind == PARENTAL_BEREAVEMENT:  # only within 56 weeks of the death
            last = min(last, expected + BEREAVEMENT_WINDOW - ONE_DAY)
        while day <= last and len(days) < limit_days:
            # SMP/SAP: weeks counted from the first day of the pay period; SPP/ShPP: days taken
            index = (day - start).days // 7 if kind in (MATERNITY, ADOPTION) else len(days) // 7
            if kind in (MATERNITY, ADOPTION) and index >= total_weeks:
                break
            week_start = start + timedelta(weeks=index) if kind in (MATERNITY, ADOPTION) else day
            if index < earnings_weeks:
                weekly, tier = ninety, "90%"
            else:
                flat = R.family_flat_for_week(week_start)
                weekly, tier = min(flat, ninety), ("flat" if flat <= ninety else "90%")
            days.append(EntitledDay(day, kind, weekly / SEVEN, weekly, tier=tier, note=(
                f"week {index + 1}: {fmt(weekly)} a week / 7")))
            day += ONE_DAY
    return Claim(kind, start, awe, tuple(days), basis=basis)


def family_claims(absences: list[Absence], *, until: date, payments: list[Payment],
                  employment: Employment) -> list[Claim]:
    return [_claim(kind, expected, group, until=until, payments=payments,
                   employment=employment)
            for (kind, expected), group in _claims(absences).items()]
