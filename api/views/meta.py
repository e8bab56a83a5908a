"""The schema, the reference page generated from it, and problem answers for unknown paths."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONOpenAPIRenderer
from rest_framework.response import Response

from api.base import ApiView
from api.problems import problem
from api.schema import openapi_document
from api.scopes import DESCRIPTIONS


class Schema(ApiView):
    """Public, like the source it describes: it holds no data."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONOpenAPIRenderer]
    schema = None

    def get(self, request):
        return Response(openapi_document())


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@login_not_required
def reference(request):
    """The API reference as a server-rendered page: no script, so the strict CSP holds."""
    document = openapi_document()
    operations = []
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                operations.append({
                    "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                    "scopes": op.get("x-required-scopes", []),
                    "parameters": [p["name"] for p in op.get("parameters", [])
                                   if p.get("in") == "query"],
                    "responses": sorted(op.get("responses", {})),
                })
    return render(request, "api/reference.html", {
        "operations": operations, "scopes": DESCRIPTIONS.items(),
        "info": document["info"]})


class NotFound(ApiView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    schema = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        return problem(404, "No such API endpoint.")

    get = post = put = patch = delete = http_method_not_allowed
