"""Pay runs and payslip summaries: the payroll:read scope AND the payroll access level of the
caller (accounts.roles.sees_payroll, as the payroll pages). Totals only: no lines, no bank."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as s
from rest_framework.response import Response

from accounts.roles import sees_payroll
from api import docs
from api.base import ApiView
from api.pagination import keyset_page, page_body
from api.scopes import Scope
from payroll.models import PayRun, Payslip

RunShape = inline_serializer("PayRun", {
    "id": s.IntegerField(), "schedule": docs.Ref(), "kind": s.CharField(),
    "status": s.CharField(), "period_start": s.DateField(), "period_end": s.DateField(),
    "pay_date": s.DateField(), "currency": s.CharField(),
    "finalised_at": s.DateTimeField(allow_null=True)})
MONEY = ("gross", "total_pre_tax", "total_employee_tax", "total_post_tax", "net",
         "employer_cost")
PayslipShape = inline_serializer("PayslipSummary", {
    "id": s.IntegerField(), "employee_id": s.IntegerField(), "number": s.IntegerField(
        allow_null=True), "currency": s.CharField(), "tax_year": s.CharField(),
    **{m: s.DecimalField(max_digits=12, decimal_places=2) for m in MONEY}})


def _require_payroll(user) -> None:
    if not sees_payroll(user):
        raise PermissionDenied(_("Pay runs are for the payroll access level."))


class PayRunList(ApiView):
    scopes = {"GET": Scope.PAYROLL_READ}

    @extend_schema(summary="Pay runs", parameters=docs.PAGE_PARAMS,
                   responses={200: docs.page_of(RunShape, "PayRunPage"), **docs.ERRORS})
    def get(self, request):
        _require_payroll(request.user)
        rows, cursor = keyset_page(PayRun.objects.select_related("schedule", "period"),
                                   request, by_updated=False)
        return Response(page_body(request, [{
            "id": r.pk, "schedule": {"id": r.schedule_id, "name": r.schedule.name},
            "kind": r.kind, "status": r.status,
            "period_start": r.period.start_date.isoformat(),
            "period_end": r.period.end_date.isoformat(), "pay_date": r.pay_date.isoformat(),
            "currency": r.currency,
            "finalised_at": r.finalised_at.isoformat() if r.finalised_at else None,
        } for r in rows], cursor))


class PayslipList(ApiView):
    scopes = {"GET": Scope.PAYROLL_READ}

    @extend_schema(summary="Payslip summaries of a run (totals only)",
                   parameters=docs.PAGE_PARAMS,
                   responses={200: docs.page_of(PayslipShape, "PayslipPage"), **docs.ERRORS})
    def get(self, request, pk: int):
        _require_payroll(request.user)
        run = get_object_or_404(PayRun, pk=pk)
        rows, cursor = keyset_page(Payslip.objects.filter(run=run), request, by_updated=False)
        return Response(page_body(request, [{
            "id": p.pk, "employee_id": p.employee_id, "number": p.number,
            "currency": p.currency, "tax_year": p.tax_year,
            **{m: str(getattr(p, m)) for m in MONEY}} for p in rows], cursor))
