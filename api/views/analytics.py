"""The analytics reports, each from the entry point its page uses (analytics.reports,
analytics.pay, analytics.absence, analytics.coverage, analytics.gpg, analytics.eeo1), with the
page's rules: workforce and absence for HR Admin, HR Analyst and managers (their subtree);
pay and compliance coverage for HR Admin and HR Analyst; the gender pay gap and EEO-1 for HR
Admin only. Small groups are suppressed as on the pages; individual pay (people outside their
pay band) only for HR Admin with compensation:read."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as s
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.roles import is_hr_admin
from analytics import pay
from analytics.absence import absence_by_department, totals
from analytics.access import (
    analytics_scope,
    require_analytics,
    require_pay_analytics,
    sees_individual_pay,
)
from analytics.coverage import coverage
from analytics.eeo1 import eeo1_report
from analytics.filters import filters_from_form
from analytics.forms import AsOfForm, PayFilterForm, WorkforceFilterForm
from analytics.forms_gpg import PayGapForm
from analytics.gpg import pay_gap_report
from analytics.metrics import months_back
from analytics.reports import workforce_report
from analytics.views_absence import AbsenceForm
from analytics.views_coverage import CHOICES as COVERAGE_MONTHS
from api import analytics_shapes as shapes
from api import docs
from api.base import ApiView
from api.permissions import has_scope
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
FILTERS = [OpenApiParameter("department", int, description="and the departments under it"),
           OpenApiParameter("location", int)]


def _valid(form_class, request, **kwargs):
    """The page's filter form on the query string; bad input is a 400 problem (the pages
    ignore it instead)."""
    form = form_class(request.query_params, **kwargs)
    if request.query_params and not form.is_valid():
        raise form_invalid(form)
    return form


def _require_hr_admin(request, what: str) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied(f"The {what} is for HR Admin only.")


class WorkforceReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="Workforce report", parameters=[
        docs.AS_OF, OpenApiParameter("months", int, enum=[12, 24, 36, 60]), *FILTERS,
    ], responses={200: WorkforceShape, **docs.ERRORS})
    def get(self, request):
        require_analytics(request.user)
        form = _valid(WorkforceFilterForm, request)
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


class PayReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="Pay analytics (distribution, bands, changes, payroll cost)",
                   description="HR Admin and HR Analyst. Groups smaller than min_group have "
                               "null figures. outside_band (individual pay) is present only "
                               "for HR Admin with compensation:read.",
                   parameters=[docs.AS_OF, *FILTERS,
                               OpenApiParameter("currency", str, description="ISO 4217; "
                                                "default: the most common"),
                               OpenApiParameter("changes_from", str), OpenApiParameter(
                                   "changes_to", str, description="pay changes between")],
                   responses={200: shapes.PayShape, **docs.ERRORS})
    def get(self, request):
        require_pay_analytics(request.user)
        form = _valid(PayFilterForm, request)
        data = form.cleaned_data if form.is_valid() else {}
        report = pay.pay_report(filters_from_form(request.user, form), form.as_of_date(),
                                currency=data.get("currency") or "",
                                changes_from=data.get("changes_from"),
                                changes_to=data.get("changes_to"))
        individual = sees_individual_pay(request.user) and has_scope(
            request, Scope.COMPENSATION_READ)
        return Response(shapes.pay_body(report, individual=individual))


class AbsenceReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="Sickness absence by department (absence rate, Bradford factor)",
                   description="HR Admin, HR Analyst and managers (their subtree). Default "
                               "period: the 52 weeks to today.",
                   parameters=[OpenApiParameter("first", str), OpenApiParameter("last", str)],
                   responses={200: shapes.AbsenceShape, **docs.ERRORS})
    def get(self, request):
        require_analytics(request.user)
        first, last = _valid(AbsenceForm, request).period()
        rows = absence_by_department(analytics_scope(request.user), first, last)
        return Response(shapes.absence_body(first, last, rows, totals(rows)))


class ComplianceCoverageReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="Compliance coverage at each month's end",
                   description="HR Admin and HR Analyst.",
                   parameters=[OpenApiParameter("months", int, enum=list(COVERAGE_MONTHS))],
                   responses={200: shapes.CoverageShape, **docs.ERRORS})
    def get(self, request):
        require_pay_analytics(request.user)
        wanted = request.query_params.get("months", "24")
        if not wanted.isdigit() or int(wanted) not in COVERAGE_MONTHS:
            raise ValidationError({"months": [f"One of {', '.join(map(str, COVERAGE_MONTHS))}."]})
        rows = coverage(months_back(timezone.localdate(), int(wanted)))
        return Response(shapes.coverage_body(rows))


class GenderPayGapReport(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="UK gender pay gap: the six figures (HR Admin only)",
                   parameters=[OpenApiParameter("year", int), OpenApiParameter(
                       "sector", str, enum=["private", "public"]),
                       OpenApiParameter("employer", str, description="a legal employer")],
                   responses={200: shapes.PayGapShape, **docs.ERRORS})
    def get(self, request):
        _require_hr_admin(request, "gender pay gap report")
        year, sector, employer = _valid(PayGapForm, request).wanted()
        return Response(shapes.pay_gap_body(pay_gap_report(year, sector, employer)))


class EEO1Report(ApiView):
    scopes = {"GET": Scope.ANALYTICS_READ}

    @extend_schema(summary="US EEO-1 Component 1 (HR Admin only)",
                   parameters=[OpenApiParameter("as_of", str, description="snapshot date")],
                   responses={200: shapes.EEO1Shape, **docs.ERRORS})
    def get(self, request):
        _require_hr_admin(request, "EEO-1 report")
        form = _valid(AsOfForm, request)
        as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) \
            or timezone.localdate()
        return Response(shapes.eeo1_body(eeo1_report(as_of)))
