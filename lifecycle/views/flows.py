import re
from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from employees.access import Section, employee_get_for_viewer
from employees.models import Employee
from lifecycle import forms, selectors
from lifecycle.hire_extras import HireExtraForms
from lifecycle.services import flows


def _require_hr(user) -> None:
    if not is_hr(user):
        raise PermissionDenied(_("Only HR may do this."))


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _suggest_number() -> str:
    last = Employee.objects.filter(employee_number__regex=r"^E\d+$").aggregate(
        n=Max("employee_number"))["n"]
    number = int(re.sub(r"\D", "", last)) + 1 if last else 1
    return f"E{number:04d}"


def hire(request: HttpRequest) -> HttpResponse:
    """HR's "New hire": the employee in pre-hire with job and pay, onboarding started."""
    _require_hr(request.user)
    form = forms.HireForm(request.POST or None,
                          initial={"employee_number": _suggest_number()})
    extra = HireExtraForms(request.POST or None,
                           work_country=(request.POST.get("work_country") or "GB")[:2].upper())
    # Both checked before either is used: every error shows in one submit.
    if request.method == "POST" and all([form.is_valid(), extra.is_valid()]):
        data = replace(form.hire_data(), extras=extra.extras())
        try:
            result = flows.hire_create(acting_user=request.user, data=data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, hired_message(result, data.start_date))
            return redirect("lifecycle:employee_checklists", pk=result.employee.pk)
    errors = form.errors or any(f.errors for _t, f in extra.sections)
    return render(request, "lifecycle/hire.html", {"form": form, "extra": extra},
                  status=400 if errors
                  else 200)


def hired_message(result: flows.HireResult, start: date) -> str:
    """Someone whose start date has come is active already: never "pre-hire until" a past day."""
    values = {"name": result.employee.display_name, "date": date_format(start),
              "n": len(result.checklists)}
    if result.employee.status == Employee.Status.PRE_HIRE:
        return _("%(name)s is hired (pre-hire until %(date)s); %(n)d onboarding checklist(s) "
                 "started.") % values
    return _("%(name)s is hired and active since %(date)s; %(n)d onboarding checklist(s) "
             "started.") % values


def offboard(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr(request.user)
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       for_write=True)
    form = forms.OffboardForm(request.POST or None,
                              initial={"last_day": flows.default_last_day()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            flows.offboarding_start(acting_user=request.user, employee=employee,
                                    data=form.offboard_data())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Offboarding of %(name)s started; last day %(date)s.")
                             % {"name": employee.display_name,
                                "date": date_format(d["last_day"])})
            return redirect("lifecycle:employee_checklists", pk=employee.pk)
    return render(request, "lifecycle/offboard.html", {
        "form": form, "employee": employee, "leaver": selectors.leaver_notice_for(employee),
        "open_tasks": selectors.leaver_open_tasks(employee),
    }, status=400 if form.errors else 200)


@require_POST
def offboard_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr(request.user)
    employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                       for_write=True)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        flows.offboarding_cancel(acting_user=request.user, employee=employee, note=note)
        messages.success(request, _("Offboarding cancelled: %s stays.") % employee.display_name)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("lifecycle:employee_checklists", pk=employee.pk)
