"""Opening balances import (HR Admin): check first, then post."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from employees.services.imports import ImportFileError
from hrops.exports import to_csv, to_xlsx
from timeoff.services.opening import opening_import, template_rows


def _require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only an HR Admin imports opening balances."))


def opening_balances(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    result = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            result = opening_import(name=upload.name, content=upload.read(),
                                    acting_user=request.user,
                                    commit=request.POST.get("commit") == "1")
        except (ImportFileError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            if result.committed:
                messages.success(request, _("%(n)s opening balances posted.")
                                 % {"n": len(result.rows)})
    return render(request, "timeoff/opening.html", {"result": result},
                  status=400 if result and result.errors else 200)


def opening_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_admin(request)
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(template_rows(), title="Opening balances"),
                                content_type="application/vnd.openxmlformats-officedocument."
                                             "spreadsheetml.sheet")
    else:
        response = HttpResponse(to_csv(template_rows()), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="opening-balances.{fmt}"'
    return response
