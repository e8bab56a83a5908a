"""UK Class 1 National Insurance per earnings period (not cumulative), every category letter;
company directors on an annual (or pro-rata annual) earnings period, cumulatively.

Each category is data: employee bands and employer bands as (from threshold, to threshold, rate);
thresholds are per pay frequency exactly as HMRC publishes them (CWG2), e.g. four-weekly PT 967.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache

from payroll.engine.money import ZERO, ceil_pounds, fmt, fmt_rate, hmrc_ni_round
from payroll.engine.tax_years import load
from payroll.engine.types import PayLine, UKDirector

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


# More than one payment in an earnings period (HMRC NIM08510: "all earnings paid in the same
# earnings period normally have to be added together", so that the total NICs are as if the
# payments had been one): NICs on the period's total, less the NICs already paid on the earlier
# payments of the period.
PERIOD_SOURCE = ("HMRC NIM08510 / CWG2 earnings periods (payments in one earnings period are "
                 "added together: NICs on the total, less NICs already paid in the period)")


def class1_ni_in_period(
    *, tax_year: str, pay_frequency: str, category: str, ni_pay: Decimal,
    paid_ni_pay: Decimal, paid_employee_ni: Decimal, paid_employer_ni: Decimal,
) -> tuple[PayLine, PayLine]:
    """Employee and employer Class 1 NI for this payment when ``paid_*`` other payments were
    already made in the same earnings period: NI on the period's total NI-able pay less the NI
    already paid. With nothing paid yet it is exactly :func:`class1_ni`.

    E.g. 2025-26 category A monthly, salary 3,000 then a 1,000 bonus in the same tax month:
    NI on 4,000 is 8% x (4,000 - 1,048) = 236.16 employee and 15% x (4,000 - 417) = 537.45
    employer; already paid on 3,000: 156.16 and 387.45; the bonus bears 80.00 and 150.00.
    """
    if not (paid_ni_pay or paid_employee_ni or paid_employer_ni):
        return class1_ni(tax_year=tax_year, pay_frequency=pay_frequency, category=category,
                         ni_pay=ni_pay)
    total = paid_ni_pay + ni_pay
    on_total = class1_ni(tax_year=tax_year, pay_frequency=pay_frequency, category=category,
                         ni_pay=total)
    lines = []
    for line, paid in zip(on_total, (paid_employee_ni, paid_employer_ni), strict=True):
        amount = line.amount - paid
        period = {"ni_pay_this_payment": fmt(ni_pay), "ni_pay_already_paid": fmt(paid_ni_pay),
                  "ni_pay_in_period": fmt(total), "due_on_period": fmt(line.amount),
                  "already_paid": fmt(paid)}
        formula = (f"earnings period total {fmt(paid_ni_pay)} already paid + {fmt(ni_pay)} now "
                   f"= {fmt(total)}: {line.trace['formula']}; less {fmt(paid)} paid earlier "
                   f"in the period = {amount}")
        lines.append(replace(line, amount=amount, trace={
            **line.trace, "formula": formula, "earnings_period": period,
            "rule": f"{SOURCE}; {PERIOD_SOURCE}"}))
    return lines[0], lines[1]


# Directors (HMRC CWG2 "Directors' NICs"; NIM12021): an annual earnings period whatever the pay
# interval. NI due to date is Class 1 NI on the cumulative earnings of the earnings period
# against the annual thresholds; this payment's NI is that less the NI already paid.
DIRECTOR_SOURCE = ("HMRC CWG2 Directors' NICs (annual earnings period); NIM12021 (cumulative "
                   "earnings against annual thresholds, less NICs already paid); NIM12022 / "
                   "SSCR 2001 reg 8(2) (pro-rata period for a director appointed in the year)")
# NIM12022: pro-rata calculations always use 52 weeks, even in a year with 53 tax weeks.
PRO_RATA_WEEKS = 52


def director_weeks(appointed_week: int | None) -> int:
    """Weeks in the director's earnings period: 52 for a full year; otherwise the weeks left in
    the tax year from and including the week of appointment (SSCR 2001 reg 8(2), NIM12022),
    and 1 week for an appointment in week 53."""
    if appointed_week is None or appointed_week <= 1:
        return PRO_RATA_WEEKS
    return max(PRO_RATA_WEEKS - appointed_week + 1, 1)


@lru_cache(maxsize=128)
def director_thresholds(tax_year: str, weeks: int) -> dict[str, Decimal]:
    """Annual thresholds, or pro-rata ones: annual / 52 x weeks, rounded UP to the next whole
    pound (HMRC "Quick guide to pro-rata annual earnings periods"; e.g. 2024-25, appointed in
    week 30, 23 weeks: PT 12,570 / 52 x 23 = 5,559.81 -> 5,560; UEL 50,270 / 52 x 23 =
    22,234.42 -> 22,235; LEL 6,396 / 52 x 23 = 2,829 exactly). Cached: treat as read-only."""
    annual = ni_tables(tax_year).thresholds["annual"]
    if weeks >= PRO_RATA_WEEKS:
        return annual
    return {name: ceil_pounds(value * weeks / PRO_RATA_WEEKS) for name, value in annual.items()}


def director_class1_ni(
    *, tax_year: str, pay_frequency: str, category: str, ni_pay: Decimal, director: UKDirector,
    ytd_ni_pay: Decimal, ytd_employee_ni: Decimal, ytd_employer_ni: Decimal,
    period_ni_pay: Decimal = ZERO, period_employee_ni: Decimal = ZERO,
    period_employer_ni: Decimal = ZERO,
) -> tuple[PayLine, PayLine]:
    """A director's employee and employer Class 1 NI for this payment.

    ``ytd_*`` are the director's earnings period so far, BEFORE this payment: the annual
    method is cumulative, so every earlier payment of the year (an off-cycle bonus too) is in
    it. Alternative arrangements: the normal per-period calculation, aggregated with the other
    payments of the same pay period (``period_*``), except in the final period, which is
    recalculated on the annual basis and so trues up the year (CWG2; NIM12026).
    """
    method = director.method
    weeks = director_weeks(director.appointed_week)
    context = {"method": method, "appointed_week": director.appointed_week, "weeks": weeks,
               "final_period": director.final_period}
    if method == "alternative" and not director.final_period:
        # Per pay period, so several payments in one period are aggregated like anyone's.
        lines = class1_ni_in_period(
            tax_year=tax_year, pay_frequency=pay_frequency, category=category, ni_pay=ni_pay,
            paid_ni_pay=period_ni_pay, paid_employee_ni=period_employee_ni,
            paid_employer_ni=period_employer_ni)
        note = {**context, "basis": "per pay period (alternative arrangements; recalculated on "
                "the annual basis in the final period)"}
        return tuple(  # type: ignore[return-value]
            replace(line, trace={**line.trace, "director": note}) for line in lines)
    tables = ni_tables(tax_year)
    cat = tables.categories.get(category.upper())
    if cat is None:
        raise NiCategoryError(f"{category!r} is not an NI category")
    thresholds = director_thresholds(tax_year, weeks)
    cumulative = ytd_ni_pay + ni_pay
    inputs = {"ni_pay": fmt(ni_pay), "ytd_ni_pay": fmt(ytd_ni_pay),
              "cumulative_ni_pay": fmt(cumulative), "category": cat.letter,
              "pay_frequency": pay_frequency}
    basis = "annual" if weeks == PRO_RATA_WEEKS else f"pro-rata annual ({weeks} weeks)"
    table = {"tax_year": tax_year, "category_name": cat.name, "basis": basis,
             **{k: fmt(v) for k, v in thresholds.items()}}
    lines = []
    for who, bands, paid, code, category_kind in (
        ("employee", cat.employee, ytd_employee_ni, "NI_EE", "employee_tax"),
        ("employer", cat.employer, ytd_employer_ni, "NI_ER", "employer_tax"),
    ):
        # The exact percentage method on the cumulative earnings, each band rounded as HMRC
        # rounds (third decimal), then less what was paid: both figures are whole pence.
        due, parts = _bands(cumulative, bands, thresholds)
        amount = due - paid
        formula = (f"NI due to date: {' + '.join(parts) or 'no band reached'} = {fmt(due)}; "
                   f"this payment = {fmt(due)} due - {fmt(paid)} paid to date = {amount}")
        lines.append(PayLine(
            code, f"National Insurance ({who}, category {cat.letter}, director)",
            category_kind,  # type: ignore[arg-type]
            amount,
            trace={"inputs": inputs, "table": table, "formula": formula,
                   "director": {**context, "basis": basis, "due_to_date": fmt(due),
                                "paid_to_date": fmt(paid)},
                   "rule": DIRECTOR_SOURCE},
        ))
    return lines[0], lines[1]
