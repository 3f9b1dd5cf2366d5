"""Shapes of the API's own resources: tokens, errors, and the list envelope."""

from __future__ import annotations

from marshmallow import Schema, fields


class GrantOut(Schema):
    role = fields.String(
        required=True, metadata={"description": "admin, personnel_officer, unit_head or staff"}
    )
    unit_id = fields.Integer(allow_none=True, metadata={"description": "empty for admin"})


class TokenOwnerOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True)
    grants = fields.List(fields.Nested(GrantOut), required=True)


class TokenOut(Schema):
    token = fields.String(
        required=True, metadata={"description": "send as Authorization: Bearer <token>"}
    )
    expires_at = fields.DateTime(required=True)
    user = fields.Nested(TokenOwnerOut, required=True)


class TokenRequest(Schema):
    """Documentation of the token request (validated by accounts' LoginSchema)."""

    username = fields.String(required=True)
    password = fields.String(required=True)


class ErrorBody(Schema):
    code = fields.String(
        required=True, metadata={"description": "not_found, validation_failed, ..."}
    )
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "messages per input field"},
    )


class ErrorOut(Schema):
    error = fields.Nested(ErrorBody, required=True)
