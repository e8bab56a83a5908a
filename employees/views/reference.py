"""HR keeps the lists of departments, locations and job titles."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts.roles import is_hr
from employees.forms_directory import DepartmentForm, JobTitleForm, LocationForm
from employees.models import Department, JobTitle, Location
from employees.services.reference import reference_delete, reference_in_use_ids, reference_save

KINDS = {
    "departments": (Department, DepartmentForm, _l("Departments"), _l("department")),
    "locations": (Location, LocationForm, _l("Locations"), _l("location")),
    "job-titles": (JobTitle, JobTitleForm, _l("Job titles"), _l("job title")),
}


def _kind(request: HttpRequest, kind: str):
    if not is_hr(request.user):
        raise PermissionDenied(_("Only HR manages departments, locations and job titles."))
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def reference_list(request: HttpRequest, kind: str) -> HttpResponse:
    model, _form, title, noun = _kind(request, kind)
    qs = model.objects.all()
    if model in (Department, Location):
        qs = qs.annotate(headcount=Count("employees"))
    if model is Department:
        qs = qs.select_related("parent")
    return render(request, "employees/reference_list.html", {
        "kind": kind, "title": title, "noun": noun, "items": qs,
        "in_use": reference_in_use_ids(model), "kinds": KINDS,
    })


def reference_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    model, form_class, title, noun = _kind(request, kind)
    instance = get_object_or_404(model, pk=pk) if pk else model()
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = reference_save(acting_user=request.user, instance=instance,
                                   data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved})
            return redirect("employees:reference_list", kind=kind)
    return render(request, "employees/reference_form.html", {
        "kind": kind, "title": title, "noun": noun, "form": form, "instance": instance,
    }, status=400 if request.method == "POST" else 200)


@require_POST
def reference_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, _form, _title, _noun = _kind(request, kind)
    instance = get_object_or_404(model, pk=pk)
    try:
        reference_delete(acting_user=request.user, instance=instance)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deleted %(name)s.") % {"name": instance})
    return redirect("employees:reference_list", kind=kind)
