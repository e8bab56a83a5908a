"""Voluntary self-identification (the employee, in the portal) and the EEO-1 report (HR
Admin only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr_admin
from analytics.eeo1 import eeo1_report, eeo_category_set, self_identification_save
from analytics.forms import AsOfForm, EEOCategoryForm, SelfIdentificationForm
from analytics.models import EEOJobCategory, SelfIdentification
from analytics.tables import export_response
from employees.selectors import employee_for_user


def self_identification(request: HttpRequest) -> HttpResponse:
    """The signed-in employee's own answers; nobody else's, whatever their role."""
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("No employee record.")
    current = SelfIdentification.objects.filter(employee=me).first()
    initial = {"sex": current.sex, "race_ethnicity": current.race_ethnicity} if current else {}
    form = SelfIdentificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        self_identification_save(acting_user=request.user, employee=me, **form.cleaned_data)
        messages.success(request, _("Thank you: your answers are saved."))
        return redirect("portal:home")
    return render(request, "analytics/self_identification.html", {"form": form})


def _require_hr_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied("The EEO-1 report is for HR Admin only.")


def eeo1(request: HttpRequest) -> HttpResponse:
    _require_hr_admin(request)
    form = AsOfForm(request.GET or None)
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) \
        or timezone.localdate()
    report = eeo1_report(as_of)
    rows = report.rows()
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "eeo1-component1", rows)
    return render(request, "analytics/eeo1.html", {
        "form": form, "report": report, "rows": rows, "as_of": as_of,
        "query": f"as_of={as_of.isoformat()}",
        "category_form": EEOCategoryForm(),
        "categories": EEOJobCategory.objects.select_related("job_title")})


@require_POST
def eeo1_category(request: HttpRequest) -> HttpResponse:
    _require_hr_admin(request)
    form = EEOCategoryForm(request.POST)
    if form.is_valid():
        eeo_category_set(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Job category saved."))
    return redirect("analytics:eeo1")
