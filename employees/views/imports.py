"""Bulk import: upload a file, watch a worker check it (every row error in one pass), then import
the checked file in one all-or-nothing background step, with a progress bar for each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from audit.context import current
from employees.forms_directory import ImportForm
from employees.models import ImportJob
from employees.services import import_jobs
from employees.services.imports import MAX_BYTES, TEMPLATES, template_csv, template_xlsx
from hrops import exports

# The page lists this many errors; the CSV has all of them.
ERRORS_ON_PAGE = 500


def _gate(request: HttpRequest) -> None:
    if not is_hr(request.user):
        raise PermissionDenied(_("Only HR imports employee data."))


def _job(request: HttpRequest, pk: int) -> ImportJob:
    """A job of the person asking (404 for anyone else's: it holds personal data)."""
    _gate(request)
    job = ImportJob.objects.filter(pk=pk, created_by=request.user).first()
    if job is None:
        raise Http404(_("No such import."))
    return job


def import_page(request: HttpRequest) -> HttpResponse:
    _gate(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_jobs.import_job_create(
                acting_user=request.user, kind=form.cleaned_data["kind"], name=upload.name,
                upload=upload, size=upload.size, ip_address=current().ip_address)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("employees:import_job", job.pk)
    return render(request, "employees/import.html",
                  {"form": form, "jobs": import_jobs.import_jobs_for(request.user),
                   "max_mb": MAX_BYTES // 2**20},
                  status=400 if request.method == "POST" else 200)


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context = {"job": job, "progress": import_jobs.import_job_progress(job),
               "errors": job.errors[:ERRORS_ON_PAGE], "more_errors":
               max(0, len(job.errors) - ERRORS_ON_PAGE)}
    template = "employees/import_job.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, context)


@require_POST
def import_job_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_jobs.import_job_confirm(acting_user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("employees:import_job", job.pk)


def import_job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    rows = [[_("Row"), _("Column"), _("Problem")], *job.errors]
    response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_template(request: HttpRequest, kind: str, fmt: str = "csv") -> HttpResponse:
    _gate(request)
    if kind not in TEMPLATES:
        raise PermissionDenied(_("Unknown template."))
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-import-template.{fmt}"'
    return response
