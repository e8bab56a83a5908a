"""Custom fields: the HR Admin's definitions page, and the "More details" tab of a profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from customfields.forms import CustomFieldForm, values_form_class
from customfields.models import CustomField
from customfields.selectors import fields_for_viewer
from customfields.services import FIELD_ATTRS, custom_field_save, custom_values_set
from employees.access import employee_get_for_viewer
from employees.profile import profile_tabs


def field_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only an HR Admin defines custom fields."))
    field = get_object_or_404(CustomField, pk=pk) if pk else None
    form = CustomFieldForm(request.POST or None, instance=field)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FIELD_ATTRS if name in
                form.cleaned_data}
        try:
            saved = custom_field_save(acting_user=request.user, field=field, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved the field “%(f)s”.") % {"f": saved.label})
            return redirect("customfields:fields")
    return render(request, "customfields/fields.html", {
        "form": form, "field": field, "fields": CustomField.objects.all()},
        status=400 if form.errors else 200)


def employee_fields(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_viewer(request.user, pk)
    sections = fields_for_viewer(request.user, employee)
    editable = [item for _s, items in sections for item in items if item.editable]
    form_class = values_form_class(editable)
    form = form_class(request.POST or None, initial={i.field.column: i.value for i in editable})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You may not change these details."))
        if form.is_valid():
            try:
                custom_values_set(acting_user=request.user, employee=employee,
                                  raw=form.cleaned_data)
            except ValidationError as exc:
                for column, errors in exc.message_dict.items():
                    form.add_error(column if column in form.fields else None, errors)
            else:
                messages.success(request, _("Details saved."))
                return redirect("customfields:employee", pk=employee.pk)
    return render(request, "customfields/employee.html", {
        "employee": employee, "tabs": profile_tabs(request.user, employee), "current": "custom",
        "sections": sections, "form": form if editable else None},
        status=400 if form.errors else 200)
