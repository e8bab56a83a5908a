"""Access levels (HR Admin): the company-wide switches employees.access reads."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.roles import is_hr_admin
from employees.access import access_policy
from employees.services.access_policy import access_policy_update


class AccessPolicyForm(forms.Form):
    managers_see_team_pay = forms.BooleanField(
        label=_l("Managers see their reports' pay"), required=False,
        help_text=_l("Off: only managers given the per-user grant see it."))
    pay_changes_need_second_approval = forms.BooleanField(
        label=_l("Pay changes need a second approver"), required=False,
        help_text=_l("A pay change at or above either threshold waits for another HR Admin or "
                     "Payroll Admin to approve it before it takes effect; both blank: every "
                     "pay change does."))
    pay_change_threshold_percent = forms.DecimalField(
        label=_l("Threshold: change of at least (%)"), required=False, min_value=0,
        max_digits=6, decimal_places=2)
    pay_change_threshold_amount = forms.DecimalField(
        label=_l("Threshold: change of at least (amount a year, or an hour for hourly pay)"),
        required=False, min_value=0, max_digits=12, decimal_places=2)
    colleague_directory = forms.BooleanField(
        label=_l("Employees see the colleague directory"), required=False,
        help_text=_l("On: every employee can look up colleagues' work details (name, title, "
                     "department, location, work email, manager, photo) and browse the whole "
                     "org chart. Off: an employee sees only their own place on the org chart."))


def access_levels(request: HttpRequest) -> HttpResponse:
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only an HR Admin sets access levels."))
    policy = access_policy()
    form = AccessPolicyForm(request.POST or None, initial={
        name: getattr(policy, name) for name in AccessPolicyForm.base_fields})
    if request.method == "POST" and form.is_valid():
        access_policy_update(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Access levels saved."))
        return redirect("employees:access_levels")
    return render(request, "employees/access_levels.html", {"form": form, "policy": policy})
