"""From entitled days to payslip lines: what is due in this pay run, grouped and rounded once.

Due = every entitled day up to the end of the pay period that no finalised payslip has paid yet
(``paid``): days of the period itself, and earlier days recorded late or that became payable
late (a PIW is only known once it reaches 4 days). Each day is paid exactly once.

Salary for the same days (HROps policy, stated in every trace): statutory pay is paid IN
ADDITION to salary, unless the days are recorded as unpaid leave, which the salary proration
already deducts (``unpaid``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.engine.money import ceil_pence, fmt, half_up_cents
from payroll.engine.statutory import rates as R
from payroll.engine.statutory.types import (
    CODES,
    LABELS,
    RECOVERABLE_KINDS,
    SICKNESS,
    Claim,
    EntitledDay,
    StatutoryLine,
)

ZERO = Decimal(0)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RULES = {
    SICKNESS: "SSP (Employment Rights Act 2025, from 6 April 2026): from the first qualifying "
              "day of a PIW, lower of the flat rate and 80% of AWE; daily rate = weekly / "
              "qualifying days in the week, truncated to 4 dp; payment rounded up to the penny",
    "family": "SSCBA 1992 ss.164-171ZZ (and Parts 12ZD, 12ZE: parental bereavement, neonatal "
              "care): one seventh of the weekly rate a day; payment rounded up to the next "
              "penny (SMP (General) Regs 1986 reg 28; SPP and SAP (Weekly Rates) Regs 2002 "
              "reg 4; HROps rounds SNCP and SPBP the same way)",
}
POLICY = ("HROps: statutory pay is paid in addition to salary; days recorded as unpaid leave "
          "are deducted from salary by proration")


def span(first: date, last: date) -> str:
    """'3 - 14 Nov', '28 Nov - 2 Dec', '28 Dec 2026 - 2 Jan 2027' with en dashes (display)."""
    if first == last:
        return f"{first.day} {MONTHS[first.month - 1]}"
    if first.year != last.year:
        return (f"{first.day} {MONTHS[first.month - 1]} {first.year} \u2013 {last.day} "
                f"{MONTHS[last.month - 1]} {last.year}")
    if first.month == last.month:
        return f"{first.day} \u2013 {last.day} {MONTHS[last.month - 1]}"
    return f"{first.day} {MONTHS[first.month - 1]} \u2013 {last.day} {MONTHS[last.month - 1]}"


def _description(kind: str, tier: str, days: list[EntitledDay]) -> str:
    label = f"{LABELS[kind]} {span(days[0].day, days[-1].day)}"
    count = len(days)
    if kind == SICKNESS:
        return f"{label} ({count} day{'s' if count != 1 else ''})"
    length = f"{count // 7} week{'s' if count // 7 != 1 else ''}" if count % 7 == 0 else (
        f"{count} day{'s' if count != 1 else ''}")
    rate = "90% of AWE" if tier == "90%" else f"{fmt(days[0].weekly_rate)} a week"
    return f"{label} ({length} at {rate})"


def _recovery(kind: str, amount: Decimal, small_employer: bool, paid_on: date
              ) -> tuple[Decimal, Decimal]:
    """(recovered, NIC compensation): SSP none; otherwise 92%, or 100% + the compensation
    rate (3%; 8.5% for payments from 6 April 2025) with Small Employer Relief; each half up to
    the penny once per line (HROps: HMRC prescribes no rounding; the EPS takes pounds and
    pence). The pay run's period end stands for the payment date."""
    if kind not in RECOVERABLE_KINDS:
        return ZERO, ZERO
    if small_employer:
        return amount, half_up_cents(amount * R.ser_compensation_rate(paid_on))
    return half_up_cents(amount * R.RECOVERY_RATE), ZERO


def statutory_lines(claims: list[Claim], *, period_end: date, paid: frozenset[tuple[str, date]],
                    unpaid: frozenset[date] = frozenset(), small_employer: bool = False
                    ) -> list[StatutoryLine]:
    lines = []
    for claim in claims:
        due = [d for d in claim.days if d.day <= period_end and (d.kind, d.day) not in paid]
        for tier in sorted({d.tier for d in due}):
            days = [d for d in due if d.tier == tier]
            exact = sum((d.exact for d in days), ZERO)
            amount = ceil_pence(exact)  # a fraction of a penny is rounded up (RULES)
            recovered, compensation = _recovery(claim.kind, amount, small_employer, period_end)
            unpaid_days = [d.day.isoformat() for d in days if d.day in unpaid]
            trace = {
                "inputs": {"kind": claim.kind, "claim_start": claim.start.isoformat(),
                           **claim.basis, **(claim.awe.as_trace() if claim.awe else {}),
                           "days": [d.day.isoformat() for d in days]},
                "table": {d.day.isoformat(): d.note for d in days},
                "formula": f"{len(days)} days, sum of daily amounts {fmt(exact)} rounded up "
                           f"= {amount}",
                "rule": RULES[SICKNESS if claim.kind == SICKNESS else "family"],
                "salary": (f"{POLICY}; unpaid leave on {len(unpaid_days)} of these days"
                           if unpaid_days else f"{POLICY}; none of these days is unpaid leave: "
                           "salary paid in full"),
            }
            if claim.kind in RECOVERABLE_KINDS:
                trace["recoverable"] = (
                    f"small employer relief: {amount} + "
                    f"{R.ser_compensation_rate(period_end) * 100:.1f}% {compensation} compensation"
                    if small_employer else f"92% x {amount} = {recovered}")
            lines.append(StatutoryLine(CODES[claim.kind], claim.kind,
                                       _description(claim.kind, tier, days), amount,
                                       tuple(d.day for d in days), recovered, compensation,
                                       trace))
    return lines
