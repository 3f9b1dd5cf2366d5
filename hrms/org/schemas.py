"""Input schemas for units: the one validation path for forms and the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from hrms.core.schemas import InputSchema
from hrms.org.models import UnitKind

_CODE_FORMAT = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    error=_l("Use letters, digits, dots, dashes or underscores, without spaces."),
)


class UnitCreateSchema(InputSchema):
    code = fields.String(required=True, validate=[validate.Length(max=30), _CODE_FORMAT])
    name = fields.String(required=True, validate=validate.Length(max=255))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in UnitKind]))
    parent_id = fields.Integer(load_default=None)
    effective_from = fields.Date(required=True)


class UnitRenameSchema(InputSchema):
    version = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(max=255))
    effective_date = fields.Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class UnitMoveSchema(InputSchema):
    version = fields.Integer(required=True)
    parent_id = fields.Integer(required=True)
    effective_date = fields.Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class UnitCloseSchema(InputSchema):
    version = fields.Integer(required=True)
    effective_date = fields.Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))
