"""The pay report: distribution, bands, changes and payroll cost (aggregates; small groups
suppressed)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics import pay
from analytics.access import require_pay_analytics, sees_individual_pay
from analytics.filters import filters_from_form
from analytics.forms import PayBandForm, PayFilterForm
from analytics.metrics import month_start
from analytics.services import pay_band_save
from analytics.tables import PAY_TABLES, export_response, pay_table


def pay_report(request: HttpRequest) -> HttpResponse:
    require_pay_analytics(request.user)
    form = PayFilterForm(request.GET or None)
    filters = filters_from_form(request.user, form)
    as_of = form.as_of_date()
    data = form.cleaned_data if form.is_valid() else {}
    report = pay.pay_report(filters, as_of, currency=data.get("currency") or "",
                            changes_from=data.get("changes_from"),
                            changes_to=data.get("changes_to"))
    fmt, table = request.GET.get("format", ""), request.GET.get("table", "")
    if fmt in ("csv", "xlsx") and table in PAY_TABLES:
        return export_response(fmt, f"pay-{table}", pay_table(report, table))
    show_outside = sees_individual_pay(request.user)
    query = urlencode({k: v for k, v in request.GET.items()
                       if k not in ("format", "table") and v})
    return render(request, "analytics/pay.html", {
        "form": form, "report": report, "query": query,
        "outside": report["outside"] if show_outside else None,
        "outside_count": len(report["outside"]),
        "band_form": PayBandForm(), "month_start": month_start(as_of),
        "show_eeo1": show_outside})


@require_POST
def band_save(request: HttpRequest) -> HttpResponse:
    require_pay_analytics(request.user)
    form = PayBandForm(request.POST)
    if form.is_valid():
        pay_band_save(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Pay band saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("analytics:pay")
