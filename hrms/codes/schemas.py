"""Input schemas of the code lists (one validation path for forms and the API) and outputs."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from marshmallow_sqlalchemy import SQLAlchemySchema, auto_field

from hrms.codes.models import CodeEntry
from hrms.core.api import PageQuerySchema
from hrms.core.schemas import InputSchema

CODE_FORMAT = validate.Regexp(
    r"^[a-z0-9][a-z0-9_]*$",
    error=_l("Use lower-case letters without accents, digits or underscores, without spaces."),
)
SORT_ORDER_RANGE = validate.Range(min=0, max=1_000_000)


class Code(fields.String):
    """Codes are compared in lower case: "KINH" is stored and checked as "kinh"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs)).lower()


class CodeEntryCreateSchema(InputSchema):
    code = Code(required=True, validate=[validate.Length(max=20), CODE_FORMAT])
    label = fields.String(required=True, validate=validate.Length(max=255))
    sort_order = fields.Integer(load_default=None, validate=SORT_ORDER_RANGE)
    parent_code = Code(load_default=None, validate=validate.Length(max=20))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class CodeEntryUpdateSchema(InputSchema):
    """The code and the list are fixed once created: they are not accepted here."""

    version = fields.Integer(required=True)
    label = fields.String(required=True, validate=validate.Length(max=255))
    sort_order = fields.Integer(required=True, validate=SORT_ORDER_RANGE)
    active = fields.Boolean(load_default=False)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class CodeEntryListQuery(PageQuerySchema):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "text in the label or code, with or without accents"},
    )
    parent_code = fields.String(
        load_default=None,
        validate=validate.Length(max=20),
        metadata={"description": "only entries under this parent (communes of a province)"},
    )


class CodeEntryOut(SQLAlchemySchema):
    """An entry as the API shows it (types and required-ness come from the model)."""

    class Meta:
        model = CodeEntry

    code = auto_field(dump_only=True)
    label = auto_field(dump_only=True)
    sort_order = auto_field(dump_only=True)
    parent_code = auto_field(dump_only=True)
    note = auto_field(dump_only=True)
