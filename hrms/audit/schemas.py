"""Filters of the audit log, validated the same way for the page and the API."""

from marshmallow import fields, validate

from hrms.core.schemas import Date, InputSchema


class AuditFilterSchema(InputSchema):
    actor = fields.String(load_default="", validate=validate.Length(max=64))
    object_type = fields.String(load_default="", validate=validate.Length(max=60))
    object_id = fields.String(load_default="", validate=validate.Length(max=64))
    action = fields.String(load_default="", validate=validate.Length(max=60))
    date_from = Date(load_default=None)
    date_to = Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
