"""Conventions of the JSON API (``/api/v1``): error envelope, request bodies, pagination.

Errors are always ``{"error": {"code", "message", "fields"}}``; lists are
``{"items", "total", "page", "per_page"}``; bodies are validated by the same input schemas as
the HTML forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from marshmallow import Schema, fields, validate

from hrms.core.errors import ValidationFailed
from hrms.core.schemas import InputSchema, load

API_PREFIX = "/api/v1"
F = TypeVar("F", bound=Callable[..., Any])


def api_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint under ``/api/v1``; the app exempts these from CSRF (tokens, not cookies)."""
    blueprint = Blueprint(name, import_name, url_prefix=f"{API_PREFIX}{url_prefix}")
    blueprint.json_api = True  # type: ignore[attr-defined]
    return blueprint


def json_body(schema: Schema) -> dict[str, Any]:
    """The request's JSON object, validated by ``schema``; 422 with field messages otherwise."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"_form": [str(_l("The request body must be a JSON object."))]})
    return load(schema, data)


class PageQuerySchema(InputSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def query_args(schema: Schema) -> dict[str, Any]:
    """Query parameters validated by ``schema`` (422 with field messages when wrong).

    A parameter the schema does not know, or a single-valued one given twice, is refused like
    any other wrong value: silently ignoring it would answer a question the caller did not ask.
    """
    known = {field.data_key or name: field for name, field in schema.load_fields.items()}
    problems: dict[str, list[str]] = {}
    for name, values in request.args.lists():
        field_ = known.get(name)
        if field_ is None:
            problems[name] = [str(_l("This field is not accepted."))]
        elif len(values) > 1 and not isinstance(field_, fields.List):
            problems[name] = [str(_l("Give this parameter only once."))]
    if problems:
        raise ValidationFailed(problems)
    return load(schema, request.args.to_dict())


def list_page(
    items: Sequence[Any], args: dict[str, Any], dump: Callable[[Sequence[Any]], Any]
) -> dict[str, Any]:
    """The list envelope for rows already in memory (a tree order, a short ledger), cut by the
    ``page`` and ``per_page`` of ``PageQuerySchema``; ``dump`` renders the page's rows."""
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": dump(items[start : start + args["per_page"]]),
        "total": len(items),
        "page": args["page"],
        "per_page": args["per_page"],
    }


def page_body(pagination: Pagination, schema: Schema) -> dict[str, Any]:
    return {
        "items": schema.dump(pagination.items, many=True),
        "total": pagination.total,
        "page": pagination.page,
        "per_page": pagination.per_page,
    }


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one route."""

    summary: str
    response: Schema | None = None
    body: Schema | None = None
    query: Schema | None = None
    paged: bool = False
    status: int = 200
    errors: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    public: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


OPERATION_ATTR = "_hrms_api_operation"


def documented(operation: Operation) -> Callable[[F], F]:
    """Attach the route's OpenAPI description; the document is generated from these."""

    def decorate(view: F) -> F:
        setattr(view, OPERATION_ATTR, operation)
        return view

    return decorate
