"""UK PAYE income tax by HMRC's computerised method (Specification for PAYE Tax Table Routines).

Cumulative and week 1 / month 1 bases; suffix codes (L, M, N, T, 0T), K codes with the 50%
regulatory limit, flat-rate codes (BR, D0, D1; Scottish SD0-SD3; Welsh CD0, CD1) and NT, with the
Scottish (S) and Welsh (C) prefixes selecting their bands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from payroll.engine.money import (
    ZERO,
    ceil_pence,
    floor_pounds,
    fmt,
    fmt_rate,
    truncate_4dp,
    truncate_pence,
)
from payroll.engine.tax_years import load
from payroll.engine.types import PayLine

SOURCE = "HMRC Specification for PAYE Tax Table Routines v24.0"
REGIONS = {"S": "scotland", "C": "wales"}
_CODE_RE = re.compile(
    r"^(?P<prefix>[SC]?)(?:(?P<nt>NT)|(?P<flat>BR|D[0-9])|K(?P<k>\d+)|(?P<num>\d+)(?P<suffix>[LMNT]))"
    r"(?P<noncum>W1|M1|X)?$"
)


class TaxCodeError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TaxCode:
    raw: str
    region: str  # rUK | scotland | wales
    kind: str  # suffix | K | flat | NT
    number: int = 0
    flat_code: str = ""
    non_cumulative: bool = False


@lru_cache(maxsize=4096)
def parse_tax_code(raw: str) -> TaxCode:
    """Read a tax code such as ``1257L``, ``S1257L W1``, ``K475``, ``CD1`` or ``0T M1``."""
    text = raw.upper().replace(" ", "")
    match = _CODE_RE.match(text)
    if match is None:
        raise TaxCodeError(f"{raw!r} is not a tax code")
    region = REGIONS.get(match["prefix"], "rUK")
    noncum = match["noncum"] is not None
    if match["nt"]:
        return TaxCode(raw, region, "NT", non_cumulative=noncum)
    if match["flat"]:
        return TaxCode(raw, region, "flat", flat_code=match["flat"], non_cumulative=noncum)
    if match["k"] is not None:
        return TaxCode(raw, region, "K", number=int(match["k"]), non_cumulative=noncum)
    return TaxCode(raw, region, "suffix", number=int(match["num"]), non_cumulative=noncum)


@dataclass(frozen=True, slots=True)
class PayeTables:
    tax_year: str
    bands: dict[str, tuple[tuple[Decimal | None, Decimal], ...]]  # region -> (width, rate)
    flat_rates: dict[str, dict[str, Decimal]]
    units: dict[str, Decimal]  # weekly / monthly 500-unit of pay adjustment
    periods_per_year: dict[str, int]
    weeks_per_period: dict[str, int]
    regulatory_limit_rate: Decimal


@cache
def paye_tables(tax_year: str) -> PayeTables:
    raw = load("UK", tax_year)["paye"]
    return PayeTables(
        tax_year=tax_year,
        bands={
            region: tuple(
                (None if width is None else Decimal(width), Decimal(rate)) for width, rate in rows
            )
            for region, rows in raw["bands"].items()
        },
        flat_rates={
            region: {code: Decimal(rate) for code, rate in codes.items()}
            for region, codes in raw["flat_rate_codes"].items()
        },
        units={basis: Decimal(unit) for basis, unit in raw["pay_adjustment_500_unit"].items()},
        periods_per_year=raw["periods_per_year"],
        weeks_per_period=raw["weeks_per_period"],
        regulatory_limit_rate=Decimal(raw["regulatory_limit_rate"]),
    )


@lru_cache(maxsize=8192)
def pay_adjustment(number: int, basis: str, unit: Decimal, periods: int) -> Decimal:
    """Free pay (or K additional pay) for ONE period, HMRC spec "Pay adjustment" routine.

    The code number is split into 500s (a fixed ``unit`` each) and a remainder r (1-500) whose
    value (10r + 9) / periods is rounded UP to the penny. Code 0 (0T) has no adjustment.
    """
    if number == 0:
        return ZERO
    quotient, remainder = divmod(number - 1, 500)
    remainder += 1
    return quotient * unit + ceil_pence(Decimal(10 * remainder + 9) / periods)


def is_extra_week_period(tables: PayeTables, pay_frequency: str, period: int) -> bool:
    """Week 53 (weekly), 54 (fortnightly) or 56 (four-weekly): a pay day after the 52nd tax week.

    HMRC ("Week 53 payments", spec "Tax calculation for week 53, 54 or 56"): the code is then
    operated on a week 1 basis (non-cumulative: one period's free pay and bands, no year-to-date
    figures), whatever the employee's usual basis.
    """
    if pay_frequency == "monthly":
        return False
    return period * tables.weeks_per_period[pay_frequency] > tables.periods_per_year["weekly"]


def _basis(tables: PayeTables, pay_frequency: str, period: int, non_cumulative: bool):
    """(basis, periods in year, n): weekly tables serve fortnightly and four-weekly pay.

    HMRC spec: a fortnightly period n is tax week 2n (week 2 on a week-1 basis), four-weekly 4n.
    """
    if pay_frequency == "monthly":
        return "monthly", tables.periods_per_year["monthly"], 1 if non_cumulative else period
    weeks = tables.weeks_per_period[pay_frequency]
    return "weekly", tables.periods_per_year["weekly"], weeks if non_cumulative else period * weeks


# Scottish codes: the tax at each band top is the sum of the bands' own pro-rated taxes, each
# truncated to 4 dp; rUK and Welsh codes pro-rate the annual tax at the top. SOURCE: HMRC's own
# 2025-26 test data (shared/data/payroll/hmrc_paye_tax_test_data_2025_26.json), not a written
# rule: we found no HMRC text (spec v16.1-v24, Tables B to D, PAYE Manual) that says how the
# tax at a band top is rounded. Worked this way all 168 official rows are exact; the one
# cumulative method for every region leaves 6 Scottish rows 1p high (e.g. S45L month 1: HMRC
# 753.59), per-band for every region puts 14 rUK/Welsh rows 1p low (e.g. 45L month 1: HMRC
# 3,558.15). A search of 80,600 other rounding combinations found none that fits all rows.
SCOTTISH_PER_BAND_SOURCE = "HMRC PAYE test data 2025-26 (Scottish rows): per-band tax to 4 dp"


@lru_cache(maxsize=4096)
def _band_tops(
    bands: tuple[tuple[Decimal | None, Decimal], ...], n: int, periods: int,
    per_band_tax: bool = False,
) -> tuple[tuple[Decimal | None, Decimal, Decimal], ...]:
    """(band limit to date, tax at the band top to date, rate) per band, HMRC spec v24.

    The cumulative band limit is worked on the annual figure and pro-rated to period n
    (x n / periods), truncated to 4 decimal places; the last band has no top (limit None).
    The tax at each band top: rUK and Wales, the annual tax at that top pro-rated and truncated
    to 4 dp; Scotland (``per_band_tax``), the sum of each band's pro-rated tax, each truncated to
    4 dp (see SCOTTISH_PER_BAND_SOURCE). Cached: a handful of (region, n) combinations per run.
    """
    tops: list[tuple[Decimal | None, Decimal, Decimal]] = []
    annual_limit = annual_tax = tax_to_top = ZERO
    for width, rate in bands:
        if width is None:
            tops.append((None, ZERO, rate))
            break
        annual_limit += width
        annual_tax += width * rate
        tax_to_top += truncate_4dp(width * rate * n / periods)
        tops.append((truncate_4dp(annual_limit * n / periods),
                     tax_to_top if per_band_tax else truncate_4dp(annual_tax * n / periods),
                     rate))
    return tuple(tops)


def _banded_tax(
    taxable: Decimal, bands: tuple[tuple[Decimal | None, Decimal], ...], n: int, periods: int,
    per_band_tax: bool = False,
) -> tuple[Decimal, list[dict[str, str]], list[str]]:
    """Tax on taxable pay to date: the tax at the top of the band below, plus the band's rate on
    the pay above that band's limit (HMRC computerised method; 4 dp truncated limits and tax at
    band tops). E.g. 1257L month 4, taxable 43,708: basic band top 125,140 x 4 / 12 = 41,713.3333,
    tax at that top 42,516 x 4 / 12 = 14,172.0000; + 45% x (43,708 - 41,713.3333) = 897.600015 ->
    15,069.600015 -> 15,069.60 (HMRC test data; summing 4 dp band widths gives 15,069.59)."""
    used: list[dict[str, str]] = []
    lower_limit = lower_tax = ZERO
    for limit, tax_at_top, rate in _band_tops(bands, n, periods, per_band_tax):
        if taxable <= 0:
            break
        in_band = taxable - lower_limit if limit is None else min(taxable, limit) - lower_limit
        used.append({"band_to_date": fmt(limit) if limit is not None else "no limit",
                     "rate": fmt_rate(rate), "taxable": fmt(in_band)})
        if limit is None or taxable <= limit:
            tax = lower_tax + rate * in_band
            part = (f"tax at band top {fmt(lower_limit)} = {fmt(lower_tax)} + "
                    f"{fmt_rate(rate)} x {fmt(in_band)}")
            return tax, used, [part]
        lower_limit, lower_tax = limit, tax_at_top
    return ZERO, used, []


def paye_tax(
    *,
    tax_year: str,
    tax_code: str,
    week1_month1: bool,
    pay_frequency: str,
    period: int,
    taxable_pay: Decimal,
    ytd_taxable_pay: Decimal,
    ytd_tax_paid: Decimal,
    period_taxable_pay: Decimal = ZERO,
    period_tax_paid: Decimal = ZERO,
) -> PayLine:
    """Income tax for this payment; negative under a cumulative code means a refund.

    ``period_*``: other payments already made in this tax period. Cumulative codes see them in
    the year to date; on a week 1 / month 1 basis the period's payments are added together
    and taxed against ONE period's free pay and bands, less the tax already deducted in the
    period (otherwise each payment would get a full period's free pay again).
    """
    tables = paye_tables(tax_year)
    code = parse_tax_code(tax_code)
    extra_week = is_extra_week_period(tables, pay_frequency, period)
    non_cumulative = week1_month1 or code.non_cumulative or extra_week
    basis, periods, n = _basis(tables, pay_frequency, period, non_cumulative)
    pay_to_date = (period_taxable_pay if non_cumulative else ytd_taxable_pay) + taxable_pay
    paid_to_date = period_tax_paid if non_cumulative else ytd_tax_paid
    trace: dict[str, object] = {
        "inputs": {
            "tax_code": tax_code,
            "basis": ("week 53/54/56: week 1 basis" if extra_week and not (
                week1_month1 or code.non_cumulative) else
                "week 1 / month 1" if non_cumulative else "cumulative"),
            "pay_frequency": pay_frequency,
            "period": period,
            "taxable_pay": fmt(taxable_pay),
            "taxable_pay_to_date": fmt(pay_to_date),
            "tax_paid_to_date": fmt(paid_to_date),
        },
        "table": {"tax_year": tax_year, "region": code.region, f"{basis}_number": n},
    }
    if code.kind == "NT":
        tax_to_date = ZERO
        formula = "code NT: no tax"
    elif code.kind == "flat":
        rate = tables.flat_rates[code.region].get(code.flat_code)
        if rate is None:
            raise TaxCodeError(f"{tax_code!r} is not a tax code for {code.region}")
        # HMRC spec: taxable pay to date rounded down to whole pounds, tax rounded down to pence.
        taxable = max(ZERO, floor_pounds(pay_to_date))
        tax_to_date = truncate_pence(taxable * rate)
        formula = f"{code.flat_code} {fmt_rate(rate)} x {fmt(taxable)} = {fmt(tax_to_date)}"
    else:
        unit = tables.units[basis]
        per_period = pay_adjustment(code.number, basis, unit, periods)
        adjustment = per_period * n
        sign = Decimal(1) if code.kind == "K" else Decimal(-1)
        # K codes ADD pay; suffix codes give free pay. Taxable pay to date: down to whole pounds.
        taxable = max(ZERO, floor_pounds(pay_to_date + sign * adjustment))
        bands = tables.bands[code.region]
        exact, used, parts = _banded_tax(taxable, bands, n, periods,
                                         per_band_tax=code.region == "scotland")
        tax_to_date = truncate_pence(exact)
        op = "+" if code.kind == "K" else "-"
        trace["table"]["bands"] = used  # type: ignore[index]
        formula = (
            f"pay adjustment {fmt(per_period)} x {n} = {fmt(adjustment)}; "
            f"taxable {fmt(pay_to_date)} {op} {fmt(adjustment)} -> {fmt(taxable)}; "
            f"{' + '.join(parts) or '0'} = {fmt(tax_to_date)}"
        )
    tax = tax_to_date - paid_to_date
    formula += f"; less paid to date {fmt(paid_to_date)} = {fmt(tax)}"
    if code.kind == "K" and tax > 0:
        # Regulatory (overriding) limit, PAYE Regulations 2003 reg. 23: with a K code the tax
        # deducted may not exceed 50% of the period's taxable pay (rounded down to the penny).
        limit = truncate_pence(taxable_pay * tables.regulatory_limit_rate)
        if tax > limit:
            formula += f"; regulatory limit 50% x {fmt(taxable_pay)} = {fmt(limit)}"
            tax = limit
    trace["formula"] = formula
    trace["rule"] = f"{SOURCE}; {'week 1/month 1' if non_cumulative else 'cumulative'} basis" + (
        f"; {SCOTTISH_PER_BAND_SOURCE}" if code.region == "scotland" and code.kind in (
            "suffix", "K") else "")
    return PayLine("PAYE", "Income tax (PAYE)", "employee_tax", tax, trace=trace)
