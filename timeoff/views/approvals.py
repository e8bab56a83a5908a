"""Managers, their delegates and HR decide requests; managers name a delegate while away."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role, is_hr
from employees.access import is_manager
from employees.models import Employee
from employees.selectors import employee_for_user
from timeoff import forms, selectors
from timeoff.access import delegating_managers
from timeoff.models import Delegation
from timeoff.services import requests as svc
from timeoff.services.delegation import delegation_set
from timeoff.views.common import error, request_for_viewer, request_summary


def _may_approve(user) -> bool:
    return (is_hr(user) or is_manager(user) or bool(delegating_managers(user))
            or has_role(user, Role.PAYROLL_ADMIN))


def approvals(request: HttpRequest) -> HttpResponse:
    if not _may_approve(request.user):
        raise PermissionDenied(_("Only managers, their delegates and HR decide time off."))
    return render(request, "timeoff/approvals.html", {
        "pending": selectors.pending_for_approver(request.user),
        "decision_form": forms.DecisionForm()})


@require_POST
def request_decide(request: HttpRequest, request_pk: int) -> HttpResponse:
    leave = request_for_viewer(request.user, request_pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
        return redirect("timeoff:approvals")
    try:
        if form.cleaned_data["decision"] == "approve":
            svc.request_approve(request=leave, acting_user=request.user,
                                reason=form.cleaned_data["reason"])
            messages.success(request, _("Approved %(request)s.") % {
                "request": request_summary(leave)})
        else:
            svc.request_decline(request=leave, acting_user=request.user,
                                reason=form.cleaned_data["reason"])
            messages.success(request, _("Declined %(request)s.") % {
                "request": request_summary(leave)})
    except ValidationError as exc:
        error(request, exc)
    return redirect("timeoff:approvals")


def delegations(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    if me is None or not is_manager(request.user):
        raise PermissionDenied(_("Only managers delegate their approvals."))
    # Whoever could sensibly stand in: their own manager, their peers and their direct reports
    # (a bounded list, never the whole company in a select box).
    near = Q(manager_id=me.pk) | Q(pk=me.manager_id) | (
        Q(manager_id=me.manager_id) if me.manager_id else Q(pk__in=[]))
    people = Employee.objects.filter(near, status=Employee.Status.ACTIVE).exclude(
        pk=me.pk).order_by("legal_last_name", "legal_first_name")
    form = forms.DelegationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            delegation_set(manager=me, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Delegation saved."))
            return redirect("timeoff:delegations")
    return render(request, "timeoff/delegations.html", {
        "form": form, "rows": Delegation.objects.filter(manager=me).select_related("delegate")
        .order_by("-first_day")[:20]})
