"""The employee's own "My profile" pages: contact details, emergency contacts, bank change
requests. Changes made here are audited with source "portal"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.access import Section, is_self
from employees.models import BankChangeRequest, Employee
from employees.record_forms import BankAccountForm
from employees.selectors import employee_for_user
from employees.services import bank as bank_services
from employees.views.records_common import get_employee, tab_context


def _me(request: HttpRequest) -> Employee:
    me = employee_for_user(request.user)
    if me is None:
        raise PermissionDenied(_("Your login is not linked to an employee record."))
    return me


def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("employees:personal", pk=_me(request).pk)


def my_bank(request: HttpRequest) -> HttpResponse:
    return redirect("employees:bank", pk=_me(request).pk)


def bank_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An employee asks to be paid into another account; HR Admin / Payroll Admin decide."""
    employee = get_employee(request, pk, section=Section.BANK)
    # Staff use this too for their own account: the same request, decided by someone else.
    if not is_self(request.user, employee):
        raise PermissionDenied(_("Only the employee can ask for their own bank change."))
    form = BankAccountForm(request.POST or None, initial={
        "holder_name": employee.legal_name, "country": employee.work_country,
        "scheme": "us_ach" if employee.work_country == "US" else "uk"})
    if request.method == "POST" and form.is_valid():
        try:
            bank_services.bank_change_request_create(
                acting_user=request.user, employee=employee, details=form.details())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Request sent. HR will review it; we have emailed you "
                                        "a confirmation."))
            return redirect("employees:bank", pk=employee.pk)
    return render(request, "employees/bank_form.html", tab_context(
        request, employee, "bank", form=form, title=_("Ask to change my bank account"),
        action_url=request.path, is_request=True), status=400 if form.errors else 200)


@require_POST
def bank_request_cancel(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    employee = get_employee(request, pk, section=Section.BANK)
    if not is_self(request.user, employee):
        raise PermissionDenied(_("Only the employee can withdraw their request."))
    change = get_object_or_404(BankChangeRequest, pk=request_pk, employee=employee)
    try:
        bank_services.bank_change_request_cancel(acting_user=request.user, change=change)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("employees:bank", pk=employee.pk)
