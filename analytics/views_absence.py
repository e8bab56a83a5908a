"""Sickness absence by department (absence rate, Bradford factor) and the people behind it."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from analytics.absence import absence_report, sick_people, totals
from analytics.access import analytics_scope, require_analytics
from analytics.charts import bar_chart
from analytics.forms import AbsenceForm
from analytics.tables import absence_rows, export_response


def absence(request: HttpRequest) -> HttpResponse:
    require_analytics(request.user)
    form = AbsenceForm(request.GET or None)
    first, last = form.period()
    scope = analytics_scope(request.user)
    rows, sick = absence_report(scope, first, last)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(request.GET["format"], "absence-by-department", absence_rows(rows))
    query = urlencode({"first": first.isoformat(), "last": last.isoformat()})
    shown = [r for r in rows if not r.suppressed]
    chart = bar_chart([r.label for r in shown], [
        (str(_("Absence rate %")), [r.rate for r in shown],
         [f"?{query}&department={r.department_id or ''}" for r in shown])])
    department = request.GET.get("department")
    drill = None
    if department is not None:
        wanted = int(department) if department.isdigit() else None
        if any(r.department_id == wanted and not r.suppressed for r in rows):
            drill = sick_people(request.user, sick, wanted)
    return render(request, "analytics/absence.html", {
        "form": form, "rows": rows, "total": totals(rows), "first": first, "last": last,
        "query": query, "chart": chart, "drill": drill})
