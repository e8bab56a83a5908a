"""The OpenAPI document: drf-spectacular's, with each operation's required scopes stated (as
`x-required-scopes` and in its description), generated once per process for the docs page."""

from functools import lru_cache

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema


class ScopedAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        """From method and path ("get_employees_by_id_jobs"): APIViews have no list/retrieve
        action to tell two GETs apart."""
        parts = [("by_" + p.strip("{}")) if p.startswith("{") else p.replace("-", "_")
                 for p in self.path.removeprefix("/api/v1").split("/") if p]
        return "_".join([self.method.lower(), *parts])

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        needed = getattr(self.view, "scopes", {}).get(self.method)
        if needed:
            needed = [needed] if isinstance(needed, str) else list(needed)
            operation["x-required-scopes"] = [str(s) for s in needed]
            text = "Scope: " + ", ".join(f"`{s}`" for s in needed) + "."
            operation["description"] = (text + "\n\n" + operation.get("description", "")
                                        ).strip()
        return operation


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    return SchemaGenerator(patterns=None, urlconf="api.urls_v1_schema").get_schema(
        request=None, public=True)
