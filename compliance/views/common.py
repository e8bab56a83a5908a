"""Helpers shared by the compliance views: the HR gate and list exports."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.roles import is_hr, is_hr_admin
from compliance.services.exports import table_csv, table_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_hr(request: HttpRequest) -> None:
    if not is_hr(request.user):
        raise PermissionDenied("Only HR can open this page.")


def require_hr_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied("Only an HR Admin can do this.")


def wants_export(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in ("csv", "xlsx") else None


def export_response(
    fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(table_xlsx(headers, rows, name), content_type=XLSX)
    else:
        response = HttpResponse(table_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
