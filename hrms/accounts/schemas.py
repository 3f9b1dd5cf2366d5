"""Input schemas for accounts (shared by the forms and the API)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from hrms.core.schemas import InputSchema, Secret
from hrms.core.security import Role


class Username(fields.String):
    """Usernames are case-insensitive: "Chief" is stored and checked as "chief"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs)).lower()


USERNAME_FORMAT = validate.Regexp(
    r"^[a-z0-9][a-z0-9._-]{2,63}$",
    error=_l(
        "Use 3 to 64 lower-case letters, digits, dots, dashes or underscores, "
        "starting with a letter or digit."
    ),
)
#: scrypt hashes whatever it is given; an upper bound keeps a huge password from tying up a worker
PASSWORD_MAX_LENGTH = 128


class LoginSchema(InputSchema):
    username = fields.String(required=True, validate=validate.Length(max=64))
    password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))


class UserCreateSchema(InputSchema):
    username = Username(required=True, validate=USERNAME_FORMAT)
    full_name = fields.String(required=True, validate=validate.Length(max=200))
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    unit_id = fields.Integer(load_default=None)


class UserUpdateSchema(InputSchema):
    version = fields.Integer(required=True)
    full_name = fields.String(required=True, validate=validate.Length(max=200))
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    active = fields.Boolean(load_default=False)


class GrantSchema(InputSchema):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    unit_id = fields.Integer(load_default=None)


class PasswordResetSchema(InputSchema):
    password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))


class PasswordChangeSchema(InputSchema):
    current_password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))
    new_password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))
    confirm_password = Secret(required=True, validate=validate.Length(max=PASSWORD_MAX_LENGTH))
