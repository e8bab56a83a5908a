"""Payroll's part of anonymising a former employee whose retention period has passed.

Called by compliance's retention purge (``compliance.services.retention_employees``) through
the hook ``payroll.services.retention.employee_data_erase`` inside its transaction, only after
``payroll.retention`` has found that the person's payroll records are past their statutory
period. Payslips and their lines stay: they are immutable records of pay, and their amounts do
not identify anyone once the employee record is anonymised. The rendered PDFs print the
person's name and address, so the files are deleted (after commit) and the payslip is marked
PURGED so that nothing renders or emails it again. Only delivery fields change, which the
Payslip immutability guard allows; no money field is touched.
"""

from django.db import transaction

from employees.models import Employee
from hrops.uploads import delete_files_on_commit
from payroll.models import Payslip


@transaction.atomic
def employee_data_erase(*, acting_user, employee: Employee) -> dict[str, int]:
    """Delete the person's rendered payslip PDFs; returns {"payslip PDFs": n}. Idempotent.
    The caller records the audit event (one for the whole anonymisation)."""
    payslips = Payslip.objects.filter(employee=employee).exclude(
        pdf_status=Payslip.PdfStatus.PURGED)
    files = [name for name in payslips.exclude(pdf_file="").values_list("pdf_file", flat=True)]
    # A queryset update (no save()) of delivery fields only; a row lock is not needed because
    # nothing else writes these payslips' delivery fields once the PDF is READY, and a render
    # that is still PENDING or FAILED is claimed by a conditional UPDATE on its status.
    payslips.update(pdf_status=Payslip.PdfStatus.PURGED, pdf_file="", pdf_sha256="",
                    pdf_error="")
    delete_files_on_commit(files)
    return {"payslip PDFs": len(files)}
