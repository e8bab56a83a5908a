"""Analytics pages: the workforce report, the people behind a number, the headcount plan."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr_admin
from analytics.access import (
    can_edit_plan,
    require_analytics,
    require_plan_editor,
)
from analytics.charts import bar_chart, line_chart
from analytics.drill import METRICS, drill_people, drill_stints, headcount_people
from analytics.filters import filters_from_form, month_param
from analytics.forms import PlanForm, PlanImportForm, WorkforceFilterForm
from analytics.metrics import point_day
from analytics.models import HeadcountPlan
from analytics.reports import report_today, workforce_report
from analytics.services import plan_import, plan_save
from analytics.snapshot import snapshot_refresh
from analytics.tables import TABLES, export_response, people_rows, report_table
from employees.services.imports import ImportFileError, read_table


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in ("csv", "xlsx") else None


def workforce(request: HttpRequest) -> HttpResponse:
    require_analytics(request.user)
    form = WorkforceFilterForm(request.GET or None)
    filters = filters_from_form(request.user, form)
    as_of = form.as_of_date()
    report = workforce_report(filters=filters, as_of=as_of, months=form.months_wanted())
    fmt, table = _fmt(request), request.GET.get("table", "trend")
    if fmt and table in TABLES:
        return export_response(fmt, f"workforce-{table}", report_table(report, table))
    query = {k: v for k, v in request.GET.items() if k not in ("format", "table") and v}
    return render(request, "analytics/workforce.html", {
        "form": form, "report": report, "query": urlencode(query),
        "people_base": _people_href(query),
        "charts": _charts(report, query), "can_edit_plan": can_edit_plan(request.user),
        "show_eeo1": is_hr_admin(request.user)})


def _people_href(query: dict, **extra) -> str:
    encoded = urlencode({**query, **extra})
    return reverse("analytics:people") + "?" + (encoded + "&" if encoded and not extra
                                                 else encoded)


def _hrefs(base: str, metric: str, months: list[str], **extra) -> list[str]:
    """One link per month to the people behind it (`base` ends with "?" or "&")."""
    tail = "".join(f"&{k}={v}" for k, v in extra.items())
    return [f"{base}metric={metric}&month={m}{tail}" for m in months]


def _charts(report, query: dict) -> dict:
    base = _people_href(query)
    labels = [r.month.month.strftime("%b %Y") for r in report.trend]
    months = [month_param(r.month.month) for r in report.trend]
    hc = [r.month.headcount for r in report.trend]
    series = [(_("Headcount"), hc, _hrefs(base, "headcount", months))]
    if any(r.plan_headcount is not None for r in report.trend):
        series.append((_("Plan"), [r.plan_headcount for r in report.trend], []))
    kinds = (("voluntary", _("Voluntary")), ("involuntary", _("Involuntary")),
             ("other", _("Other")))
    return {
        "headcount": line_chart(labels, series),
        "flows": bar_chart(labels, [
            (_("Hires"), [r.month.hires for r in report.trend], _hrefs(base, "hires", months)),
            (_("Leavers"), [r.month.leavers_total for r in report.trend],
             _hrefs(base, "leavers", months))]),
        "leavers": bar_chart(labels, [
            (name, [r.month.leavers[kind] for r in report.trend],
             _hrefs(base, "leavers", months, kind=kind))
            for kind, name in kinds], stacked=True),
        "turnover": line_chart(labels, [
            (_("Monthly %"), [r.month.turnover for r in report.trend], []),
            (_("Trailing 12 months %"), [r.trailing for r in report.trend], [])]),
        "tenure": bar_chart(list(report.tenure), [
            (_("People"), list(report.tenure.values()),
             [_people_href(query, metric="tenure", band=b) for b in report.tenure])]),
        "span": bar_chart(list(report.span.bands), [
            (_("Managers"), list(report.span.bands.values()), [])]),
    }


PEOPLE_PAGE = 100


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def people(request: HttpRequest) -> HttpResponse:
    """The people behind one number of the report (only those the viewer may see)."""
    require_analytics(request.user)
    form = WorkforceFilterForm(request.GET or None)
    filters = filters_from_form(request.user, form)
    metric = request.GET.get("metric", "headcount")
    month = month_param(request.GET.get("month", ""))
    band, fmt, page = request.GET.get("band", ""), _fmt(request), _page_number(request)
    window = {} if fmt else {"offset": (page - 1) * PEOPLE_PAGE, "limit": PEOPLE_PAGE}
    if metric in ("headcount", "tenure"):
        day = point_day(month, report_today()) if month else form.as_of_date()
        total, rows = headcount_people(request.user, filters, day,
                                       band=band if metric == "tenure" else "", **window)
    else:
        found = drill_stints(filters, metric if metric in METRICS else "",
                             as_of=form.as_of_date(), month=month,
                             kind=request.GET.get("kind", ""))
        total, rows = drill_people(request.user, found, **window)
    if fmt:
        return export_response(fmt, f"people-{metric}", people_rows(rows))
    query = {k: v for k, v in request.GET.items() if k not in ("format", "page") and v}
    return render(request, "analytics/people.html", {
        "people": rows, "total": total, "page": page,
        "pages": max(1, -(-total // PEOPLE_PAGE)), "metric": metric, "month": month,
        "kind": request.GET.get("kind", ""),
        "band": request.GET.get("band", ""), "query": urlencode(query),
        "back": urlencode({k: v for k, v in query.items()
                           if k not in ("metric", "month", "kind", "band")})})


def plan(request: HttpRequest) -> HttpResponse:
    require_plan_editor(request.user)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan_save(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Plan saved."))
        return redirect("analytics:plan")
    plans = HeadcountPlan.objects.select_related("department").order_by(
        "-month", "department__name")[:240]
    return render(request, "analytics/plan.html", {
        "form": form, "import_form": PlanImportForm(), "plans": plans})


@require_POST
def plan_upload(request: HttpRequest) -> HttpResponse:
    require_plan_editor(request.user)
    form = PlanImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = plan_import(acting_user=request.user,
                                rows=read_table(upload.name, upload.read()))
            messages.success(request, _("%(n)d plan rows imported.") % {"n": count})
        except (ValidationError, ImportFileError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
    return redirect("analytics:plan")


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    require_plan_editor(request.user)
    run = snapshot_refresh()
    messages.success(request, _("Monthly figures rebuilt (%(rows)d rows).") % {"rows": run.rows})
    return redirect("analytics:workforce")
