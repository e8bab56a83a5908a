"""Small builders for engine inputs, so tests state only what matters to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.engine import USW4, CompensationSegment, PayInputs, UKTaxProfile


def d(value: str) -> Decimal:
    return Decimal(value)


def us_inputs(**overrides: Any) -> PayInputs:
    base = PayInputs(
        jurisdiction="US",
        pay_date=date(2026, 3, 31),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        pay_frequency="monthly",
        compensation=(CompensationSegment(date(2025, 1, 1), annual_salary=d("60000")),),
        us_w4=USW4(),
    )
    return replace(base, **overrides)


def uk_inputs(**overrides: Any) -> PayInputs:
    base = PayInputs(
        jurisdiction="UK",
        pay_date=date(2026, 4, 30),
        period_start=date(2026, 4, 6),
        period_end=date(2026, 5, 5),
        pay_frequency="monthly",
        period_number=1,
        compensation=(CompensationSegment(date(2025, 1, 1), annual_salary=d("36000")),),
        uk_tax=UKTaxProfile(),
    )
    return replace(base, **overrides)


def amount(result: Any, code: str) -> Decimal:
    return next(line.amount for line in result.lines if line.code == code)
