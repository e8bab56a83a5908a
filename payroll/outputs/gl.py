"""GL journal summary by department: debits for the cost of pay, credits for what is owed.

Per department: Dr salary expense (earnings), Dr reimbursements expense, Dr employer taxes and
Dr employer contributions; Cr net pay payable, Cr employee tax liabilities, Cr employer tax
liabilities, Cr deductions payable, Cr employer contributions payable. It balances because each
payslip's net = gross - deductions - employee taxes, to the cent, from its stored lines.
"""

from dataclasses import dataclass
from decimal import Decimal

from hrops import exports
from payroll.outputs.types import SlipSummary

ZERO = Decimal("0.00")

# (account, side, how the amount is found: a line category or the payslip's net)
ACCOUNTS = (
    ("5000 Salary expense", "debit", "earning"),
    ("5010 Reimbursements expense", "debit", "reimbursement"),
    ("5100 Employer taxes expense", "debit", "employer_tax"),
    ("5110 Employer contributions expense", "debit", "employer_contribution"),
    ("2100 Net pay payable", "credit", "net"),
    ("2200 Employee tax liabilities", "credit", "employee_tax"),
    ("2210 Employer tax liabilities", "credit", "employer_tax"),
    ("2300 Pre-tax deductions payable", "credit", "pre_tax_deduction"),
    ("2310 Post-tax deductions payable", "credit", "post_tax_deduction"),
    ("2320 Employer contributions payable", "credit", "employer_contribution"),
)


@dataclass(frozen=True, slots=True)
class JournalLine:
    department: str
    account: str
    debit: Decimal
    credit: Decimal


def journal(slips: list[SlipSummary]) -> list[JournalLine]:
    by_department: dict[str, dict[str, Decimal]] = {}
    for slip in slips:
        sums = by_department.setdefault(slip.department or "(no department)", {})
        sums["net"] = sums.get("net", ZERO) + slip.net
        for line in slip.lines:
            sums[line.category] = sums.get(line.category, ZERO) + line.amount
    lines: list[JournalLine] = []
    for department in sorted(by_department):
        sums = by_department[department]
        for account, side, source in ACCOUNTS:
            amount = sums.get(source, ZERO)
            if amount == 0:
                continue
            lines.append(JournalLine(
                department, account,
                amount if side == "debit" else ZERO, amount if side == "credit" else ZERO,
            ))
    return lines


def totals(lines: list[JournalLine]) -> tuple[Decimal, Decimal]:
    return (sum((x.debit for x in lines), ZERO), sum((x.credit for x in lines), ZERO))


def to_csv(lines: list[JournalLine], *, pay_date: str, reference: str) -> bytes:
    rows: list[list[object]] = [["Date", "Reference", "Department", "Account", "Debit",
                                 "Credit"]]
    for line in lines:
        rows.append([pay_date, reference, line.department, line.account,
                     line.debit if line.debit else "", line.credit if line.credit else ""])
    debit, credit = totals(lines)
    rows.append([pay_date, reference, "Total", "", debit, credit])
    return exports.to_csv(rows, bom=False, decimal_places=2)
