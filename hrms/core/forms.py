"""Form helpers shared by every feature.

Forms render and carry CSRF; they hold no rules. A submitted form hands its raw strings to the
use case's input schema and service (the same path as the JSON API), and refusals come back
as messages beside the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from marshmallow import Schema
from wtforms import StringField

from hrms.core.dates import format_date
from hrms.core.errors import FORM, ConflictError, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.extensions import db

T = TypeVar("T")
UNPROCESSABLE = 422


class Form(FlaskForm):  # type: ignore[misc]
    """Base form: CSRF protected; keeps errors that belong to no field in ``form_errors``."""

    #: the refusal shown on the form, if any (views may look at its kind)
    refusal: DomainError | ValidationFailed | None = None

    def attach(self, error: DomainError | ValidationFailed) -> None:
        self.refusal = error
        errors = (
            error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
        )
        for name, messages in errors.items():
            field = getattr(self, name, None) if name != FORM else None
            if field is not None and hasattr(field, "errors"):
                field.errors = [*list(field.errors), *messages]
            else:
                self.form_errors.extend(messages)

    @property
    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(field.errors for field in self)

    @property
    def status(self) -> int:
        """422 (409 for a conflict) when the page shows refusals: the request wrapper then rolls
        everything back."""
        if isinstance(self.refusal, ConflictError):
            return 409
        return UNPROCESSABLE if self.has_errors else 200


class DateText(StringField):
    """A date typed as dd/mm/yyyy, whatever the browser's locale (a date input follows it)."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(label, render_kw=render_kw | kwargs.pop("render_kw", {}), **kwargs)

    def _value(self) -> str:
        if isinstance(self.data, dt.date):
            return format_date(self.data)
        return "" if self.data is None else str(self.data)


def submitted_data() -> dict[str, Any]:
    """The posted fields as typed, without the CSRF token: what the API would get as JSON."""
    return {key: value for key, value in request.form.items() if key != "csrf_token"}


def submit(form: Form, schema: Schema, action: Callable[[dict[str, Any]], T]) -> T | None:
    """On a valid POST run schema and service; on refusal undo everything and show why."""
    if not form.validate_on_submit():
        return None
    try:
        return action(load(schema, submitted_data()))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        return None
