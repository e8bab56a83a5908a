"""The employee's compliance tab and what HR does there: record/verify evidence, downloads,
evidence pack, subject-access export, legal holds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr_admin
from compliance.forms import LegalHoldForm, RecordForm, RejectForm
from compliance.models import (
    ComplianceRecord,
    EvidencePack,
    JobStatus,
    LegalHold,
    SubjectAccessExport,
)
from compliance.selectors import employee_compliance
from compliance.services import exports, records, retention
from compliance.views.common import require_hr, require_hr_admin
from employees.access import Section, can_change, can_view, employee_get_for_viewer
from employees.profile import profile_tabs
from hrops.downloads import stored_file_response


def _tab_context(request: HttpRequest, employee, record_form=None) -> dict:
    user = request.user
    may_record = can_change(user, employee, Section.COMPLIANCE)
    return {
        "employee": employee,
        "tabs": profile_tabs(user, employee),
        "current": "compliance",
        **employee_compliance(employee),
        "show_evidence": can_view(user, employee, Section.COMPLIANCE_EVIDENCE),
        "may_record": may_record,
        "record_form": record_form or (RecordForm(prefix="rec") if may_record else None),
        "is_self": employee.user_id == user.pk,
        "is_hr_admin": is_hr_admin(user),
        "packs": EvidencePack.objects.filter(employee=employee)[:5] if may_record else [],
        "exports": SubjectAccessExport.objects.filter(employee=employee)[:5]
        if is_hr_admin(user) else [],
        "holds": LegalHold.objects.filter(employee=employee).select_related(
            "record__requirement_type") if may_record else [],
        "hold_form": LegalHoldForm(employee=employee, prefix="hold") if may_record else None,
    }


def employee_tab(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(
        request.user, pk, section=Section.COMPLIANCE,
        queryset=_employees(),
    )
    return render(request, "compliance/employee.html", _tab_context(request, employee))


def _employees():
    from employees.models import Employee

    return Employee.objects.select_related("department", "location", "job_title")


@require_POST
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.COMPLIANCE,
                                       for_write=True, queryset=_employees())
    form = RecordForm(request.POST, request.FILES, prefix="rec")
    if form.is_valid():
        try:
            records.record_add(
                acting_user=request.user, employee=employee,
                requirement_type=form.cleaned_data["requirement_type"],
                data=form.record_data(), evidence=form.cleaned_data.get("evidence"),
                verify=form.cleaned_data.get("verify", False),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(requirement)s recorded for %(name)s.") % {
                "requirement": form.cleaned_data["requirement_type"].name,
                "name": employee.display_name})
            return redirect("compliance:employee", employee.pk)
    return render(request, "compliance/employee.html",
                  _tab_context(request, employee, record_form=form), status=400)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _record_for(request: HttpRequest, pk: int, *, section: Section, for_write: bool):
    record = get_object_or_404(ComplianceRecord.objects.select_related("requirement_type"),
                               pk=pk)
    employee_get_for_viewer(request.user, record.employee_id, section=section,
                            for_write=for_write)
    return record


@require_POST
def record_verify(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk, section=Section.COMPLIANCE, for_write=True)
    records.record_verify(acting_user=request.user, record=record)
    messages.success(request, _("Record verified."))
    return redirect("compliance:employee", record.employee_id)


@require_POST
def record_reject(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk, section=Section.COMPLIANCE, for_write=True)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for rejecting the record."))
        return redirect("compliance:employee", record.employee_id)
    try:
        records.record_reject(acting_user=request.user, record=record,
                              reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Record rejected; the employee can upload again."))
    return redirect("compliance:employee", record.employee_id)


def record_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence download: the viewer must see this employee's evidence (HR, self, or a manager
    granted documents); every download is audited."""
    record = _record_for(request, pk, section=Section.COMPLIANCE_EVIDENCE, for_write=False)
    if not record.evidence:
        raise Http404(_("This record has no evidence file."))
    response = stored_file_response(record.evidence, filename=record.evidence_name or "evidence")
    records.record_evidence_downloaded(acting_user=request.user, record=record)
    return response


@require_POST
def evidence_pack_request(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk, section=Section.COMPLIANCE,
                                       for_write=True)
    exports.evidence_pack_request(acting_user=request.user, employee=employee)
    messages.success(request, _("The evidence pack is being prepared; refresh in a moment."))
    return redirect("compliance:employee", employee.pk)


def evidence_pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = get_object_or_404(EvidencePack, pk=pk)
    employee_get_for_viewer(request.user, pack.employee_id, section=Section.COMPLIANCE,
                            for_write=True)
    if pack.status != JobStatus.READY or not pack.file:
        raise Http404(_("This evidence pack is not ready."))
    response = stored_file_response(pack.file, filename=f"evidence-pack-{pack.employee_id}.pdf")
    exports.file_downloaded(acting_user=request.user, obj=pack, employee_id=pack.employee_id,
                            note="Evidence pack downloaded")
    return response


@require_POST
def subject_access_request(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr_admin(request)
    employee = employee_get_for_viewer(request.user, pk, section=Section.COMPLIANCE)
    exports.subject_access_request(acting_user=request.user, employee=employee)
    messages.success(request, _("The subject-access export is being prepared."))
    return redirect("compliance:employee", employee.pk)


def subject_access_download(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr_admin(request)
    export = get_object_or_404(SubjectAccessExport, pk=pk)
    if export.status != JobStatus.READY or not export.file:
        raise Http404(_("This export is not ready."))
    response = stored_file_response(export.file,
                                    filename=f"subject-access-{export.employee_id}.zip")
    exports.file_downloaded(acting_user=request.user, obj=export,
                            employee_id=export.employee_id, note="Subject-access export "
                            "downloaded")
    return response


@require_POST
def legal_hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    employee = employee_get_for_viewer(request.user, pk, section=Section.COMPLIANCE,
                                       for_write=True)
    form = LegalHoldForm(request.POST, employee=employee, prefix="hold")
    if form.is_valid():
        retention.legal_hold_place(acting_user=request.user, employee=employee,
                                   reason=form.cleaned_data["reason"],
                                   record=form.cleaned_data.get("record"))
        messages.success(request, _("Legal hold placed: nothing of this will be purged."))
    else:
        messages.error(request, _("Give a reason for the legal hold."))
    return redirect("compliance:employee", employee.pk)


@require_POST
def legal_hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr_admin(request)
    hold = get_object_or_404(LegalHold, pk=pk)
    retention.legal_hold_release(acting_user=request.user, hold=hold)
    messages.success(request, _("Legal hold released."))
    return redirect("compliance:employee", hold.employee_id)
