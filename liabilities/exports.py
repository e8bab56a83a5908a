"""The P32 as CSV or XLSX, through the shared export writer (hrops.exports), audited."""

from dataclasses import dataclass

from audit.services import audit_record
from hrops import exports
from liabilities.employers import LegalEmployer
from liabilities.services import employer_row_lock

HEADER = ["Period", "From", "To", "Due (electronic)", "Due (cheque)", "PAYE tax",
          "Employee NI", "Employer NI", "Student loans", "Postgraduate loans",
          "Statutory pay recovered", "NIC compensation", "Employment Allowance",
          "Credit brought forward", "Amount due", "Paid", "Left to pay"]


@dataclass(frozen=True)
class OutputFile:
    filename: str
    content_type: str
    data: bytes


def p32_rows(items) -> list[list[object]]:
    rows: list[list[object]] = [HEADER]
    for item in items:
        r = item.detail
        rows.append([r.label, r.start, r.end, r.due, r.due_by_cheque, r.paye, r.employee_ni,
                     r.employer_ni, r.student_loan, r.postgraduate_loan, r.statutory_recovered,
                     r.nic_compensation, r.employment_allowance, r.credit_brought_forward,
                     r.amount_due, item.paid, item.remaining])
    return rows


def p32_file(employer: LegalEmployer, items, *, fmt: str, acting_user) -> OutputFile:
    from django.db import transaction

    with transaction.atomic():
        audit_record(actor=acting_user, action="export", obj=employer_row_lock(employer),
                     note=f"p32.{fmt}")
    stem = f"p32-{employer.slug}"
    if fmt == "xlsx":
        return OutputFile(f"{stem}.xlsx", exports.XLSX_CONTENT_TYPE,
                          exports.to_xlsx(p32_rows(items), title="P32"))
    return OutputFile(f"{stem}.csv", "text/csv; charset=utf-8",
                      exports.to_csv(p32_rows(items), bom=False, decimal_places=2))
