"""UK statutory payments (SSP, SMP, SPP, SAP, ShPP): pure calculators, no Django.

``statutory_pay(...)`` gives the payslip lines due in one pay run from the absences, working
week, earnings history and what finalised payslips already paid; ``awe_window(...)`` says which
earnings it needs. See payroll/engine/README.md ("Statutory pay").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from payroll.engine.statutory.family import family_awe_references, family_claims
from payroll.engine.statutory.lines import statutory_lines
from payroll.engine.statutory.ssp import ssp_awe_references, ssp_claims
from payroll.engine.statutory.types import (
    CODES,
    KINDS,
    MATERNITY,
    Absence,
    Claim,
    Employment,
    Payment,
    StatutoryLine,
    WorkPattern,
)

# Earnings older than this before an AWE reference date are never needed: the earlier pay day
# is at least 8 weeks before the last one, which is at most a pay interval before the reference.
AWE_LOOKBACK = timedelta(days=130)


@dataclass(frozen=True, slots=True)
class StatutoryResult:
    lines: tuple[StatutoryLine, ...]
    refused: tuple[str, ...]  # claims with nothing due and why (review flags)
    claims: tuple[Claim, ...]


def _outside_maternity(ssp: list[Claim], family: list[Claim]) -> list[Claim]:
    """No SSP during a maternity pay period (SSCBA 1992 Sch 11 para 2(h)): SMP days are not
    also SSP days."""
    mpp = {d.day for c in family if c.kind == MATERNITY for d in c.days}
    if not mpp:
        return ssp
    return [replace(c, days=tuple(d for d in c.days if d.day not in mpp),
                    basis={**c.basis, "not_in_maternity_pay_period": True}) for c in ssp]


def awe_window(absences: list[Absence], until: date) -> tuple[date, date] | None:
    refs = ssp_awe_references(absences, until) + family_awe_references(absences)
    return (min(refs) - AWE_LOOKBACK, max(refs)) if refs else None


def statutory_pay(absences: list[Absence], *, period_end: date, payments: list[Payment],
                  employment: Employment, patterns: list[WorkPattern],
                  paid: frozenset[tuple[str, date]] = frozenset(),
                  unpaid: frozenset[date] = frozenset(),
                  small_employer: bool = False) -> StatutoryResult:
    family = family_claims(absences, until=period_end, payments=payments, employment=employment)
    claims = _outside_maternity(ssp_claims(
        absences, until=period_end, payments=payments, employment=employment,
        patterns=patterns), family) + family
    lines = statutory_lines(claims, period_end=period_end, paid=paid, unpaid=unpaid,
                            small_employer=small_employer)
    return StatutoryResult(tuple(lines), tuple(c.refused for c in claims if c.refused),
                           tuple(claims))


__all__ = ["CODES", "KINDS", "Absence", "Claim", "Employment", "Payment", "StatutoryLine",
           "StatutoryResult", "WorkPattern", "awe_window", "statutory_pay"]
