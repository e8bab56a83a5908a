"""UK automatic enrolment earnings thresholds for 2026-27, per pay period.

Source: DWP, "Review of the automatic enrolment earnings trigger and qualifying earnings band for
2026/27" (gov.uk/government/publications/review-of-the-automatic-enrolment-earnings-trigger-and-
qualifying-earnings-band-for-202627): all three figures stay frozen: earnings trigger 10,000 a year,
qualifying earnings band 6,240 to 50,270. The per-period figures are The Pensions Regulator's
published table ("Automatic enrolment earnings thresholds", the prescribed pay-reference-period
amounts of the Automatic Enrolment (Earnings Trigger and Qualifying Earnings Band) Order): they
are set amounts, not a division done here, so no rounding happens in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal


@dataclass(frozen=True, slots=True)
class Band:
    lower: Decimal  # lower limit of qualifying earnings
    trigger: Decimal  # earnings trigger for automatic enrolment
    upper: Decimal  # upper limit of qualifying earnings


# TPR table 2026-27 (unchanged since 2024-25). "biweekly" is the same two-week period as
# "fortnightly"; semimonthly is a US frequency with no UK figure.
BANDS_2026_27: dict[str, Band] = {
    "weekly": Band(D("120"), D("192"), D("967")),
    "fortnightly": Band(D("240"), D("384"), D("1934")),
    "biweekly": Band(D("240"), D("384"), D("1934")),
    "four_weekly": Band(D("480"), D("768"), D("3867")),
    "monthly": Band(D("520"), D("833"), D("4189")),
    "quarterly": Band(D("1560"), D("2499"), D("12568")),
    "annual": Band(D("6240"), D("10000"), D("50270")),
}


def band_for(frequency: str) -> Band | None:
    return BANDS_2026_27.get(frequency)


def qualifying_earnings(earnings: Decimal, frequency: str) -> Decimal:
    """Earnings between the period's lower and upper limits (Pensions Act 2008 s.13): nothing
    below the lower limit, at most upper - lower. Whole pence in, whole pence out (no rounding)."""
    band = band_for(frequency)
    if band is None:
        return Decimal("0.00")
    return max(min(earnings, band.upper) - band.lower, Decimal("0.00"))
