import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from payroll.outputs import gl, register
from tests.payroll_outputs.builders import slip

SLIPS = [
    slip("E1", "Engineering", ("BASIC", "earning", "3000.00"), ("PAYE", "employee_tax", "400.10"),
         ("NI", "employee_tax", "200.00"), ("PENSION", "pre_tax_deduction", "150.00"),
         ("ER_NI", "employer_tax", "330.00")),
    slip("E2", "Engineering", ("BASIC", "earning", "2500.00"), ("BONUS", "earning", "500.00"),
         ("PAYE", "employee_tax", "350.00"), ("LOAN", "post_tax_deduction", "100.00"),
         ("ER_PENSION", "employer_contribution", "75.00")),
    slip("E3", "Sales", ("BASIC", "earning", "1800.33"), ("EXPENSES", "reimbursement", "45.67"),
         ("PAYE", "employee_tax", "120.01"), ("ER_NI", "employer_tax", "150.00")),
]


def test_register_has_one_row_per_employee_one_column_per_code_and_a_totals_row():
    rows = register.table(SLIPS)
    header, body, totals = rows[0], rows[1:-1], rows[-1]
    # columns: identity, then codes in payslip category order, then the payslip totals
    assert header[:4] == ["Employee number", "Name", "Department", "Payslip"]
    codes = [h.split()[0] for h in header[4:-6]]
    assert codes == ["BASIC", "BONUS", "EXPENSES", "PENSION", "NI", "PAYE", "LOAN",
                     "ER_PENSION", "ER_NI"]
    assert header[-2:] == ["Net pay", "Employer cost"]
    assert [r[0] for r in body] == ["E1", "E2", "E3"]
    # a code the employee does not have is 0.00
    assert body[0][4 + codes.index("BONUS")] == Decimal("0.00")
    # the totals row sums each column
    for col in range(4, len(header)):
        assert totals[col] == sum(r[col] for r in body)
    assert totals[-2] == sum(s.net for s in SLIPS)


def test_register_csv_and_xlsx_carry_the_same_figures():
    rows = register.table(SLIPS)
    parsed = list(csv.reader(io.StringIO(register.to_csv(rows).decode())))
    assert parsed[-1][0] == "Total" and parsed[-1][-2] == f"{sum(s.net for s in SLIPS):.2f}"
    sheet = load_workbook(io.BytesIO(register.to_xlsx(rows))).active
    assert sheet.max_row == len(rows)
    assert [c.value for c in sheet[1]] == rows[0]
    assert Decimal(str(sheet.cell(sheet.max_row, len(rows[0]) - 1).value)) == rows[-1][-2]


def test_register_csv_neutralises_formula_injection():
    evil = slip("E9", "=HYPERLINK(\"x\")", ("BASIC", "earning", "1.00"))
    text = register.to_csv(register.table([evil])).decode()
    assert "'=HYPERLINK" in text


def test_gl_journal_balances_per_department_and_overall():
    lines = gl.journal(SLIPS)
    debit, credit = gl.totals(lines)
    assert debit == credit
    for department in ("Engineering", "Sales"):
        mine = [x for x in lines if x.department == department]
        assert sum(x.debit for x in mine) == sum(x.credit for x in mine)
    net = next(x for x in lines if x.department == "Sales" and x.account.startswith("2100"))
    assert net.credit == SLIPS[2].net
    salary = next(x for x in lines if x.department == "Engineering" and
                  x.account.startswith("5000"))
    assert salary.debit == Decimal("6000.00")


def test_gl_csv_ends_with_equal_totals():
    data = gl.to_csv(gl.journal(SLIPS), pay_date="2026-11-27", reference="RUN-7").decode()
    last = list(csv.reader(io.StringIO(data)))[-1]
    assert last[2] == "Total" and last[4] == last[5]
