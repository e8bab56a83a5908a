"""Saved reports: keep a report's filters under a name, optionally emailed on a schedule."""

from urllib.parse import parse_qsl

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.access import require_analytics
from analytics.forms import SaveReportForm
from analytics.models import SavedReport
from analytics.saved import (
    recipients_from_emails,
    report_url,
    saved_report_delete,
    saved_report_save,
)


def saved_list(request: HttpRequest) -> HttpResponse:
    require_analytics(request.user)
    form = SaveReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recipients = recipients_from_emails(data["recipients"], data["kind"])
            report = saved_report_save(
                acting_user=request.user, name=data["name"], kind=data["kind"],
                params=dict(parse_qsl(data["query"])), schedule=data["schedule"] or "",
                recipients=recipients)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved as “%(name)s” (%(slug)s).") % {
                "name": report.name, "slug": report.slug})
        return redirect("analytics:saved")
    reports = SavedReport.objects.filter(owner=request.user).prefetch_related("recipients")
    return render(request, "analytics/saved.html", {
        "reports": [(r, report_url(r)) for r in reports]})


@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_analytics(request.user)
    report = SavedReport.objects.filter(pk=pk, owner=request.user).first()
    if report is None:
        raise Http404("No such saved report.")
    saved_report_delete(acting_user=request.user, report=report)
    messages.success(request, _("Saved report deleted."))
    return redirect("analytics:saved")
