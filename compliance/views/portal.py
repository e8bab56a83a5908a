"""The employee's own compliance in the portal: statuses, uploads, policies to acknowledge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import audit_context
from audit.middleware import client_ip
from compliance.forms import RecordForm
from compliance.models import Acknowledgement, PolicyOpen, PolicyVersion
from compliance.selectors import (
    employee_compliance,
    policy_versions_for_employee,
    requirements_for_employee,
)
from compliance.services import policies, records
from compliance.views.employee import _add_errors
from employees.selectors import employee_for_user
from hrops.downloads import stored_file_response


def _me(request: HttpRequest):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404(_("Your login is not linked to an employee record."))
    return me


def _upload_form(me, data=None, files=None) -> RecordForm:
    form = RecordForm(data, files, staff=False, prefix="up")
    needed = [t.pk for t in requirements_for_employee(me) if t.kind != "policy"]
    form.fields["requirement_type"].queryset = form.fields["requirement_type"].queryset.filter(
        pk__in=needed)
    return form


def my_compliance(request: HttpRequest, form: RecordForm | None = None) -> HttpResponse:
    me = _me(request)
    return render(request, "compliance/my_compliance.html", {
        "me": me, **employee_compliance(me), "form": form or _upload_form(me),
        "policies": policy_versions_for_employee(me),
    }, status=400 if form is not None else 200)


@require_POST
def my_upload(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = _upload_form(me, request.POST, request.FILES)
    if form.is_valid():
        if not form.cleaned_data.get("evidence"):
            form.add_error("evidence", _("Upload the evidence document."))
        else:
            try:
                records.record_add(
                    acting_user=request.user, employee=me,
                    requirement_type=form.cleaned_data["requirement_type"],
                    data=form.record_data(), evidence=form.cleaned_data["evidence"],
                    verify=False, source="portal",
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Uploaded. HR will verify it."))
                return redirect("compliance:my_compliance")
    return my_compliance(request, form=form)


def _my_version(request: HttpRequest, pk: int):
    me = _me(request)
    version = get_object_or_404(PolicyVersion.objects.select_related("policy"), pk=pk)
    applicable = {v["version"].policy_id for v in policy_versions_for_employee(me)}
    if version.policy_id not in applicable:
        raise Http404(_("This policy does not apply to you."))
    return me, version


def my_policy(request: HttpRequest, pk: int) -> HttpResponse:
    """Reading the policy records that it was opened (the server-side proof that makes the
    Acknowledge button work)."""
    me, version = _my_version(request, pk)
    if not version.document:
        policies.policy_open(employee=me, version=version)
    opened = PolicyOpen.objects.filter(version=version, employee=me).exists()
    ack = Acknowledgement.objects.filter(version=version, employee=me).first()
    latest = version.policy.versions.order_by("-number").first()
    return render(request, "compliance/my_policy.html", {
        "version": version, "opened": opened, "ack": ack,
        "is_latest": latest is not None and latest.pk == version.pk, "latest": latest,
    })


def my_policy_document(request: HttpRequest, pk: int) -> HttpResponse:
    me, version = _my_version(request, pk)
    if not version.document:
        raise Http404(_("This policy has no document."))
    response = stored_file_response(version.document, as_attachment=False,
                                    filename=version.document_name or "policy.pdf")
    policies.policy_open(employee=me, version=version)
    return response


@require_POST
def my_policy_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    me, version = _my_version(request, pk)
    try:
        with audit_context(source="portal"):
            policies.policy_acknowledge(acting_user=request.user, employee=me, version=version,
                                        ip_address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("compliance:my_policy", version.pk)
    messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("compliance:my_compliance")
