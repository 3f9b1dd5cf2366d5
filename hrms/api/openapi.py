"""The OpenAPI 3 document, generated from the routes' ``@documented`` descriptions and schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from flask_babel import gettext as _
from werkzeug.routing import Rule

from hrms.api.schemas import ErrorOut
from hrms.core.api import API_PREFIX, OPERATION_ATTR, Operation
from hrms.core.errors import ERROR_CODES

_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_PARAM_TYPES = {"int": "integer", "string": "string", None: "string"}
_ERROR_TEXT = {
    401: "missing, invalid, expired or revoked token",
    403: "the record is visible but the action is not allowed",
    404: "absent, or outside the caller's scope (the same answer for both)",
    409: "stale version or state conflict",
    422: "invalid input; messages per field",
    429: "too many requests",
}


def api_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX)),
        key=lambda rule: rule.rule,
    )


def undocumented_api_endpoints(app: Flask) -> list[str]:
    return [
        rule.endpoint
        for rule in api_rules(app)
        if getattr(app.view_functions[rule.endpoint], OPERATION_ATTR, None) is None
    ]


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="HRMS API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": _(
                "Personnel records of the agency. Every endpoint but token creation needs "
                "Authorization: Bearer <token>; answers are scoped to the token's account."
            )
        },
        servers=[{"url": API_PREFIX}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorOut)
    for rule in api_rules(app):
        operation: Operation | None = getattr(
            app.view_functions[rule.endpoint], OPERATION_ATTR, None
        )
        if operation is None:
            continue
        path, parameters = _path(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            spec.path(
                path=path,
                operations={method.lower(): _operation(rule, operation, parameters)},
            )
    return spec.to_dict()


def _path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for match in _CONVERTER.finditer(rule.rule):
        parameters.append(
            {
                "name": match["name"],
                "in": "path",
                "required": True,
                "schema": {"type": _PARAM_TYPES.get(match["converter"], "string")},
            }
        )
    path = _CONVERTER.sub(lambda m: "{" + m["name"] + "}", rule.rule[len(API_PREFIX) :])
    return path, parameters


def _operation(
    rule: Rule, operation: Operation, path_parameters: list[dict[str, Any]]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": rule.endpoint.replace(".", "_"),
        "summary": operation.summary,
        "tags": list(operation.tags),
        "parameters": [*path_parameters],
        "responses": {},
    }
    if operation.query is not None:
        result["parameters"].append({"in": "query", "schema": operation.query})
    if operation.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": operation.body}},
        }
    if operation.public:
        result["security"] = []
    else:
        result["security"] = [{"bearer": []}]
    success: dict[str, Any] = {"description": "OK"}
    if operation.response is not None:
        schema: Any = operation.response
        if operation.paged:
            schema = {
                "type": "object",
                "required": ["items", "total", "page", "per_page"],
                "properties": {
                    "items": {"type": "array", "items": operation.response},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                },
            }
        success["content"] = {"application/json": {"schema": schema}}
    result["responses"][str(operation.status)] = success
    errors = set(operation.errors) | ({422} if operation.body or operation.query else set())
    if not operation.public:
        errors.add(401)
    for status in sorted(errors):
        result["responses"][str(status)] = {
            "description": _ERROR_TEXT.get(status, ERROR_CODES.get(status, "error")),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    result.update(operation.extra)
    return result
