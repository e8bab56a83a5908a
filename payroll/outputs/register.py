"""The payroll register: one row per employee, one column per line code, a totals row."""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from hrops import exports
from payroll.outputs.types import SlipSummary

# Line categories in payslip order; columns follow it, then the code.
CATEGORY_ORDER = (
    "earning", "reimbursement", "pre_tax_deduction", "employee_tax", "post_tax_deduction",
    "employer_contribution", "employer_tax",
)
TOTAL_COLUMNS = (
    ("gross", "Gross pay"), ("total_pre_tax", "Pre-tax deductions"),
    ("total_employee_tax", "Employee taxes"), ("total_post_tax", "Post-tax deductions"),
    ("net", "Net pay"), ("employer_cost", "Employer cost"),
)
ZERO = Decimal("0.00")


def order_columns(seen: dict[tuple[str, str], str]) -> list[tuple[str, str, str]]:
    """(category, code, description) in a stable order from {(category, code): description}."""
    rank = {category: i for i, category in enumerate(CATEGORY_ORDER)}
    return sorted(
        ((cat, code, desc) for (cat, code), desc in seen.items()),
        key=lambda col: (rank.get(col[0], len(rank)), col[1]),
    )


def line_columns(slips: list[SlipSummary]) -> list[tuple[str, str, str]]:
    """(category, code, description) of every line code that appears, in a stable order."""
    seen: dict[tuple[str, str], str] = {}
    for slip in slips:
        for line in slip.lines:
            seen.setdefault((line.category, line.code), line.description)
    return order_columns(seen)


def stream(columns: list[tuple[str, str, str]],
           slips: Iterable[SlipSummary]) -> Iterator[list[object]]:
    """Header row, one row per payslip, then the totals row, one at a time (a streamed file
    holds one payslip in memory, not the run). Cells are str or Decimal."""
    header: list[object] = ["Employee number", "Name", "Department", "Payslip"]
    header += [f"{code} {desc}".strip() for _, code, desc in columns]
    header += [label for _, label in TOTAL_COLUMNS]
    yield header
    totals = [ZERO] * (len(columns) + len(TOTAL_COLUMNS))
    count = 0
    for slip in slips:
        amounts: dict[tuple[str, str], Decimal] = {}
        for line in slip.lines:
            key = (line.category, line.code)
            amounts[key] = amounts.get(key, ZERO) + line.amount
        values = [amounts.get((cat, code), ZERO) for cat, code, _ in columns]
        values += [getattr(slip, field) for field, _ in TOTAL_COLUMNS]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        count += 1
        yield [slip.employee_number, slip.name, slip.department, slip.number, *values]
    yield ["Total", f"{count} employees", "", "", *totals]


def table(slips: list[SlipSummary]) -> list[list[object]]:
    """Header row, one row per payslip, then the totals row. Cells are str or Decimal."""
    return list(stream(line_columns(slips), slips))


def csv_lines(rows: Iterable[list[object]]) -> Iterator[str]:
    """The CSV a line at a time, as `to_csv` writes it (shared writer, amounts to 2 places)."""
    return exports.csv_lines(rows, bom=False, decimal_places=2)


def to_csv(rows: list[list[object]]) -> bytes:
    """Through the shared export writer (formula cells neutralised); amounts to 2 places."""
    return exports.to_csv(rows, bom=False, decimal_places=2)


# The totals row bold, amounts from column 5 with two decimals, names and numbers frozen.
XLSX_OPTIONS = {"bold_last": True, "number_format": (5, "#,##0.00"), "freeze": "E2"}


def to_xlsx(rows: list[list[object]], *, title: str = "Register") -> bytes:
    return exports.to_xlsx(rows, title=title, **XLSX_OPTIONS)
