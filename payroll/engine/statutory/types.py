"""Inputs and outputs of the statutory pay calculators (plain frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

SICKNESS = "sickness"
MATERNITY = "maternity"
PATERNITY = "paternity"
ADOPTION = "adoption"
SHARED_PARENTAL = "shared_parental"
NEONATAL_CARE = "neonatal_care"
PARENTAL_BEREAVEMENT = "parental_bereavement"
KINDS = (SICKNESS, MATERNITY, PATERNITY, ADOPTION, SHARED_PARENTAL, NEONATAL_CARE,
         PARENTAL_BEREAVEMENT)
# Payslip line code and label of each kind.
CODES = {SICKNESS: "SSP", MATERNITY: "SMP", PATERNITY: "SPP", ADOPTION: "SAP",
         SHARED_PARENTAL: "SHPP", NEONATAL_CARE: "SNCP", PARENTAL_BEREAVEMENT: "SPBP"}
LABELS = {SICKNESS: "SSP", MATERNITY: "Maternity pay", PATERNITY: "Paternity pay",
          ADOPTION: "Adoption pay", SHARED_PARENTAL: "Shared parental pay",
          NEONATAL_CARE: "Neonatal care pay", PARENTAL_BEREAVEMENT: "Parental bereavement pay"}
# The employer recovers SNCP and SPBP as it does SMP (GOV.UK "Claim back statutory maternity,
# paternity, adoption, parental bereavement and neonatal care pay": 92%, or 108.5% with Small
# Employer Relief from 6 April 2025).
RECOVERABLE_KINDS = frozenset({MATERNITY, PATERNITY, ADOPTION, SHARED_PARENTAL, NEONATAL_CARE,
                               PARENTAL_BEREAVEMENT})


@dataclass(frozen=True, slots=True)
class Absence:
    """Calendar days ``first_day``..``last_day`` inclusive; ``last_day`` None = still away.
    ``expected_week``: family leave's expected week of childbirth (its Sunday) or the adoption
    matching date; neonatal care: the day the baby's neonatal care began; parental
    bereavement: the day of the child's death."""

    kind: str
    first_day: date
    last_day: date | None = None
    expected_week: date | None = None
    source: str = ""
    kit_days: tuple[date, ...] = ()  # keeping-in-touch / SPLIT days worked (paid as work)


@dataclass(frozen=True, slots=True)
class Payment:
    """Earnings paid on one day (gross pay for Class 1 NI), ``normal``: a normal pay day."""

    pay_date: date
    amount: Decimal
    normal: bool = True


@dataclass(frozen=True, slots=True)
class WorkPattern:
    """Qualifying days (0 = Monday .. 6 = Sunday) from ``effective_from``."""

    effective_from: date
    weekdays: frozenset[int]


@dataclass(frozen=True, slots=True)
class Employment:
    hire_date: date
    termination_date: date | None = None
    pay_frequency: str = "monthly"  # weekly | fortnightly | four_weekly | monthly
    # Weekly contractual earnings, for an employee with no normal pay day before the
    # absence (a new starter): SSP uses what they would have been paid.
    contractual_weekly: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EntitledDay:
    day: date
    kind: str
    exact: Decimal  # unrounded amount for the day
    weekly_rate: Decimal
    tier: str = ""  # family pay: "90%" (earnings-related) or "flat"; SSP: ""
    note: str = ""  # how the daily figure was reached (trace)


@dataclass(frozen=True, slots=True)
class Claim:
    """One SSP linked series or one family-pay claim, with what it is entitled to."""

    kind: str
    start: date
    awe: Any  # awe.AverageWeeklyEarnings | None
    days: tuple[EntitledDay, ...] = ()
    refused: str = ""  # why nothing is due (not entitled), for a review flag
    basis: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatutoryLine:
    """One payslip line of statutory pay: an earning, taxable and NI-able."""

    code: str
    kind: str
    description: str
    amount: Decimal
    days: tuple[date, ...]
    recovered: Decimal
    nic_compensation: Decimal
    trace: dict[str, Any]

    @property
    def ytd_increments(self) -> tuple[tuple[str, Decimal], ...]:
        key = f"uk_{self.code.lower()}"
        pairs = [(key, self.amount)]
        if self.kind in RECOVERABLE_KINDS:
            pairs += [(f"{key}_recovered", self.recovered),
                      (f"{key}_nic_compensation", self.nic_compensation)]
        return tuple(pairs)
