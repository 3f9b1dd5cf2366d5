"""Inputs of correction requests (the proposed value is checked by the dossier's own rules)."""

from __future__ import annotations

from marshmallow import fields, validate

from hrms.core.schemas import InputSchema
from hrms.employees.models import ALL_FIELDS


class RequestInput(InputSchema):
    field = fields.String(required=True, validate=validate.OneOf(ALL_FIELDS))
    requested_value = fields.String(load_default=None, validate=validate.Length(max=5000))
    reason = fields.String(required=True, validate=validate.Length(min=5, max=2000))
    evidence_id = fields.Integer(load_default=None)


class DecisionInput(InputSchema):
    version = fields.Integer(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    note = fields.String(load_default=None, validate=validate.Length(max=2000))
