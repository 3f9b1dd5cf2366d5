"""The OpenAPI 3 document, generated from the routes' ``@documented`` descriptions and schemas."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from apispec.ext.marshmallow.common import MODIFIERS
from flask import Flask
from flask_babel import gettext as _
from marshmallow import fields
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


def _schema_name(schema: Any) -> str | None:
    """Components are named after the schema class; a narrowed view of one (``only=``,
    ``exclude=``...) is written inline, so it never competes for the class's name."""
    if not isinstance(schema, type) and any(getattr(schema, m, None) for m in MODIFIERS):
        return None
    return resolver(schema)


def _decimal_as_string(
    converter: Any, field: fields.Field[Any], ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """A decimal written as a string (``as_string=True``: "3.00", exact) is documented as one."""
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    return {}


def build_spec(app: Flask) -> dict[str, Any]:
    marshmallow_plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)  # type: ignore[arg-type]
    spec = APISpec(
        title="HRMS API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[marshmallow_plugin],
        info={
            "description": _(
                "Personnel records of the agency. Every endpoint but token creation needs "
                "Authorization: Bearer <token>; answers are scoped to the token's account."
            )
        },
        servers=[{"url": API_PREFIX}],
    )
    assert marshmallow_plugin.converter is not None  # set by APISpec
    marshmallow_plugin.converter.add_attribute_function(_decimal_as_string)  # type: ignore[no-untyped-call]
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
    document: dict[str, Any] = _json_numbers(spec.to_dict())
    for operations in document["paths"].values():
        for described in operations.values():
            for parameter in described.get("parameters", []):
                # input schemas read an empty value as "not given": ``?kind=`` is no filter
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return document


def _json_numbers(value: Any) -> Any:
    """The document with ``Decimal`` values (defaults of decimal fields) as JSON numbers; the
    JSON encoder would otherwise write them as strings, which the document's types forbid."""
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


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
