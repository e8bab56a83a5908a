"""Every API error as an RFC 9457 problem document (application/problem+json): type, title,
status, detail, and `errors` [{field, message}] for bad input. Django ValidationErrors raised by
the services (the same ones the web forms show) become 400s with their fields."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from employees.services.personal import EditConflict

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs/#problem-"
TITLES = {400: "Invalid request", 401: "Not authenticated", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 406: "Not acceptable", 409: "Conflict",
          412: "Precondition failed", 415: "Unsupported media type", 429: "Too many requests"}


def errors_of(detail, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail (dict / list / string) flattened to [{field, message}]."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            field = "" if key in ("non_field_errors", "__all__") else str(key)
            out.extend(errors_of(value, f"{prefix}.{field}" if prefix and field else
                                 (field or prefix)))
        return out
    if isinstance(detail, list):
        return [e for item in detail for e in errors_of(item, prefix)]
    return [{"field": prefix, "message": str(detail)}]


def django_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [{"field": "" if f == "__all__" else f, "message": m}
                for f, errs in exc.message_dict.items() for m in errs]
    return [{"field": "", "message": m} for m in exc.messages]


def form_invalid(form) -> exceptions.ValidationError:
    """A bound Django form's errors (the web page's own validation) as a 400 to raise."""
    return exceptions.ValidationError({f: list(errs) for f, errs in form.errors.items()})


def problem(status_code: int, detail: str = "", errors: list | None = None,
            headers: dict | None = None) -> Response:
    body = {"type": f"{TYPE_BASE}{status_code}", "title": TITLES.get(status_code, "Error"),
            "status": status_code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers,
                        content_type=CONTENT_TYPE)
    return response


def _detail(exc) -> str:
    detail = getattr(exc, "detail", None)
    if isinstance(detail, str):
        return detail
    return str(exc) if not isinstance(exc, exceptions.ValidationError) else ""


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        return problem(409, exc.message)
    if isinstance(exc, DjangoValidationError):
        errors = django_errors(exc)
        return problem(400, "; ".join(e["message"] for e in errors), errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None  # a real bug: a 500, logged as such
    if isinstance(exc, exceptions.ValidationError):
        errors = errors_of(exc.detail)
        return problem(400, "; ".join(e["message"] for e in errors) or "Invalid input.",
                       errors)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After",
                                                          "Allow")}
    code = response.status_code
    if code == status.HTTP_403_FORBIDDEN and isinstance(exc, exceptions.NotAuthenticated):
        code = 401
    return problem(code, _detail(exc), headers=headers)
