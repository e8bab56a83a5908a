"""Year-end documents: the employee's own (portal), anyone's for HR Admin and Payroll Admin, and
a schedule's year (produce, close, bulk ZIP, W-3 totals, EFW2 file) for Payroll Admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.profile import profile_tabs
from employees.selectors import employee_for_user
from hrops.downloads import stored_file_response
from payroll.models import PaySchedule
from yearend import access, selectors
from yearend.forms import CloseForm, FilingSettingsForm
from yearend.models import DocumentBundle, DocumentKind, FilingSettings, YearEndDocument
from yearend.pdf import w3_pdf
from yearend.services import bundles, documents, filing
from yearend.services.close import year_close


def _year(request: HttpRequest, pk: int, tax_year: str) -> PaySchedule:
    access.require_year_end_staff(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    if tax_year not in selectors.tax_years_of(schedule):
        raise Http404(_("No payslips in that tax year."))
    return schedule


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def index(request: HttpRequest) -> HttpResponse:
    access.require_year_end_staff(request.user)
    return render(request, "yearend/index.html", {"years": selectors.years_overview()})


def my_documents(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    docs = list(selectors.documents_of(me.pk)) if me else []
    return render(request, "yearend/my_documents.html", {"me": me, "documents": docs})


def employee_documents(request: HttpRequest, pk: int) -> HttpResponse:
    employee = access.employee_for_documents(request.user, pk)
    return render(request, "yearend/employee_documents.html", {
        "employee": employee, "documents": selectors.documents_of(employee.pk),
        "current": "yearend", "tabs": profile_tabs(request.user, employee)})


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.document_for_viewer(request.user, pk)
    if document.pdf_status != YearEndDocument.PdfStatus.READY or not document.pdf_file:
        raise Http404(_("This document's PDF is not ready yet."))
    response = stored_file_response(document.pdf_file, content_type="application/pdf",
                                    filename=document.filename)
    documents.document_download_audit(document=document, acting_user=request.user)
    return response


def year_detail(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    schedule = _year(request, pk, tax_year)
    settings = FilingSettings.objects.filter(schedule=schedule).first()
    context = {
        "schedule": schedule, "tax_year": tax_year,
        "close": selectors.year_close_for(schedule, tax_year),
        "open_runs": selectors.unfinalised_runs(schedule, tax_year).count(),
        "documents": selectors.documents_for_year(schedule, tax_year),
        "bundles": DocumentBundle.objects.filter(schedule=schedule, tax_year=tax_year)[:5],
        "close_form": CloseForm(), "is_uk": schedule.jurisdiction == "UK",
        "filing_form": FilingSettingsForm(instance=settings),
    }
    if schedule.jurisdiction == "US":
        context["w3"] = filing.w3_for_year(schedule, tax_year)
    return render(request, "yearend/year.html", context)


def w3_download(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    """Form W-3 as a PDF (US schedules; the same staff as the year page). Rendered outside any
    transaction, audited as an export."""
    schedule = _year(request, pk, tax_year)
    if schedule.jurisdiction != "US":
        raise Http404(_("Form W-3 is for US schedules."))
    w3 = filing.w3_for_year(schedule, tax_year)
    if not w3.count:
        messages.error(request, _("No Forms W-2 have been produced for %(year)s yet.")
                       % {"year": tax_year})
        return redirect("yearend:year", pk=pk, tax_year=tax_year)
    data = w3_pdf(schedule, w3)
    filing.w3_download_audit(schedule=schedule, tax_year=tax_year, count=w3.count,
                             acting_user=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="W-3-{tax_year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def produce(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    schedule = _year(request, pk, tax_year)
    access.require_payroll_admin(request.user)
    try:
        made = documents.year_documents_produce(schedule=schedule, tax_year=tax_year,
                                                acting_user=request.user)
        messages.success(request, _("%(n)d document(s) produced.") % {"n": len(made)})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("yearend:year", pk=pk, tax_year=tax_year)


@require_POST
def close(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    schedule = _year(request, pk, tax_year)
    access.require_payroll_admin(request.user)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation and give whole-number uplifts."))
        return redirect("yearend:year", pk=pk, tax_year=tax_year)
    try:
        done = year_close(schedule=schedule, tax_year=tax_year, acting_user=request.user,
                          uplifts=form.uplifts())
        if done.status == done.Status.REQUESTED:
            messages.success(request, _("Close requested: another Payroll Admin confirms it."))
        else:
            messages.success(request, _("%(year)s is closed: %(d)d document(s), %(c)d tax "
                                        "code(s) rolled forward.")
                             % {"year": tax_year, "d": done.documents, "c": done.codes_rolled})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("yearend:year", pk=pk, tax_year=tax_year)


@require_POST
def bundle_request_view(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    schedule = _year(request, pk, tax_year)
    access.require_payroll_admin(request.user)
    kind = request.POST.get("kind", "")
    if kind not in DocumentKind.values:
        messages.error(request, _("Choose P60, P45 or W-2."))
    else:
        bundles.bundle_request(schedule=schedule, tax_year=tax_year, kind=kind,
                               acting_user=request.user)
        messages.success(request, _("The ZIP is being built; it appears below when ready."))
    return redirect("yearend:year", pk=pk, tax_year=tax_year)


def bundle_download(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_payroll_admin(request.user)
    bundle = get_object_or_404(DocumentBundle, pk=pk, status=DocumentBundle.Status.READY)
    return stored_file_response(bundle.file, content_type="application/zip",
                                filename=bundle.filename)


def efw2_download(request: HttpRequest, pk: int, tax_year: str) -> HttpResponse:
    schedule = _year(request, pk, tax_year)
    access.require_payroll_admin(request.user)
    try:
        data = filing.efw2_for_year(schedule=schedule, tax_year=tax_year,
                                    acting_user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("yearend:year", pk=pk, tax_year=tax_year)
    response = HttpResponse(data, content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = f'attachment; filename="W2REPORT-{tax_year}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def filing_settings(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_payroll_admin(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk, country="US")
    form = FilingSettingsForm(request.POST)
    if form.is_valid():
        filing.filing_settings_save(schedule=schedule, data=form.cleaned_data,
                                    acting_user=request.user)
        messages.success(request, _("EFW2 submitter details saved."))
    else:
        messages.error(request, _("Check the submitter details: %(e)s")
                       % {"e": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())})
    tax_year = request.POST.get("tax_year", "")
    if tax_year in selectors.tax_years_of(schedule):
        return redirect("yearend:year", pk=pk, tax_year=tax_year)
    return redirect("yearend:index")
