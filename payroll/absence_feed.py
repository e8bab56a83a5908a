"""What payroll needs to know about absence, and who tells it.

Statutory sick and family pay (SSP, SMP, SPP, SAP, ShPP, SNCP, SPBP) are calculated by payroll
from the absences the time-off app records. The two apps meet only here: the time-off app
registers a provider (``settings.HROPS_ABSENCE_PROVIDER``, a dotted path to an object with the
two methods of ``AbsenceProvider``); payroll asks it, per pay period, for the absences of the
people in a run. With no provider configured payroll sees no absences (and pays no statutory
pay), which is what a deployment without the time-off app means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class AbsenceKind(StrEnum):
    SICKNESS = "sickness"
    MATERNITY = "maternity"
    PATERNITY = "paternity"
    ADOPTION = "adoption"
    SHARED_PARENTAL = "shared_parental"
    NEONATAL_CARE = "neonatal_care"
    PARENTAL_BEREAVEMENT = "parental_bereavement"


@dataclass(frozen=True)
class StatutoryAbsence:
    """One absence that may carry statutory pay. Days are calendar days, both inclusive;
    ``last_day`` is None while the person is still away (pay up to the period end)."""

    employee_id: int
    kind: AbsenceKind
    first_day: date
    last_day: date | None
    # Family leave: the expected week of childbirth (its Sunday) or the adoption matching /
    # placement date, from which qualifying service and the relevant period are counted;
    # neonatal care: the day care began; parental bereavement: the day of the death.
    expected_week: date | None = None
    # Where it came from, for the calculation trace ("timeoff.Absence:123").
    source: str = ""
    # Keeping-in-touch / SPLIT days worked during family leave: paid as work (never deducted as
    # unpaid leave), the statutory pay for them kept.
    kit_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class WorkingWeek:
    """An employee's qualifying days for SSP: the weekdays they normally work
    (0 = Monday .. 6 = Sunday), effective from ``effective_from``."""

    employee_id: int
    weekdays: frozenset[int]
    effective_from: date


class AbsenceProvider(Protocol):
    def statutory_absences(self, employee_ids: list[int], start: date,
                           end: date) -> dict[int, list[StatutoryAbsence]]:
        """Every statutory absence overlapping ``start``..``end`` per employee, oldest first."""

    def working_weeks(self, employee_ids: list[int],
                      on: date) -> dict[int, list[WorkingWeek]]:
        """Each employee's working-week history up to ``on``, oldest first."""


class _NoAbsences:
    def statutory_absences(self, employee_ids, start, end):
        return {}

    def working_weeks(self, employee_ids, on):
        return {}


@cache
def _provider_at(path: str) -> AbsenceProvider:
    return import_string(path)() if path else _NoAbsences()


def absence_provider() -> AbsenceProvider:
    return _provider_at(getattr(settings, "HROPS_ABSENCE_PROVIDER", ""))
