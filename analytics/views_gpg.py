"""The UK gender pay gap page (HR Admin and HR Analyst: the figures), its audit sheet (HR Admin
only: individual pay) and HR Admin's gender record."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.access import require_pay_analytics, sees_individual_pay
from analytics.charts import bar_chart
from analytics.forms_gpg import PayGapForm, PayGapGenderForm
from analytics.gpg import figure_rows, pay_gap_gender_set, pay_gap_report, sheet_rows
from analytics.gpg_store import pay_gap_refresh_request, pay_gap_report_stored
from analytics.tables import export_response


def gender_pay_gap(request: HttpRequest) -> HttpResponse:
    require_pay_analytics(request.user)
    form = PayGapForm(request.GET or None)
    year, sector, employer = form.wanted()
    fmt, table = request.GET.get("format", ""), request.GET.get("table", "figures")
    individual = sees_individual_pay(request.user)
    if fmt in ("csv", "xlsx") and table == "sheet" and not individual:
        raise PermissionDenied("The audit sheet shows individual pay: HR Admin only.")
    if fmt in ("csv", "xlsx") and table == "sheet":
        # The sheet is every relevant employee line by line: computed from the record.
        report = pay_gap_report(year, sector, employer)
        return export_response(fmt, f"gender-pay-gap-sheet-{report.snapshot}",
                               sheet_rows(report))
    stored = pay_gap_report_stored(year, sector, employer, with_state=True)
    report = stored.report
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, f"gender-pay-gap-figures-{report.snapshot}",
                               figure_rows(report))
    query = urlencode({"year": year, "sector": sector, "employer": employer})
    bands = report.figures.quartiles
    chart = bar_chart([b[0] for b in bands], [
        (_("Men %"), [b[1] for b in bands], []), (_("Women %"), [b[2] for b in bands], [])],
        stacked=True)
    return render(request, "analytics/gender_pay_gap.html", {
        "form": form, "report": report, "f": report.figures, "excluded": stored.excluded,
        "stored": stored,
        "query": query, "individual": individual, "chart": chart,
        "gender_form": PayGapGenderForm() if individual else None, "show_eeo1": individual})


@require_POST
def gender_set(request: HttpRequest) -> HttpResponse:
    if not sees_individual_pay(request.user):
        raise PermissionDenied("Only HR Admin records gender for the pay gap report.")
    form = PayGapGenderForm(request.POST)
    if form.is_valid():
        pay_gap_gender_set(acting_user=request.user, employee=form.cleaned_data["employee"],
                           gender=form.cleaned_data["gender"])
        messages.success(request, _("Gender recorded for the pay gap report."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("analytics:gender_pay_gap")


@require_POST
def recalculate(request: HttpRequest) -> HttpResponse:
    """Recompute the stored figures of one snapshot (a delivery item: a worker does it)."""
    require_pay_analytics(request.user)
    form = PayGapForm(request.POST)
    year, sector, employer = form.wanted()
    pay_gap_refresh_request(acting_user=request.user, year=year, sector=sector,
                            employer=employer)
    messages.success(request, _("Recalculation requested: the figures below are replaced as "
                                "soon as it is done."))
    return redirect(reverse("analytics:gender_pay_gap") + "?" + urlencode(
        {"year": year, "sector": sector, "employer": employer}))
