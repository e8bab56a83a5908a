"""GL journal summary by department: debits for the cost of pay, credits for what is owed.

Per department: Dr salary expense (earnings), Dr reimbursements expense, Dr employer taxes and
Dr employer contributions; Cr net pay payable, Cr each tax liability by authority and tax (the
HMRC and IRS accounts below, from the payslip lines' codes; any other tax line in the "other"
accounts), Cr deductions payable, Cr employer contributions payable. US runs also accrue FUTA
(Dr FUTA expense, Cr FUTA payable: 0.6% of the FUTA wages paid, Form 940 line 8). It balances
because each payslip's net = gross - deductions - employee taxes, to the cent, from its stored
lines, and each tax line is credited to exactly one liability account.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hrops import exports
from payroll.outputs.types import SlipSummary

ZERO = Decimal("0.00")

# Tax line code -> its liability account, by authority (HMRC: PAYE, NI, student loans; IRS: federal
# income tax, Social Security and Medicare, employee and employer shares apart).
TAX_ACCOUNTS = {
    "PAYE": "2201 PAYE income tax payable (HMRC)",
    "NI_EE": "2202 Employee NI payable (HMRC)",
    "NI_ER": "2203 Employer NI payable (HMRC)",
    "SL": "2204 Student loan deductions payable (HMRC)",
    "PGL": "2205 Postgraduate loan deductions payable (HMRC)",
    "FIT": "2221 Federal income tax withheld (IRS)",
    "SS": "2222 Employee Social Security payable (IRS)",
    "ER_SS": "2223 Employer Social Security payable (IRS)",
    "MEDICARE": "2224 Employee Medicare payable (IRS)",
    "ADDL_MEDICARE": "2224 Employee Medicare payable (IRS)",
    "ER_MEDICARE": "2225 Employer Medicare payable (IRS)",
}
TAX_CATEGORIES = ("employee_tax", "employer_tax")
FUTA_NET_RATE = Decimal("0.006")  # 6.0% less the 5.4% state credit (Form 940 line 8)

# (account, side, how the amount is found: a line category, "tax:<code>", "futa" or the net)
ACCOUNTS = (
    ("5000 Salary expense", "debit", "earning"),
    ("5010 Reimbursements expense", "debit", "reimbursement"),
    ("5100 Employer taxes expense", "debit", "employer_tax"),
    ("5110 Employer contributions expense", "debit", "employer_contribution"),
    ("5120 FUTA expense", "debit", "futa"),
    ("2100 Net pay payable", "credit", "net"),
    *((account, "credit", f"tax:{code}") for code, account in TAX_ACCOUNTS.items()),
    ("2290 Other employee tax liabilities", "credit", "other:employee_tax"),
    ("2295 Other employer tax liabilities", "credit", "other:employer_tax"),
    ("2240 FUTA payable (IRS)", "credit", "futa"),
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
        sums["futa_wages"] = sums.get("futa_wages", ZERO) + slip.futa_wages
        for line in slip.lines:
            sums[line.category] = sums.get(line.category, ZERO) + line.amount
            if line.category in TAX_CATEGORIES:
                # Each tax line is credited once: to its tax's account, else to "other".
                source = (f"tax:{line.code}" if line.code in TAX_ACCOUNTS
                          else f"other:{line.category}")
                sums[source] = sums.get(source, ZERO) + line.amount
    lines: list[JournalLine] = []
    for department in sorted(by_department):
        sums = by_department[department]
        # Rounded once per department and account, half up to the cent (Form 940 instructions).
        sums["futa"] = (sums["futa_wages"] * FUTA_NET_RATE).quantize(ZERO, ROUND_HALF_UP)
        totals_by_account: dict[tuple[str, str], Decimal] = {}
        for account, side, source in ACCOUNTS:
            key = (account, side)
            totals_by_account[key] = totals_by_account.get(key, ZERO) + sums.get(source, ZERO)
        for (account, side), amount in totals_by_account.items():
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
