"""HR pages: dashboard, matrix, requirement types and rules, audit export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from compliance.forms import (
    DateRangeForm,
    MatrixFilterForm,
    RequirementRuleForm,
    RequirementTypeForm,
)
from compliance.models import RequirementRule, RequirementType
from compliance.selectors import employees_in_scope, matrix_types, status_matrix
from compliance.selectors_stored import dashboard as dashboard_data
from compliance.selectors_stored import employees_with_status, expiring_cells, matrix_count
from compliance.services.exports import audit_export_csv
from compliance.services.records import (
    requirement_rule_delete,
    requirement_rule_save,
    requirement_type_save,
)
from compliance.services.summary import compliance_figures
from compliance.views.common import export_response, require_hr, wants_export
from employees.access import employees_visible_to, is_manager, sees_everyone
from employees.directory import DeferredJoinPaginator

MATRIX_PAGE_SIZE = 25


def dashboard(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    data = dashboard_data(data=compliance_figures(timezone.localdate()))
    fmt = wants_export(request)
    if fmt:
        return _dashboard_export(fmt, request.GET.get("list", "expiring"),
                                 request.GET.get("days", "90"), data)
    return render(request, "compliance/dashboard.html", {"data": data})


def _dashboard_export(fmt: str, which: str, days: str, data) -> HttpResponse:
    if which == "requirements":
        return export_response(fmt, "compliance-by-requirement", [
            "Requirement", "Compliant", "Expiring soon", "Expired", "Missing",
            "Pending verification", "Rate %"], (
            [e["type"].name, e["compliant"], e["expiring_soon"], e["expired"], e["missing"],
             e["pending_verification"], e["rate"]] for e in data.by_requirement))
    if which == "departments":
        return export_response(fmt, "compliance-by-department", [
            "Department", "People", "Compliant", "Rate %"], (
            [d["name"], d["people"], d["compliant"], d["rate"]] for d in data.by_department))
    horizon = int(days) if days in ("30", "60", "90") else 90
    return export_response(fmt, f"expiring-{horizon}-days", [
        "Employee number", "Name", "Department", "Requirement", "Valid until", "Days left",
        "Status"], (
        [c.employee.employee_number, c.employee.display_name, c.employee.department or "",
         c.requirement_type.name, c.valid_until, c.days_left, c.get_status_display()]
        for c in expiring_cells(timezone.localdate(), horizon).iterator(chunk_size=2000)))


def _matrix_queryset(request: HttpRequest, form: MatrixFilterForm):
    qs = employees_in_scope(employees_visible_to(request.user))
    if form.is_valid():
        d = form.cleaned_data
        if d.get("department"):
            qs = qs.filter(department=d["department"])
        if d.get("location"):
            qs = qs.filter(location=d["location"])
        if d.get("q"):
            qs = qs.filter(Q(legal_last_name__icontains=d["q"])
                           | Q(legal_first_name__icontains=d["q"])
                           | Q(preferred_name__icontains=d["q"])
                           | Q(employee_number__iexact=d["q"]))
    return qs.order_by("legal_last_name", "legal_first_name", "id")


def _known_count(request: HttpRequest, form: MatrixFilterForm, status: str,
                 requirement) -> int | None:
    """The number of people listed, from the stored summary, when HR filter by requirement and
    status only (the usual links from the dashboard): no COUNT over every person."""
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if not sees_everyone(request.user) or any(filters.get(f) for f in ("department", "location",
                                                                      "q")):
        return None
    return matrix_count(compliance_figures(timezone.localdate()), status=status,
                        type_id=requirement.pk if requirement else None)


def matrix(request: HttpRequest) -> HttpResponse:
    """People x requirements. HR see everyone; managers see their team's statuses."""
    if not (is_hr(request.user) or is_manager(request.user)):
        raise PermissionDenied(_("Only HR and managers can open the compliance matrix."))
    form = MatrixFilterForm(request.GET or None)
    qs = _matrix_queryset(request, form)
    valid = form.is_valid() if form.is_bound else False
    requirement = form.cleaned_data.get("requirement") if valid else None
    status = form.cleaned_data.get("status") if valid else ""
    type_ids = [requirement.pk] if requirement else None
    if status or requirement:
        # "Who needs it" and statuses are stored (compliance.models.ComplianceStatus): filter
        # and paginate in SQL, then compute the cells of the page only.
        qs = employees_with_status(qs, status=status, type_ids=type_ids)
    fmt = wants_export(request)
    if fmt:
        rows = status_matrix(list(qs), type_ids=type_ids)
        types = matrix_types(rows)
        return export_response(
            fmt, "compliance-matrix",
            ["Employee number", "Name", "Department", "Location"] + [t.name for t in types],
            ([r.employee.employee_number, r.employee.display_name, r.employee.department or "",
              r.employee.location or ""] + [c.status.label if c else "n/a"
                                            for c in r.cells_in(types)] for r in rows),
        )
    # Deeper pages pick ids first (the OFFSET walks the name index and the stored cells only),
    # then the page's 25 people with their joins.
    page = DeferredJoinPaginator(qs, MATRIX_PAGE_SIZE, plain_first_page=True, count=_known_count(
        request, form, status, requirement)).get_page(request.GET.get("page"))
    page_rows = status_matrix(list(page.object_list), type_ids=type_ids)
    types = matrix_types(page_rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "compliance/matrix.html", {
        "form": form, "page": page, "types": types,
        "rows": [(r, r.cells_in(types)) for r in page_rows], "query": query.urlencode(),
        "is_hr": is_hr(request.user),
    })


def requirement_types(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    form = RequirementTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rtype = requirement_type_save(acting_user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Requirement added. Now say who needs it."))
            return redirect("compliance:requirement", rtype.pk)
    types = RequirementType.objects.prefetch_related(
        "rules__department", "rules__location", "rules__job_title").order_by("kind", "name")
    return render(request, "compliance/requirement_types.html", {"form": form, "types": types})


def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    rtype = get_object_or_404(RequirementType, pk=pk)
    form = RequirementTypeForm(request.POST or None, instance=rtype, prefix="type")
    rule_form = RequirementRuleForm(initial={"requirement_type": rtype, "scope": "everyone"},
                                    prefix="rule")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if rtype.kind == "policy":
            data.pop("kind", None)
        requirement_type_save(acting_user=request.user, data=data, instance=rtype)
        messages.success(request, _("Requirement saved."))
        return redirect("compliance:requirement", rtype.pk)
    if rtype.kind == "policy":
        form.fields.pop("kind")
    rules = rtype.rules.select_related("department", "location", "job_title")
    return render(request, "compliance/requirement_detail.html", {
        "rtype": rtype, "form": form, "rule_form": rule_form, "rules": rules,
    })


@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    rtype = get_object_or_404(RequirementType, pk=pk)
    data = request.POST.copy()
    data["rule-requirement_type"] = str(rtype.pk)
    form = RequirementRuleForm(data, prefix="rule")
    if form.is_valid():
        requirement_rule_save(acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("Rule added."))
        return redirect("compliance:requirement", rtype.pk)
    rules = rtype.rules.select_related("department", "location", "job_title")
    type_form = RequirementTypeForm(instance=rtype, prefix="type")
    return render(request, "compliance/requirement_detail.html", {
        "rtype": rtype, "form": type_form, "rule_form": form, "rules": rules,
    }, status=400)


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    rule = get_object_or_404(RequirementRule, pk=pk)
    type_pk = rule.requirement_type_id
    requirement_rule_delete(acting_user=request.user, rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect("compliance:requirement", type_pk)


def audit_export(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    form = DateRangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = HttpResponse(
            audit_export_csv(acting_user=request.user, start=start, end=end),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="compliance-audit-{start}-{end}.csv"')
        return response
    return render(request, "compliance/audit_export.html", {"form": form},
                  status=400 if form.is_bound else 200)
