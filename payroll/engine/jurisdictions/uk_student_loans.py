"""UK student and postgraduate loan deductions (HMRC "Collection of student loans" guidance for
employers, CSL3 / "Special rules for student loans"; GOV.UK "Rates and thresholds for employers").

- earnings are the period's earnings for Class 1 NI; deductions are non-cumulative, worked out
  for each pay period on its own;
- the period threshold is the annual threshold / periods in the year (52, 26, 13 or 12),
  truncated to the penny (HMRC's published weekly and monthly figures: e.g. Plan 1 2025-26,
  26,065 / 12 = 2,172.08);
- deduction = rate x (earnings - threshold) when earnings exceed it, rounded DOWN to the whole
  pound; 9% for Plans 1, 2, 4 and 5, 6% for the Postgraduate Loan;
- one undergraduate plan at a time; a Postgraduate Loan is deducted alongside it.
Thresholds are in the year's data file (``student_loans``); a plan without a threshold that
year (Plan 5 before 6 April 2026) deducts nothing.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from payroll.engine.money import CENT, ZERO, floor_pounds, fmt, fmt_rate, quantize
from payroll.engine.tax_years import load
from payroll.engine.types import PayLine

PLANS = ("plan_1", "plan_2", "plan_4", "plan_5")
PLAN_NAMES = {"plan_1": "Plan 1", "plan_2": "Plan 2", "plan_4": "Plan 4", "plan_5": "Plan 5"}
PERIODS = {"weekly": 52, "fortnightly": 26, "four_weekly": 13, "monthly": 12}
RULE = ("HMRC collection of student loans: non-cumulative; rate x (NI-able earnings - period "
        "threshold), rounded down to the whole pound; period threshold = annual / periods, "
        "truncated to the penny")


def _line(code: str, name: str, *, annual: Decimal, rate: Decimal, earnings: Decimal,
          frequency: str, tax_year: str) -> PayLine:
    threshold = quantize(annual / PERIODS[frequency], CENT, rounding=ROUND_DOWN)
    above = earnings - threshold
    # Down to the whole pound (HMRC), then written with pence like every other line.
    amount = quantize(floor_pounds(rate * above) if above > ZERO else ZERO, CENT,
                      rounding=ROUND_DOWN)
    formula = (f"{fmt_rate(rate)} x ({fmt(earnings)} - {fmt(threshold)}) = {amount}"
               if above > ZERO else f"{fmt(earnings)} not above threshold {fmt(threshold)}: 0")
    return PayLine(code, name, "employee_tax", amount, trace={
        "inputs": {"earnings": str(earnings), "pay_frequency": frequency, "tax_year": tax_year},
        "table": {"annual_threshold": str(annual), "period_threshold": str(threshold),
                  "rate": str(rate)},
        "formula": formula, "rule": RULE})


def student_loan_lines(*, tax_year: str, pay_frequency: str, earnings: Decimal, plan: str,
                       postgraduate: bool) -> list[PayLine]:
    if not plan and not postgraduate:
        return []
    if plan and plan not in PLANS:
        raise ValueError(f"unknown student loan plan {plan!r}")
    if pay_frequency not in PERIODS:
        raise ValueError(f"no student loan thresholds for {pay_frequency} pay")
    data = load("UK", tax_year)["student_loans"]
    lines = []
    if plan and data["thresholds"].get(plan):
        lines.append(_line("SL", f"Student loan ({PLAN_NAMES[plan]})",
                           annual=Decimal(data["thresholds"][plan]),
                           rate=Decimal(data["rates"]["undergraduate"]), earnings=earnings,
                           frequency=pay_frequency, tax_year=tax_year))
    if postgraduate:
        lines.append(_line("PGL", "Postgraduate loan",
                           annual=Decimal(data["thresholds"]["postgraduate"]),
                           rate=Decimal(data["rates"]["postgraduate"]), earnings=earnings,
                           frequency=pay_frequency, tax_year=tax_year))
    return lines
