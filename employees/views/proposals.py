"""Job and pay changes waiting for approval (employees.services.proposals): a manager proposes for
a report; HR (or a second HR Admin / Payroll Admin) approves or declines with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts.roles import is_staff_member
from employees.access import Relation, Section, employee_get_for_viewer, is_manager, relation
from employees.forms_directory import CompensationChangeForm, JobChangeForm
from employees.models import ChangeProposal
from employees.services import proposals as services
from employees.views.profile import _remap

KINDS = {"job": ChangeProposal.Kind.JOB, "pay": ChangeProposal.Kind.PAY}


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_l("Reason for declining"), max_length=255)


def propose(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT)
    if relation(request.user, employee) is not Relation.MANAGER:
        raise PermissionDenied(_("Only their manager proposes changes for this person."))
    # A manager proposing pay is not shown the current pay unless they may see it anyway.
    form = (JobChangeForm.for_employee(employee, data=request.POST or None) if kind == "job"
            else CompensationChangeForm.for_record(None, data=request.POST or None))
    if request.method == "POST" and form.is_valid():
        values = {"job": form.job()} if kind == "job" else {"pay": form.pay()}
        try:
            services.change_propose(
                acting_user=request.user, employee=employee, kind=KINDS[kind],
                origin=ChangeProposal.Origin.MANAGER,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], **values)
        except ValidationError as exc:
            form.add_error(None, _remap(exc, form))
        else:
            messages.success(request, _("Proposal sent: HR approves or declines it before it "
                                        "takes effect."))
            return redirect("employees:proposals")
    return render(request, "employees/propose.html", {
        "employee": employee, "form": form, "kind": kind},
        status=400 if request.method == "POST" else 200)


def proposals(request: HttpRequest) -> HttpResponse:
    if not (is_staff_member(request.user) or is_manager(request.user)):
        raise PermissionDenied(_("Only managers and HR see change proposals."))
    return render(request, "employees/proposals.html", {
        "to_decide": services.proposals_pending_for(request.user),
        "mine": services.proposals_made_by(request.user), "decline_form": DeclineForm()})


@require_POST
def proposal_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("approve", "decline"):
        raise Http404
    proposal = get_object_or_404(ChangeProposal.objects.select_related("employee"), pk=pk)
    # Only someone who may see the person learns that the proposal exists.
    employee_get_for_viewer(request.user, proposal.employee_id, section=Section.EMPLOYMENT)
    if not services.can_decide_proposal(request.user, proposal):
        raise PermissionDenied(_("You may not decide this proposal."))
    try:
        if action == "approve":
            services.change_proposal_approve(acting_user=request.user, proposal=proposal)
            messages.success(request, _("Approved: the change is recorded."))
        else:
            form = DeclineForm(request.POST)
            services.change_proposal_decline(
                acting_user=request.user, proposal=proposal,
                reason=form.cleaned_data["reason"] if form.is_valid() else "")
            messages.success(request, _("Declined: nothing was changed on the record."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("employees:proposals")
