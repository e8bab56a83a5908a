"""UK Class 1 National Insurance per earnings period (not cumulative), every category letter.

Each category is data: employee bands and employer bands as (from threshold, to threshold, rate);
thresholds are per pay frequency exactly as HMRC publishes them (CWG2), e.g. four-weekly PT 967.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from payroll.engine.money import ZERO, fmt, fmt_rate, hmrc_ni_round
from payroll.engine.tax_years import load
from payroll.engine.types import PayLine

SOURCE = "HMRC CWG2 Class 1 NICs, exact percentage method; HMRC NIC test data rounding"

Band = tuple[str, str | None, Decimal]


@dataclass(frozen=True, slots=True)
class NiCategory:
    letter: str
    name: str
    employee: tuple[Band, ...]
    employer: tuple[Band, ...]


@dataclass(frozen=True, slots=True)
class NiTables:
    tax_year: str
    thresholds: dict[str, dict[str, Decimal]]  # frequency -> LEL, PT, ST, UEL, FUST, ...
    categories: dict[str, NiCategory]


class NiCategoryError(ValueError):
    pass


@cache
def ni_tables(tax_year: str) -> NiTables:
    raw = load("UK", tax_year)["ni"]
    return NiTables(
        tax_year=tax_year,
        thresholds={
            freq: {name: Decimal(value) for name, value in values.items()}
            for freq, values in raw["thresholds"].items()
        },
        categories={
            letter: NiCategory(
                letter,
                spec["name"],
                tuple((lo, hi, Decimal(rate)) for lo, hi, rate in spec["employee"]),
                tuple((lo, hi, Decimal(rate)) for lo, hi, rate in spec["employer"]),
            )
            for letter, spec in raw["categories"].items()
        },
    )


@lru_cache(maxsize=512)
def _trace_table(tax_year: str, pay_frequency: str, letter: str) -> dict[str, str]:
    """The thresholds as shown in traces; cached (shared by lines, so never mutate it)."""
    tables = ni_tables(tax_year)
    thresholds = tables.thresholds[pay_frequency]
    return {"tax_year": tax_year, "category_name": tables.categories[letter].name,
            **{k: fmt(v) for k, v in thresholds.items()}}


def _bands(
    pay: Decimal, bands: tuple[Band, ...], thresholds: dict[str, Decimal]
) -> tuple[Decimal, list[str]]:
    total = ZERO
    parts: list[str] = []
    for lo_name, hi_name, rate in bands:
        lo = thresholds[lo_name]
        hi = pay if hi_name is None else min(pay, thresholds[hi_name])
        earnings = hi - lo
        if earnings <= 0:
            continue
        # HMRC rounds each band's contribution separately (third decimal: 5 or less down, 6 or
        # more up); e.g. category B fortnightly 1,934.05: 26.825 -> 26.82 and 0.001 -> 0.00.
        contribution = hmrc_ni_round(earnings * rate)
        total += contribution
        parts.append(f"{fmt_rate(rate)} x ({fmt(hi)} - {fmt(lo)} {lo_name}) = {contribution}")
    return total, parts


def class1_ni(
    *, tax_year: str, pay_frequency: str, category: str, ni_pay: Decimal
) -> tuple[PayLine, PayLine]:
    """Employee and employer Class 1 NI on one period's NI-able pay."""
    tables = ni_tables(tax_year)
    cat = tables.categories.get(category.upper())
    if cat is None:
        raise NiCategoryError(f"{category!r} is not an NI category")
    thresholds = tables.thresholds[pay_frequency]
    inputs = {"ni_pay": fmt(ni_pay), "category": cat.letter, "pay_frequency": pay_frequency}
    table = _trace_table(tax_year, pay_frequency, cat.letter)
    lines = []
    for who, bands, code, category_kind in (
        ("employee", cat.employee, "NI_EE", "employee_tax"),
        ("employer", cat.employer, "NI_ER", "employer_tax"),
    ):
        amount, parts = _bands(ni_pay, bands, thresholds)
        formula = " + ".join(parts) if len(parts) != 1 else parts[0].rsplit(" = ", 1)[0]
        formula = f"{formula or 'no band reached'} = {amount}"
        lines.append(
            PayLine(
                code,
                f"National Insurance ({who}, category {cat.letter})",
                category_kind,  # type: ignore[arg-type]
                amount,
                trace={"inputs": inputs, "table": table, "formula": formula, "rule": SOURCE},
            )
        )
    return lines[0], lines[1]
