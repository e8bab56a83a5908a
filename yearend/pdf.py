"""Year-end document PDFs with the payslips' WeasyPrint setup (shipped Noto Sans, no network, no
timestamps: the same document renders to the same bytes), from the figures stored with the
document. Templates use only the elements payroll.pdf's small user-agent sheet styles."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from delivery.files import store_atomically
from payroll.pdf import render_pdf, sha256
from yearend.models import DocumentKind, YearEndDocument

log = logging.getLogger(__name__)
TEMPLATES = {DocumentKind.P60: "yearend/pdf/p60.html", DocumentKind.P45: "yearend/pdf/p45.html",
             DocumentKind.W2: "yearend/pdf/w2.html"}
# Form W-2: the copies given to the employee (2026 General Instructions for Forms W-2 and W-3,
# "Furnishing Copies B, C, and 2 to employees"); Copy A goes to the SSA in the EFW2 file.
W2_COPIES = (("B", "To be filed with employee's federal tax return"),
             ("C", "For employee's records"),
             ("2", "To be filed with employee's state, city, or local income tax return"))

# P45 (HMRC "P45: details of employee leaving work"): Part 1A for the employee; Parts 2 and 3
# go with the employee to the new employer (Part 1 is the leaver on the FPS, not a paper copy).
P45_PARTS = (("1A", "copy for employee"), ("2", "copy for new employer"),
             ("3", "new employee details, for the new employer"))


def _ni_number(document: YearEndDocument) -> str:
    """The P60 and P45 print the National Insurance number in full (HMRC forms, box 2)."""
    employee = document.employee
    if employee.national_id_country in ("GB", "") and employee.national_id:
        return employee.national_id
    return ""


def _ssn(document: YearEndDocument) -> str:
    """Box a on the employee's copies: truncated to the last four digits (General Instructions
    for Forms W-2 and W-3, "Truncating employee's SSN on copies B, C, 2")."""
    last4 = document.employee.national_id_last4
    return f"XXX-XX-{last4}" if last4 else ""


def document_html(document: YearEndDocument) -> str:
    figures = document.figures
    context = {"doc": document, "f": figures, "employer": figures.get("employer", {}),
               "person": figures.get("employee", {})}
    if document.kind == DocumentKind.W2:
        context |= {"ssn": _ssn(document), "copies": W2_COPIES}
    else:
        context |= {"ni_number": _ni_number(document), "parts": P45_PARTS}
    return render_to_string(TEMPLATES[document.kind], context)


def w3_pdf(schedule, w3) -> bytes:
    """Form W-3 of an employer's year, rendered when asked (one page, from the stored W-2s'
    totals: yearend.services.filing.w3_for_year). Box b: kind of payer 941 (the Form 941 filer
    HROps supports), kind of employer "None apply" (not a tax-exempt, state or federal
    employer: General Instructions for Forms W-2 and W-3, "Box b—Kind of Payer" and "Kind of
    Employer"). The control number (box a) is optional: HROps prints the schedule's id."""
    return render_pdf(render_to_string("yearend/pdf/w3.html", {
        "schedule": schedule, "w3": w3, "control": f"HROPS-{schedule.pk}-{w3.tax_year}",
        # one line: the PDF's small user-agent sheet does not break lines at <br>
        "address": ", ".join(x.strip() for x in (schedule.employer_address or "").splitlines()
                             if x.strip())}))


def pdf_name(document: YearEndDocument) -> str:
    return f"yearend/{document.tax_year}/{document.kind}-{document.pk}.pdf"


def document_render(document_id: int) -> str | None:
    """Render and store the PDF once (idempotent: a ready document is kept). Slow work happens
    outside any transaction; the status is set by one conditional UPDATE afterwards."""
    document = YearEndDocument.objects.select_related("employee").filter(pk=document_id).first()
    if document is None:
        log.warning("year-end document %s vanished before rendering", document_id)
        return None
    if document.pdf_status == YearEndDocument.PdfStatus.READY and document.pdf_file and \
            default_storage.exists(document.pdf_file.name):
        return document.pdf_status
    try:
        data = render_pdf(document_html(document))
        name = pdf_name(document)
        store_atomically(name, data)
    except Exception as exc:
        log.exception("year-end document %s failed to render", document_id)
        YearEndDocument.objects.filter(pk=document_id).update(
            pdf_status=YearEndDocument.PdfStatus.FAILED,
            pdf_error=f"{type(exc).__name__}: {exc}"[:2000])
        return YearEndDocument.PdfStatus.FAILED
    YearEndDocument.objects.filter(pk=document_id).update(
        pdf_status=YearEndDocument.PdfStatus.READY, pdf_file=name, pdf_sha256=sha256(data),
        pdf_error="")
    return YearEndDocument.PdfStatus.READY
