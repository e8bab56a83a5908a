"""Profile photos: served only to who may see the person's work details
(employees.access.can_see_work_details), uploaded and removed by HR or the person themself."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from employees.access import Section, can_change, can_see_work_details, employee_get_for_viewer
from employees.models import Employee, ProfilePhoto
from employees.services.photos import photo_remove, photo_upload


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_l("New photo"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    found = ProfilePhoto.objects.select_related("employee").filter(employee_id=pk).first()
    if found is None or not can_see_work_details(request.user, found.employee):
        raise Http404(_("No photo."))
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return response


def _employee_for_photo_change(request: HttpRequest, pk: int) -> Employee:
    employee = employee_get_for_viewer(request.user, pk)
    if not can_change(request.user, employee, Section.PHOTO):
        raise PermissionDenied(_("You may not change this person's photo."))
    return employee


@require_POST
def photo_change(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee_for_photo_change(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
        return redirect("employees:profile", pk=employee.pk)
    try:
        photo_upload(acting_user=request.user, employee=employee,
                     upload=form.cleaned_data["photo"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Photo saved."))
    return redirect("employees:profile", pk=employee.pk)


@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee_for_photo_change(request, pk)
    photo_remove(acting_user=request.user, employee=employee)
    messages.success(request, _("Photo removed."))
    return redirect("employees:profile", pk=employee.pk)
