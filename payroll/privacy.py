"""Payroll's part of a GDPR subject-access export (Art. 15): everything payroll holds about one
person. Called by ``compliance.services.exports`` as ``payroll.privacy.subject_access_data``.

What is included, and why:

* pay setup — tax profiles (W-4 / tax code and NI category: the person's own declarations, in
  full), recurring pay items, and one-off run inputs of every run, draft ones included (these
  are data held about the person now, whether or not a run has used them yet);
* every payslip of a FINALISED (or paid) run, with its lines, calculation trace, YTD, net pay,
  number, period and pay date, and its PDF when it has been rendered (``files``).
  Payslips of draft/calculated/approved runs are left out on purpose: they are working figures
  that are recalculated (and replaced) until the run is finalised, were never issued to the
  person and are not records of pay; the inputs they were calculated from are included above.

Bank account numbers and the national ID are not payroll's data: they live on the employee
record: compliance's export writes the national ID with the employee, and the employees hook
(employees.privacy) the bank accounts, so this hook adds neither. Payroll stores no copy, and the
rendered payslip PDFs show the account masked (last 4), exactly as they were issued.

Money is written as strings (Decimal), dates as ISO strings. A fixed handful of queries,
however many payslips the person has.
"""

from datetime import date, datetime
from decimal import Decimal

from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from employees.models import Employee
from payroll.models import EmployeePayItem, Payslip, RunInput, TaxProfile
from payroll.selectors_payslips import payslips_issued_to

ABOUT = gettext_noop(
    "Payslips are listed for finalised pay runs only; figures of runs still being prepared are "
    "provisional and replaced until the run is finalised. Amounts are in each payslip's "
    "currency. Rendered payslip PDFs are in files/payroll/."
)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _row(obj, **extra: object) -> dict:
    return {k: _plain(v) for k, v in (model_to_dict(obj) | {"id": obj.pk} | extra).items()}


def pdf_archive_name(payslip: Payslip) -> str:
    number = payslip.display_number or f"payslip-{payslip.pk}"
    return f"files/payroll/{payslip.run.pay_date.isoformat()}-{number}.pdf"


def _payslip(payslip: Payslip, pdf_name: str) -> dict:
    run, period = payslip.run, payslip.run.period
    return {
        "number": payslip.display_number, "run_kind": run.kind,
        "period_start": period.start_date.isoformat(), "period_end": period.end_date.isoformat(),
        "pay_date": run.pay_date.isoformat(), "tax_year": payslip.tax_year,
        "country": run.schedule.country, "currency": payslip.currency,
        **{field: str(getattr(payslip, field)) for field in (
            "gross", "total_pre_tax", "total_employee_tax", "total_post_tax", "net",
            "employer_cost")},
        "ytd": payslip.ytd,
        "lines": [
            {"code": x.code, "description": x.description, "category": x.category,
             "quantity": _plain(x.quantity), "rate": _plain(x.rate), "amount": str(x.amount),
             "trace": x.trace}
            for x in payslip.lines.all()
        ],
        "flags": [{"code": f.get("code"), "message": f.get("message")} for f in payslip.flags],
        "pdf_file": pdf_name, "pdf_sha256": payslip.pdf_sha256 if pdf_name else "",
    }


def subject_access_data(employee: Employee) -> dict:
    """Payroll's section of the export. The ``files`` entry lists (archive name, storage name)
    pairs for compliance's zip writer to copy in; it is not written to data.json."""
    payslips = list(payslips_issued_to(employee.pk).prefetch_related("lines"))
    files: list[tuple[str, str]] = []
    issued: list[dict] = []
    for payslip in payslips:
        pdf_name = ""
        if payslip.pdf_status == Payslip.PdfStatus.READY and payslip.pdf_file:
            pdf_name = pdf_archive_name(payslip)
            files.append((pdf_name, payslip.pdf_file.name))
        issued.append(_payslip(payslip, pdf_name))
    return {
        "about": _(ABOUT),
        "tax_profiles": [_row(t) for t in TaxProfile.objects.filter(employee=employee)],
        "pay_items": [
            _row(i, component=i.component.code, component_name=i.component.name)
            for i in EmployeePayItem.objects.filter(employee=employee).select_related("component")
        ],
        "run_inputs": [
            _row(i, component=i.component.code, component_name=i.component.name,
                 run_kind=i.run.kind, run_status=i.run.status,
                 pay_date=i.run.pay_date.isoformat(),
                 period_start=i.run.period.start_date.isoformat(),
                 period_end=i.run.period.end_date.isoformat())
            for i in RunInput.objects.filter(employee=employee)
            .select_related("run__period", "component").order_by("run__pay_date", "pk")
        ],
        "payslips": issued,
        "files": files,
    }
