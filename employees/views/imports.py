"""Bulk import: upload, dry run with a row-by-row report, then import the checked file."""

import base64

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import is_hr
from employees.forms_directory import ImportForm
from employees.services.imports import MAX_BYTES, TEMPLATES, import_run, template_csv

# A checked file travels back to the "Import now" button signed, so what is written is exactly
# what was checked (and nobody can swap the contents); it expires after an hour.
_SALT = "employees.import"
_MAX_AGE = 3600


def _gate(request: HttpRequest) -> None:
    if not is_hr(request.user):
        raise PermissionDenied(_("Only HR imports employee data."))


def import_page(request: HttpRequest) -> HttpResponse:
    _gate(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = token = None
    if request.method == "POST" and "token" in request.POST:
        return _commit(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.")
                           % {"mb": MAX_BYTES // (1024 * 1024)})
        else:
            content = upload.read()
            kind = form.cleaned_data["kind"]
            result = import_run(acting_user=request.user, kind=kind, name=upload.name,
                                content=content, commit=False)
            if result.ok:
                token = signing.dumps(
                    {"kind": kind, "name": upload.name, "user": request.user.pk,
                     "data": base64.b64encode(content).decode()},
                    salt=_SALT, compress=True,
                )
    return render(request, "employees/import.html",
                  {"form": form, "result": result, "token": token},
                  status=400 if request.method == "POST" and (result is None or not result.ok)
                  else 200)


def _commit(request: HttpRequest) -> HttpResponse:
    try:
        payload = signing.loads(request.POST["token"], salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("That check has expired; upload the file again."))
        return redirect("employees:import")
    if payload.get("user") != request.user.pk:
        raise PermissionDenied(_("This file was checked by someone else."))
    result = import_run(acting_user=request.user, kind=payload["kind"], name=payload["name"],
                        content=base64.b64decode(payload["data"]), commit=True)
    if result.committed:
        messages.success(request, _("Imported %(n)s row(s) from %(name)s.")
                         % {"n": len(result.planned), "name": payload["name"]})
        return redirect("employees:import")
    return render(request, "employees/import.html",
                  {"form": ImportForm(), "result": result, "token": None}, status=400)


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _gate(request)
    if kind not in TEMPLATES:
        raise PermissionDenied(_("Unknown template."))
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-import-template.csv"'
    return response
