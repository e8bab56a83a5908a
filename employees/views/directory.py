"""The people directory: search, filter, sort, paginate; export of the filtered list."""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from accounts.roles import is_hr
from delivery.downloads import Rows, download_request
from employees.directory import (
    DeferredJoinPaginator,
    can_use_directory,
    directory_queryset,
    sees_compensation_of_all,
    with_compensation_history,
)
from employees.forms_directory import DirectoryForm
from employees.hooks import record_extensions
from employees.models import CompensationRecord, Employee, EmploymentType
from hrops import exports

EXPORT_XLSX_KIND = "employees.directory_xlsx"
PAGE_SIZE = 50
XLSX_MAX_ROWS = 50_000

BASE_COLUMNS = [
    ("employee_number", _l("Employee number")), ("legal_first_name", _l("Legal first name")),
    ("legal_last_name", _l("Legal last name")), ("preferred_name", _l("Preferred name")),
    ("work_email", _l("Work email")), ("job_title", _l("Job title")),
    ("department", _l("Department")), ("location", _l("Location")),
    ("manager_number", _l("Manager number")), ("manager", _l("Manager")),
    ("status", _l("Status")), ("employment_type", _l("Employment type")), ("fte", _l("FTE")),
    ("hire_date", _l("Hire date")), ("work_country", _l("Work country")),
]
PAY_COLUMNS = [
    ("pay_basis", _l("Pay basis")), ("annual_salary", _l("Annual salary")),
    ("hourly_rate", _l("Hourly rate")), ("currency", _l("Currency")),
    ("pay_schedule", _l("Pay schedule")),
]


def _gate(request: HttpRequest) -> None:
    if not can_use_directory(request.user):
        raise PermissionDenied(_("The directory is for HR, payroll and managers."))


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    _gate(request)
    form = DirectoryForm(request.GET or None, viewer=request.user)
    filters = form.filters() if request.GET else DirectoryForm({}).filters()
    page = DeferredJoinPaginator(directory_queryset(request.user, filters), PAGE_SIZE,
                                 plain_first_page=True).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "params": params.urlencode(),
               "sort": filters.sort, "may_admin": is_hr(request.user)}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        response = render(request, "employees/directory.html#results", context)
    else:
        response = render(request, "employees/directory.html", context)
    # The same URL answers htmx with a fragment and a browser with the page: a shared or
    # reloaded link must never be served the cached fragment.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def export_check(user, params: dict) -> None:
    """Who may have a directory export (delivery.downloads: on request, build and download)."""
    if not can_use_directory(user):
        raise PermissionDenied(_("The directory is for HR, payroll and managers."))


def export_rows(user, query: QueryDict) -> tuple[list[tuple[str, str]], QuerySet, Iterator[list]]:
    """Columns, the filtered queryset and its rows, exactly as the directory page filters."""
    form = DirectoryForm(query or {}, viewer=user)
    qs = directory_queryset(user, form.filters())
    columns = list(BASE_COLUMNS)
    with_pay = sees_compensation_of_all(user)
    if with_pay:
        columns += PAY_COLUMNS
        qs = with_compensation_history(qs, timezone.localdate())
    # Columns kept by apps above (custom fields), each with its values for the listed people.
    extras = []
    for ext in record_extensions():
        ext_columns = ext.export_columns(user)
        if ext_columns:
            columns += ext_columns
            extras.append((ext.export_values(user, qs), [""] * len(ext_columns)))

    # Labels translated once, not per row (get_FOO_display costs ~0.2 ms a call).
    statuses = {k: str(v) for k, v in Employee.Status.choices}
    types = {k: str(v) for k, v in EmploymentType.choices}
    bases = {k: str(v) for k, v in CompensationRecord.Basis.choices}

    def rows() -> Iterator[list]:
        for e in qs.iterator(chunk_size=2000):
            row = [e.employee_number, e.legal_first_name, e.legal_last_name, e.preferred_name,
                   e.work_email or "", str(e.job_title or ""), str(e.department or ""),
                   str(e.location or ""), e.manager.employee_number if e.manager else "",
                   e.manager.display_name if e.manager else "", statuses[e.status],
                   types[e.employment_type], e.fte, e.hire_date, e.work_country]
            if with_pay:
                pay = e.pay_history[0] if e.pay_history else None
                row += ["", "", "", "", ""] if pay is None else [
                    bases[pay.basis], pay.annual_salary or "", pay.hourly_rate or "",
                    pay.currency, str(pay.pay_schedule or "")]
            for values, blank in extras:
                row += values.get(e.pk, blank)
            yield row

    return columns, qs, rows()


def export_download_rows(user, params: dict) -> Rows:
    """The worker's rows of a directory XLSX (delivery.downloads), filtered as when asked."""
    columns, qs, rows = export_rows(user, QueryDict(params.get("query", "")))
    return Rows(total=qs.count() + 1, rows=_with_header(columns, rows), sheet=_("Employees"),
                xlsx={"max_rows": XLSX_MAX_ROWS})


@require_GET
def directory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _gate(request)
    stamp = timezone.localdate().isoformat()
    # The shared writer neutralises formula cells (=HYPERLINK, =cmd|...) and types XLSX text.
    if fmt == "csv":
        columns, _qs, rows = export_rows(request.user, request.GET)
        lines = exports.csv_lines(_with_header(columns, rows))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="employees-{stamp}.csv"'
        return response
    # XLSX is built by a worker (seconds for 20,000 rows): answer at once with its progress.
    download = download_request(
        acting_user=request.user, kind=EXPORT_XLSX_KIND, params={"query": request.GET.urlencode()},
        title=_("Employee directory export"), filename=f"employees-{stamp}.xlsx")
    return redirect("delivery:download", download.pk)


def _with_header(columns: list[tuple[str, str]], rows: Iterator[list]) -> Iterator[list]:
    yield [str(label) for _key, label in columns]
    yield from rows

