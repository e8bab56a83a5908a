"""Benchmark: payslips per second through ``payroll.engine.calculate`` on one core.

Run from the repository root:  python bench/payroll_engine.py [--count 20000] [--profile]
Builds a deterministic mix of US and UK employees (salaried and hourly, with pre-tax, post-tax and
employer components, mid-period hires, leavers, pay changes and unpaid leave), then times only
the ``calculate`` calls.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from payroll.engine import (
    USW4,
    CompensationSegment,
    PayInputs,
    PayItem,
    UKTaxProfile,
    YearToDate,
    calculate,
)
from payroll.engine import components as c

UK_CODES = ("1257L", "1257L", "S1257L", "C1257L", "K475", "BR", "D0", "1100L W1", "0T")
UK_CATEGORIES = tuple("AAAABCHJMZ")


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _segments(rng: random.Random, start: date, end: date, hourly: bool):
    if hourly:
        return (CompensationSegment(date(2024, 1, 1), hourly_rate=_money(rng, 12, 60)),)
    salary = Decimal(rng.randint(20_000, 250_000))
    if rng.random() < 0.1:  # a mid-period pay change
        change = start + timedelta(days=rng.randint(1, (end - start).days))
        return (
            CompensationSegment(date(2024, 1, 1), change - timedelta(days=1), annual_salary=salary),
            CompensationSegment(change, None, annual_salary=salary + 5000, reason="raise"),
        )
    return (CompensationSegment(date(2024, 1, 1), annual_salary=salary),)


def _common(rng: random.Random, start: date, end: date) -> dict:
    hourly = rng.random() < 0.3
    extra: dict = {"compensation": _segments(rng, start, end, hourly)}
    if hourly:
        extra["hours_worked"] = Decimal(rng.randint(20, 45))
        extra["overtime_hours"] = Decimal(rng.choice([0, 0, 2, 5]))
    roll = rng.random()
    if roll < 0.05:
        extra["employment_start"] = start + timedelta(days=rng.randint(1, 20))
    elif roll < 0.10:
        extra["employment_end"] = start + timedelta(days=rng.randint(1, 20))
    elif roll < 0.15:
        extra["unpaid_leave_days"] = (start + timedelta(days=3), start + timedelta(days=4))
        extra["proration_basis"] = "working_days"
    return extra


def us_employee(rng: random.Random) -> PayInputs:
    start, end = date(2026, 6, 1), date(2026, 6, 30)
    items = [PayItem(c.US_401K, rate=Decimal(rng.choice(["0.03", "0.05", "0.10"]))),
             PayItem(c.US_SECTION_125, amount=_money(rng, 50, 400)),
             PayItem(c.EMPLOYER_PENSION, rate=Decimal("0.04"))]
    if rng.random() < 0.2:
        items.append(PayItem(c.BONUS, amount=_money(rng, 100, 5000)))
    if rng.random() < 0.1:
        items.append(PayItem(c.GARNISHMENT, amount=_money(rng, 100, 1500)))
    if rng.random() < 0.2:
        items.append(PayItem(c.NON_TAXABLE_REIMBURSEMENT, amount=_money(rng, 10, 300)))
    w4 = (USW4(filing_status=rng.choice(["single", "married_filing_jointly", "head_of_household"]),
               step3_credits=Decimal(rng.choice([0, 0, 2000, 4000])))
          if rng.random() < 0.85 else USW4(form_year=2019, allowances=rng.randint(0, 4)))
    return PayInputs(
        jurisdiction="US", pay_date=date(2026, 6, 30), period_start=start, period_end=end,
        pay_frequency="monthly", items=tuple(items), us_w4=w4,
        ytd=YearToDate(us_fica_wages=_money(rng, 0, 250_000)), **_common(rng, start, end),
    )


def uk_employee(rng: random.Random) -> PayInputs:
    start, end = date(2026, 6, 6), date(2026, 7, 5)
    items = [PayItem(rng.choice([c.UK_PENSION_NET_PAY, c.UK_PENSION_RAS]), rate=Decimal("0.05")),
             PayItem(c.EMPLOYER_PENSION, rate=Decimal("0.03"))]
    if rng.random() < 0.2:
        items.append(PayItem(c.LOAN_REPAYMENT, amount=_money(rng, 20, 200)))
    pay_so_far = _money(rng, 0, 40_000)
    return PayInputs(
        jurisdiction="UK", pay_date=date(2026, 6, 30), period_start=start, period_end=end,
        pay_frequency="monthly", period_number=3, items=tuple(items),
        uk_tax=UKTaxProfile(tax_code=rng.choice(UK_CODES), ni_category=rng.choice(UK_CATEGORIES)),
        ytd=YearToDate(uk_taxable_pay=pay_so_far, uk_tax_paid=(pay_so_far * Decimal("0.15"))
                       .quantize(Decimal("0.01"))),
        **_common(rng, start, end),
    )


def build(count: int, seed: int = 2026) -> list[PayInputs]:
    rng = random.Random(seed)
    return [us_employee(rng) if rng.random() < 0.5 else uk_employee(rng) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    employees = build(args.count)
    calculate(employees[0])  # load and parse the data files outside the timed loop
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            for inputs in employees:
                calculate(inputs)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return
    started = time.perf_counter()
    for inputs in employees:
        calculate(inputs)
    seconds = time.perf_counter() - started
    print(f"{args.count} payslips in {seconds:.2f} s: {args.count / seconds:,.0f} payslips/second "
          f"(one core, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
