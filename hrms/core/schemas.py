"""Input validation shared by HTML forms and the JSON API.

Views hand the raw submitted strings to ``load``; the same schema checks form posts and API
bodies, so both accept and refuse exactly the same input. Marshmallow's English messages are
translated here, once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from hrms.core.db import INTEGER_MAX
from hrms.core.errors import FORM, ValidationFailed

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")

_FIXED_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field is required."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid date.": _l("Enter a valid date (dd/mm/yyyy)."),
    "Not a valid datetime.": _l("Enter a valid date and time."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Not a valid email address.": _l("Enter a valid email address."),
    "Unknown field.": _l("This field is not accepted."),
    "Invalid input type.": _l("The data sent is not in the expected form."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid list.": _l("Enter a list."),
}

_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^Longer than maximum length (\d+)\.$"),
        lambda m: _("At most %(max)s characters.", max=m.group(1)),
    ),
    (
        re.compile(r"^Shorter than minimum length (\d+)\.$"),
        lambda m: _("At least %(min)s characters.", min=m.group(1)),
    ),
    (
        re.compile(r"^Must be one of: .*\.$"),
        lambda m: _("Choose one of the listed values."),
    ),
    (
        re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
        lambda m: _("Enter a value from %(min)s to %(max)s.", min=m.group(1), max=m.group(2)),
    ),
    (
        re.compile(r"^Must be greater than or equal to (\S+)\.$"),
        lambda m: _("Enter a value of at least %(min)s.", min=m.group(1)),
    ),
]


def translate(message: Any) -> str:
    text = str(message)
    fixed = _FIXED_MESSAGES.get(text)
    if fixed is not None:
        return str(fixed)
    for pattern, render in _PATTERNS:
        match = pattern.match(text)
        if match:
            return render(match)
    return text


def _flatten(messages: Any, name: str = "") -> dict[str, list[str]]:
    """Marshmallow nests errors by field (and list index); flatten to 'field', 'items.0.name'."""
    if not isinstance(messages, Mapping):
        items = messages if isinstance(messages, list) else [messages]
        return {name or FORM: [translate(message) for message in items]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        child = FORM if key == "_schema" else f"{name}.{key}" if name else str(key)
        flat.update(_flatten(value, child))
    return flat


class Date(fields.Date):
    """A date typed as dd/mm/yyyy (how people write them) or ISO yyyy-mm-dd (how programs do)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if isinstance(value, str):
            match = _DAY_MONTH_YEAR.fullmatch(value.strip())
            if match:
                day, month, year = (int(part) for part in match.groups())
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    raise self.make_error("invalid") from None
        result: dt.date = super()._deserialize(value, attr, data, **kwargs)
        return result


class Secret(fields.String):
    """A string kept exactly as typed (passwords): never trimmed."""


class InputSchema(Schema):
    """Base for input schemas: trims text and treats empty strings as "not given"."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whole numbers without a range of their own stay within the database's ``INTEGER``
        # (ids, versions): a larger one is a validation error, not a database failure. (Done
        # here rather than in ``on_bind_field``, which schemas override for their own needs.)
        for field_obj in self.fields.values():
            for candidate in (field_obj, getattr(field_obj, "inner", None)):
                if isinstance(candidate, fields.Integer) and not any(
                    isinstance(rule, validate.Range) for rule in candidate.validators
                ):
                    candidate.validators.append(
                        validate.Range(min=-INTEGER_MAX - 1, max=INTEGER_MAX)
                    )

    @pre_load
    def _clean_strings(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str):
                if not isinstance(self.fields.get(key), Secret):
                    value = value.strip()
                if value == "":
                    continue
            cleaned[key] = value
        return cleaned


def load(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``data``; raise ``ValidationFailed`` with translated, per-field messages."""
    try:
        result: dict[str, Any] = schema.load(data)
    except ValidationError as error:
        raise ValidationFailed(_flatten(error.messages)) from None
    return result


class NoInput(InputSchema):
    """For actions that take nothing but the CSRF token (unlock, remove)."""
