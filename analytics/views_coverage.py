"""Compliance coverage over time: the share of required cells compliant at each month's end."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from analytics.access import require_pay_analytics
from analytics.charts import line_chart
from analytics.coverage import CHOICES, coverage, months_count
from analytics.metrics import months_back
from analytics.tables import coverage_rows, export_response


def compliance_coverage(request: HttpRequest) -> HttpResponse:
    # Aggregates for everyone: HR Admin and HR Analyst (as the pay aggregates).
    require_pay_analytics(request.user)
    count = months_count(request.GET.get("months", ""))
    months = months_back(timezone.localdate(), count)
    rows = coverage(months)
    table = coverage_rows(rows)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(request.GET["format"], "compliance-coverage", table)
    chart = line_chart([r.month.strftime("%b %y") for r in rows],
                       [("Coverage %", [r.percent for r in rows], [])])
    return render(request, "analytics/coverage.html", {
        "rows": rows, "chart": chart, "count": count, "choices": CHOICES,
        "query": f"months={count}"})
