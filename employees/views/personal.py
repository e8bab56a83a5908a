import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.access import Relation, Section, can_change, relation
from employees.models import EmergencyContact
from employees.record_forms import EmergencyContactForm, PersonalForm, SelfContactForm
from employees.services.personal import (
    EditConflict,
    emergency_contact_delete,
    emergency_contact_save,
    employee_update_personal,
    loaded_token,
)
from employees.views.records_common import audit_source, get_employee, tab_context


def _form_class(viewer, employee):
    return SelfContactForm if relation(viewer, employee) is Relation.SELF else PersonalForm


def personal(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee(request, pk, section=Section.PERSONAL)
    editable = can_change(request.user, employee, Section.PERSONAL)
    form_class = _form_class(request.user, employee)
    conflict = form = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You may not change these details."))
        # A copy: a refused save must not alter the page's view of the stored record.
        form = form_class(request.POST, instance=copy.copy(employee))
        if form.is_valid():
            try:
                employee_update_personal(
                    acting_user=request.user, employee=employee, data=form.personal_data(),
                    version=form.cleaned_data["version"], loaded=form.cleaned_data["loaded"],
                    source=audit_source(request.user, employee))
            except EditConflict as exc:
                conflict = exc
                form.add_error(None, exc.message)
            except ValidationError as exc:  # a work email someone else has
                form.add_error(None, exc)
            else:
                messages.success(request, _("Personal details saved."))
                return redirect("employees:personal", pk=employee.pk)
    else:
        form = form_class(instance=employee, initial={
            "version": employee.version, "loaded": loaded_token(employee)})
    contacts = list(employee.emergency_contacts.all())
    status = 409 if conflict else 400 if editable and form.errors else 200
    return render(request, "employees/personal.html", tab_context(
        request, employee, "personal", form=form if editable else None, conflict=conflict,
        contacts=contacts, contact_form=EmergencyContactForm() if editable else None,
        editable=editable, is_self=relation(request.user, employee) is Relation.SELF),
        status=status)


def _contact_for_write(request: HttpRequest, pk: int, contact_pk: int | None):
    employee = get_employee(request, pk, section=Section.PERSONAL,
                                       for_write=True)
    contact = None
    if contact_pk is not None:
        contact = get_object_or_404(EmergencyContact, pk=contact_pk, employee=employee)
    return employee, contact


def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    """Add (contact_pk None) or change an emergency contact; HR or the employee themself."""
    employee, contact = _contact_for_write(request, pk, contact_pk)
    form = EmergencyContactForm(request.POST or None, instance=copy.copy(contact))
    if request.method == "POST" and form.is_valid():
        try:
            emergency_contact_save(acting_user=request.user, employee=employee,
                                   data=form.cleaned_data, contact=contact,
                                   source=audit_source(request.user, employee))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Emergency contact saved."))
            return redirect("employees:personal", pk=employee.pk)
    return render(request, "employees/contact_form.html", tab_context(
        request, employee, "personal", form=form, contact=contact),
        status=400 if form.errors else 200)


@require_POST
def contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    employee, contact = _contact_for_write(request, pk, contact_pk)
    emergency_contact_delete(acting_user=request.user, contact=contact,
                             source=audit_source(request.user, employee))
    messages.success(request, _("Emergency contact removed."))
    return redirect("employees:personal", pk=employee.pk)
