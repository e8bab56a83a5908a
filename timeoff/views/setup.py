"""Leave types and policies (HR Admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from timeoff import forms
from timeoff.models import LeavePolicy, LeaveType
from timeoff.services.policies import leave_policy_save, leave_type_save


def _require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only an HR Admin sets up leave types and policies."))


def setup(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(request, "timeoff/setup.html", {
        "types": LeaveType.objects.order_by("name"),
        "policies": LeavePolicy.objects.select_related("leave_type").order_by(
            "leave_type__name", "priority", "id")})


def _edit(request: HttpRequest, form, save, template_title: str, saved: str
          ) -> HttpResponse | None:
    """`saved` names what was saved: "Leave policy “%(name)s” saved."."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, saved % {"name": obj.name})
            return redirect("timeoff:setup")
    return render(request, "timeoff/setup_form.html", {"form": form, "title": template_title},
                  status=400 if form.errors else 200)


def type_edit(request: HttpRequest, type_pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    leave_type = get_object_or_404(LeaveType, pk=type_pk) if type_pk else None
    form = forms.LeaveTypeForm(request.POST or None, instance=leave_type)
    return _edit(request, form, lambda f: leave_type_save(
        acting_user=request.user, leave_type=leave_type, values=f.cleaned_data),
        _("Leave type"), _("Leave type “%(name)s” saved."))


def policy_edit(request: HttpRequest, policy_pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    policy = get_object_or_404(LeavePolicy, pk=policy_pk) if policy_pk else None
    form = forms.LeavePolicyForm(request.POST or None, instance=policy)
    return _edit(request, form, lambda f: leave_policy_save(
        acting_user=request.user, policy=policy, values=f.values()), _("Leave policy"),
        _("Leave policy “%(name)s” saved."))
