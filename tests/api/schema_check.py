"""Validate an API answer against the OpenAPI document's response schema for it."""

from openapi_schema_validator import OAS30Validator

from api.schema import openapi_document


def _resolve(node, components):
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(components[node["$ref"].rsplit("/", 1)[1]], components)
        return {k: _resolve(v, components) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, components) for v in node]
    return node


def assert_matches_schema(response, path: str, method: str) -> None:
    document = openapi_document()
    operation = document["paths"][path][method.lower()]
    declared = operation["responses"][str(response.status_code)]
    schema = next(iter(declared["content"].values()))["schema"]
    schema = _resolve(schema, document["components"]["schemas"])
    OAS30Validator(schema).validate(response.json())
