"""The workforce report (analytics.reports.workforce_report, the page's own data), scoped by
analytics.access: HR Admin and HR Analyst see everyone, a manager their subtree."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as s
from rest_framework.response import Response

from analytics.access import require_analytics
from analytics.filters import filters_from_form
from analytics.forms import WorkforceFilterForm
from analytics.reports import workforce_report
from api import docs
from api.base import ApiView
from api.problems import form_invalid
from api.scopes import Scope

WorkforceShape = inline_serializer("WorkforceReport", {
    "as_of": s.DateField(), "source": s.CharField(), "headcount": s.IntegerField(),
    "fte": s.DecimalField(max_digits=12, decimal_places=3),
    "trend": inline_serializer("WorkforceMonth", {
        "month": s.CharField(), "headcount": s.IntegerField(), "hires": s.IntegerField(),
        "leavers": s.IntegerField()}, many=True),
    "tenure": s.DictField(child=s.IntegerField()),
})


class WorkforceReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="Workforce report", parameters=[
        docs.AS_OF, OpenApiParameter("months", int, enum=[12, 24, 36, 60]),
        OpenApiParameter("department", int), OpenApiParameter("location", int),
    ], responses={200: WorkforceShape, **docs.ERRORS})
    def get(self, request):
        require_analytics(request.user)
        form = WorkforceFilterForm(request.query_params)
        if request.query_params and not form.is_valid():
            raise form_invalid(form)
        report = workforce_report(filters=filters_from_form(request.user, form),
                                  as_of=form.as_of_date(), months=form.months_wanted())
        return Response({
            "as_of": report.as_of.isoformat(), "source": report.source,
            "headcount": report.headcount, "fte": str(report.fte),
            "trend": [{"month": row.month.month.strftime("%Y-%m"),
                       "headcount": row.month.headcount, "hires": row.month.hires,
                       "leavers": row.month.leavers_total} for row in report.trend],
            "tenure": report.tenure,
        })
