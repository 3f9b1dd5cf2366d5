"""Domain errors raised by services, and the HTTP error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, jsonify, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hrms.core.db import INTEGER_MAX
from hrms.core.security import wants_json

#: a form-level error that belongs to no single field
FORM = "_form"


class DomainError(Exception):
    """A rule refused the input. ``field`` names the input at fault, ``message`` says why."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ValidationFailed(Exception):
    """Several field errors at once, as from a schema."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        super().__init__(str(errors))
        self.errors = errors


class ConflictError(DomainError):
    """Someone else changed the record since it was read."""


ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    422: _l("Invalid input"),
    413: _l("Upload too large"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Service unavailable"),
}

ERROR_EXPLANATIONS = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to do this."),
    404: _l("The page or record you asked for does not exist or is not available to you."),
    405: _l("This address does not accept this kind of request."),
    409: _l("The record was changed by someone else. Reload it and try again."),
    422: _l("Some values are missing or wrong; see the messages for each field."),
    413: _l("The file you sent is larger than allowed."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. The error has been logged."),
    503: _l("The service is temporarily unavailable. Please try again in a moment."),
}


ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def error_response(
    status: int, message: Any, fields: dict[str, list[Any]] | None = None
) -> Response:
    """The API's error envelope: ``{"error": {"code", "message", "fields"}}``."""
    response = jsonify(
        {
            "error": {
                "code": ERROR_CODES.get(status, "error"),
                "message": str(message),
                "fields": {name: [str(m) for m in items] for name, items in (fields or {}).items()},
            }
        }
    )
    response.status_code = status
    return response


def _render(status: int, message: Any = None) -> Any:
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    text = message or ERROR_EXPLANATIONS.get(status, ERROR_EXPLANATIONS[500])
    if wants_json():
        return error_response(status, text)
    return render_template("errors/error.html", status=status, title=title, text=text), status


def _ids_in_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A path id no row can have is absent (404, like any other absent record), not a database
    error: SQLite cannot even bind an integer beyond 64 bits, PostgreSQL refuses one beyond the
    column's type."""
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INTEGER_MAX:
            abort(404)


def register_error_handlers(app: Flask) -> None:
    app.url_value_preprocessor(_ids_in_range)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return _render(
            400,
            _l(
                "Your form has expired or is missing its security token. "
                "Reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code in (301, 302, 303, 307, 308):
            return error
        return _render(error.code or 500)

    @app.errorhandler(ValidationFailed)
    def validation_failed(error: ValidationFailed) -> Any:
        if wants_json():
            return error_response(422, ERROR_EXPLANATIONS[422], error.errors)
        return _render(422)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        status = 409 if isinstance(error, ConflictError) else 422
        if wants_json():
            fields = {} if error.field == FORM else {error.field: [error.message]}
            return error_response(status, error.message, fields)
        return _render(status, error.message)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        app.logger.exception("Unhandled error")
        return _render(500)
