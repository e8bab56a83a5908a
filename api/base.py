"""The base of every API view: token authentication, scope check, per-token rate limit (from
settings.REST_FRAMEWORK), audit context "api", a weak ETag on every successful GET (304 on
If-None-Match), and one ApiCall row per call."""

import hashlib
import time

from django.contrib.auth.decorators import login_not_required
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import ApiCall
from api.services.tokens import token_touch
from audit.context import audit_context
from audit.middleware import client_ip


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag.removeprefix("W/") in wanted


class ApiView(APIView):
    scopes: dict[str, str | tuple[str, ...]] = {}

    @classmethod
    def as_view(cls, **initkwargs):
        # A token, not a session, signs the caller in: the site-wide login redirect must not
        # answer for the API (401 problem documents do).
        return login_not_required(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        ip = client_ip(request)
        with audit_context(source="api", ip_address=ip):
            response = super().dispatch(request, *args, **kwargs)
        token = getattr(self.request, "auth", None) if hasattr(self, "request") else None
        ApiCall.objects.create(
            token=token if token is not None else None,
            user_id=token.user_id if token is not None else None, ip_address=ip,
            method=request.method[:8], path=request.path[:255], status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000))
        if token is not None:
            token_touch(token, ip)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 \
                and isinstance(response, Response):
            response.render()
            etag = 'W/"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
                not_modified = Response(status=304, headers={"ETag": etag})
                return super().finalize_response(request, not_modified, *args, **kwargs)
            response["ETag"] = etag
        return response
