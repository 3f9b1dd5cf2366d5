"""Input schemas for units: the one validation path for forms and the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from marshmallow_sqlalchemy import SQLAlchemySchema, auto_field

from hrms.core.api import PageQuerySchema
from hrms.core.schemas import Date, InputSchema
from hrms.org.models import Unit, UnitHistory, UnitKind

_CODE_FORMAT = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    error=_l("Use letters, digits, dots, dashes or underscores, without spaces."),
)


class UnitCreateSchema(InputSchema):
    code = fields.String(required=True, validate=[validate.Length(max=30), _CODE_FORMAT])
    name = fields.String(required=True, validate=validate.Length(max=255))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in UnitKind]))
    parent_id = fields.Integer(load_default=None)
    effective_from = Date(required=True)


class UnitRenameSchema(InputSchema):
    version = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(max=255))
    effective_date = Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class UnitMoveSchema(InputSchema):
    version = fields.Integer(required=True)
    parent_id = fields.Integer(required=True)
    effective_date = Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class UnitCloseSchema(InputSchema):
    version = fields.Integer(required=True)
    effective_date = Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class UnitListQuery(PageQuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    include_closed = fields.Boolean(load_default=False)


class UnitOut(SQLAlchemySchema):
    """A unit as the API shows it (types and required-ness come from the model)."""

    class Meta:
        model = Unit

    id = auto_field(dump_only=True)
    version = auto_field(dump_only=True)
    code = auto_field(dump_only=True)
    name = auto_field(dump_only=True)
    kind = auto_field(dump_only=True)
    parent_id = auto_field(dump_only=True)
    depth = auto_field(dump_only=True)
    effective_from = auto_field(dump_only=True)
    effective_to = auto_field(dump_only=True)
    current_since = auto_field(dump_only=True)


class UnitVersionOut(SQLAlchemySchema):
    class Meta:
        model = UnitHistory

    change = auto_field(dump_only=True)
    code = auto_field(dump_only=True)
    name = auto_field(dump_only=True)
    parent_id = auto_field(dump_only=True)
    parent_name = auto_field(dump_only=True)
    valid_from = auto_field(dump_only=True)
    valid_to = auto_field(dump_only=True)
    note = auto_field(dump_only=True)


class UnitDetailOut(UnitOut):
    history = fields.List(fields.Nested(UnitVersionOut), dump_only=True)
