"""PTO payout on termination (Payroll Admin): the balance becomes a run input."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from employees.access import Section, employee_get_for_viewer
from payroll.models import PayComponent, PayRun
from payroll.services.inputs import EDITABLE
from payroll.services.runs import require_payroll_admin
from timeoff.forms import DATE
from timeoff.services.payout import payable_on, payout_on_termination


class PayoutForm(forms.Form):
    last_day = forms.DateField(label=gettext_lazy("Last day"), widget=DATE)
    run = forms.ModelChoiceField(PayRun.objects.filter(status__in=EDITABLE).select_related(
        "schedule", "period"), label=gettext_lazy("Pay run"))
    component = forms.ModelChoiceField(PayComponent.objects.filter(
        kind=PayComponent.Kind.EARNING), label=gettext_lazy("Paid as"))


def payout(request: HttpRequest, pk: int) -> HttpResponse:
    require_payroll_admin(request.user)
    employee = employee_get_for_viewer(request.user, pk, section=Section.PAY_SETUP,
                                       for_write=True)
    initial = {"last_day": employee.termination_date or employee.leaving_on}
    form = PayoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payout_on_termination(employee=employee, acting_user=request.user,
                                  **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The balance is on the pay run as an input."))
            return redirect("payroll:run_inputs", pk=form.cleaned_data["run"].pk)
    day = form.cleaned_data.get("last_day") if form.is_bound and form.is_valid() else (
        initial["last_day"])
    return render(request, "timeoff/payout.html", {
        "employee": employee, "form": form, "day": day,
        "payable": payable_on(employee, day) if day else []},
        status=400 if form.errors else 200)
