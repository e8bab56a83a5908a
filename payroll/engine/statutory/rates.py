"""Statutory payment rates per UK tax year (flat weekly rates and the lower earnings limit).

Sources (checked 1 December 2026):
- 2026-27: GOV.UK "Rates and thresholds for employers 2026 to 2027" and the DWP proposed
  benefit and pension rates 2026 to 2027: SSP 123.25 a week; SMP, SPP, SAP and ShPP 194.32 a
  week (or 90% of average weekly earnings if lower); lower earnings limit for family pay 129.00
  a week. From 6 April 2026 SSP has no lower earnings limit (Employment Rights Act 2025).
  The same 194.32 is the 2026-27 rate of Statutory Neonatal Care Pay and Statutory Parental
  Bereavement Pay (DWP "Proposed benefit and pension rates 2026 to 2027", 3.8% CPI uprating;
  re-checked 1 December 2026 against the published 2026-27 figures: SSP 123.25, family rates
  194.32, LEL 129.00 - no change needed).
- 2025-26: SSP 118.75; SMP, SPP, SAP, ShPP, SNCP, SPBP 187.18; LEL 125.00 (family pay weeks
  that began before the 2026 uprating, and SSP series that began before 6 April 2026: the old
  rules, ssp.py).
- 2024-25: SSP 116.75; family rates 184.03; LEL 123.00 (only for SSP series that began then).

SSP changes with the tax year (6 April); the family flat rate applies to pay weeks beginning on
or after the first Sunday in April (the uprating order's date: 5 April 2026, 6 April 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from payroll.engine.tax_years import uk_tax_year_for

SSP_PERCENT = Decimal("0.80")  # Employment Rights Act 2025: lower of the flat rate and 80% AWE
FAMILY_PERCENT = Decimal("0.90")  # SSCBA 1992 s.166(2): 90% of normal weekly earnings
# The employer recovers 92% of SMP/SPP/SAP/ShPP paid, or 100% plus compensation (103% before
# 6 April 2025, 108.5% since) with Small Employer Relief (Statutory Maternity Pay
# (Compensation of Employers) Regulations 1994; GOV.UK "Claim back statutory maternity,
# paternity, adoption and shared parental pay").
# SSP is not recoverable (the Percentage Threshold Scheme ended on 5 April 2014).
RECOVERY_RATE = Decimal("0.92")
SER_COMPENSATION_RATE = Decimal("0.03")  # payments before 6 April 2025
# From 6 April 2025 the Small Employers' Relief compensation is 8.5% (108.5% recovered): HMRC's
# Software Developer Support Team to payroll developers (reported by the CIPP), GOV.UK "Get
# financial help with statutory pay"; it covers SMP, SPP, SAP, ShPP, SPBP and SNCP.
SER_COMPENSATION_FROM_2025 = Decimal("0.085")
SER_CHANGED = date(2025, 4, 6)


def ser_compensation_rate(paid_on: date) -> Decimal:
    """The Small Employers' Relief compensation rate for payments made on ``paid_on``."""
    return SER_COMPENSATION_FROM_2025 if paid_on >= SER_CHANGED else SER_COMPENSATION_RATE
# Statutory Sick Pay under the Employment Rights Act 2025 (no waiting days, no LEL) applies
# to days of incapacity from this date; earlier days follow the old rules (ssp.py).
SSP_NEW_RULES_FROM = date(2026, 4, 6)


@dataclass(frozen=True, slots=True)
class YearRates:
    ssp_weekly: Decimal
    family_weekly: Decimal
    lower_earnings_limit: Decimal


RATES: dict[str, YearRates] = {
    # 2024-25 (for SSP series that began then, old rules): SSP 116.75, SMP etc. 184.03, LEL 123.
    "2024-25": YearRates(Decimal("116.75"), Decimal("184.03"), Decimal("123.00")),
    "2025-26": YearRates(Decimal("118.75"), Decimal("187.18"), Decimal("125.00")),
    "2026-27": YearRates(Decimal("123.25"), Decimal("194.32"), Decimal("129.00")),
}


class StatutoryRatesNotFound(LookupError):
    """No statutory rates for that tax year: never another year's rates."""


def rates_for_tax_year(tax_year: str) -> YearRates:
    try:
        return RATES[tax_year]
    except KeyError:
        raise StatutoryRatesNotFound(f"no UK statutory pay rates for {tax_year}") from None


def rates_on(day: date) -> YearRates:
    """Rates of the tax year containing ``day`` (SSP and the lower earnings limit)."""
    return rates_for_tax_year(uk_tax_year_for(day))


def _uprating_day(year: int) -> date:
    """First Sunday in April: the family flat rate changes for weeks beginning on or after it."""
    april = date(year, 4, 1)
    return april + timedelta(days=(6 - april.weekday()) % 7)


def family_flat_for_week(week_start: date) -> Decimal:
    year = week_start.year if week_start >= _uprating_day(week_start.year) else (
        week_start.year - 1)
    return rates_for_tax_year(f"{year}-{(year + 1) % 100:02d}").family_weekly
