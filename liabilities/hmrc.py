"""What a UK employer pays HMRC each tax month: the P32 (employer payment record). Pure Python.

Rules (checked 1 December 2026):
- Tax month m runs from the 6th to the 5th: month 1 is 6 April - 5 May (HMRC "P32 employer
  payment record"; Income Tax (PAYE) Regulations 2003 reg 2(1) "tax month").
- Due by the 22nd of the next tax month when paid electronically, the 19th by cheque; quarterly
  payers (average monthly payments under 1,500) pay by the 22nd after the quarter (6 April - 5
  July due 22 July). A due date on a weekend or bank holiday moves to the last working day
  before it (GOV.UK "Pay employers' PAYE", https://www.gov.uk/pay-paye-tax).
- The bill: PAYE tax, employee and employer Class 1 NI, student and postgraduate loan
  deductions (GOV.UK "Pay employers' PAYE: what you're paying"), less statutory payments
  recovered (92% of SMP/SPP/SAP/ShPP/SPBP, or 100% + 3% compensation with Small Employer Relief:
  GOV.UK "Claim back statutory maternity, paternity, adoption and shared parental pay"; SSP is
  not recoverable since 6 April 2014: the Percentage Threshold Scheme ended) and less the
  Employment Allowance when claimed: up to 10,500 a tax year from 2025-26, set against employer
  Class 1 NI each time payroll runs until used up (GOV.UK "Employment Allowance",
  https://www.gov.uk/claim-employment-allowance).
- A month whose deductions are less than what may be recovered leaves a credit; HMRC sets it
  against the next payment of the tax year (or repays it on request through the EPS).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")
QUARTERLY_LIMIT = Decimal("1500.00")
EMPLOYMENT_ALLOWANCE = {"2025-26": Decimal("10500.00"), "2026-27": Decimal("10500.00")}
TAXES = ("paye", "employee_ni", "employer_ni", "student_loan", "postgraduate_loan")


def tax_year_of(day: date) -> str:
    start = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def tax_month_of(day: date) -> int:
    """1 for 6 April - 5 May ... 12 for 6 March - 5 April."""
    return (day.month - (4 if day.day >= 6 else 5)) % 12 + 1


def _month_end(tax_year: str, month: int) -> date:
    start_year = int(tax_year[:4])
    index = 4 + month  # tax month 1 ends on 5 May
    return date(start_year + (index - 1) // 12, (index - 1) % 12 + 1, 5)


def period_bounds(tax_year: str, month: int, *, quarterly: bool = False) -> tuple[date, date]:
    first = (month - 1) // 3 * 3 + 1 if quarterly else month
    last = first + 2 if quarterly else month
    start = _month_end(tax_year, first - 1) + timedelta(days=1) if first > 1 else (
        date(int(tax_year[:4]), 4, 6))
    return start, _month_end(tax_year, last)


def _last_working_day_on_or_before(day: date, holidays: Container[date]) -> date:
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


def due_dates(period_end: date, holidays: Container[date] = frozenset()) -> tuple[date, date]:
    """(electronic, cheque): the 22nd and 19th of the month the period ends in (the 5th), so of
    the next tax month, moved back to
    the last working day when they fall on a weekend or bank holiday (GOV.UK pay-paye-tax)."""
    return (_last_working_day_on_or_before(period_end.replace(day=22), holidays),
            _last_working_day_on_or_before(period_end.replace(day=19), holidays))


@dataclass(frozen=True, slots=True)
class SlipFigures:
    """One finalised payslip's part of the bill (pay date decides its tax month)."""

    pay_date: date
    paye: Decimal = ZERO
    employee_ni: Decimal = ZERO
    employer_ni: Decimal = ZERO
    student_loan: Decimal = ZERO
    postgraduate_loan: Decimal = ZERO
    statutory_recovered: Decimal = ZERO
    nic_compensation: Decimal = ZERO


@dataclass(slots=True)
class P32Row:
    tax_year: str
    month: int  # first tax month of the period (quarterly: 1, 4, 7, 10)
    quarterly: bool
    start: date
    end: date
    due: date
    due_by_cheque: date
    paye: Decimal = ZERO
    employee_ni: Decimal = ZERO
    employer_ni: Decimal = ZERO
    student_loan: Decimal = ZERO
    postgraduate_loan: Decimal = ZERO
    statutory_recovered: Decimal = ZERO
    nic_compensation: Decimal = ZERO
    employment_allowance: Decimal = ZERO
    credit_brought_forward: Decimal = ZERO
    amount_due: Decimal = ZERO
    credit_carried_forward: Decimal = ZERO
    payslips: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.tax_year}:{'Q' if self.quarterly else 'M'}{self.month:02d}"

    @property
    def label(self) -> str:
        if self.quarterly:
            return f"{self.tax_year} quarter {(self.month - 1) // 3 + 1} (months {self.month}-" \
                   f"{self.month + 2})"
        return f"{self.tax_year} month {self.month}"

    @property
    def deductions(self) -> Decimal:
        return sum((getattr(self, t) for t in TAXES), ZERO)


def p32(slips: Iterable[SlipFigures], *, employment_allowance_years: Container[str] = (),
        quarterly: bool = False, holidays: Container[date] = frozenset()) -> list[P32Row]:
    """The P32 rows, oldest first, for every period with a finalised payslip."""
    rows: dict[tuple[str, int], P32Row] = {}
    for slip in slips:
        year, month = tax_year_of(slip.pay_date), tax_month_of(slip.pay_date)
        first = (month - 1) // 3 * 3 + 1 if quarterly else month
        row = rows.get((year, first))
        if row is None:
            start, end = period_bounds(year, first, quarterly=quarterly)
            due, cheque = due_dates(end, holidays)
            row = rows[(year, first)] = P32Row(year, first, quarterly, start, end, due, cheque)
        for name in (*TAXES, "statutory_recovered", "nic_compensation"):
            setattr(row, name, getattr(row, name) + getattr(slip, name))
        row.payslips += 1
    ordered = [rows[k] for k in sorted(rows)]
    _settle(ordered, employment_allowance_years)
    return ordered


def _settle(rows: list[P32Row], claimed: Container[str]) -> None:
    """Employment Allowance against employer NI until the year's allowance is used, then the
    net bill; a negative month is a credit against the next period of the same tax year."""
    used: dict[str, Decimal] = {}
    credit: dict[str, Decimal] = {}
    for row in rows:
        if row.tax_year in claimed:
            allowance = EMPLOYMENT_ALLOWANCE.get(row.tax_year)
            if allowance is None:
                row.notes.append(f"No Employment Allowance amount known for {row.tax_year}")
            else:
                left = allowance - used.get(row.tax_year, ZERO)
                row.employment_allowance = max(ZERO, min(left, row.employer_ni))
                used[row.tax_year] = used.get(row.tax_year, ZERO) + row.employment_allowance
        row.credit_brought_forward = credit.get(row.tax_year, ZERO)
        net = (row.deductions - row.statutory_recovered - row.nic_compensation
               - row.employment_allowance - row.credit_brought_forward)
        row.amount_due = max(ZERO, net)
        row.credit_carried_forward = max(ZERO, -net)
        credit[row.tax_year] = row.credit_carried_forward


def quarterly_allowed(rows: Iterable[P32Row]) -> bool:
    """HMRC: quarterly payment is allowed when the average monthly payment is under 1,500."""
    amounts = [r.amount_due for r in rows if not r.quarterly]
    return bool(amounts) and sum(amounts, ZERO) / len(amounts) < QUARTERLY_LIMIT
