from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import AuditContext, _current


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the proxy in production; gunicorn is started with --forwarded-allow-ips so
    # only the trusted proxy's X-Forwarded-For is honoured there (see docker-compose.yml).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and request.META.get("wsgi.url_scheme") == "https":
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            source = "admin"
        elif request.path.startswith("/portal/"):
            source = "portal"
        else:
            source = "form"
        token = _current.set(AuditContext(ip_address=client_ip(request), source=source))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
