"""Account forms: rendering and CSRF only; rules live in schemas and services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField

from hrms.core.forms import Form


class LoginForm(Form):
    username = StringField(
        _l("Username"), render_kw={"autocomplete": "username", "autofocus": True}
    )
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "current-password"})


class UserCreateForm(Form):
    username = StringField(_l("Username"))
    full_name = StringField(_l("Full name"))
    email = StringField(_l("Email"), render_kw={"type": "email"})
    password = PasswordField(_l("Initial password"), render_kw={"autocomplete": "new-password"})
    role = SelectField(_l("Role"), validate_choice=False)
    unit_id = SelectField(_l("Unit"), validate_choice=False)


class UserUpdateForm(Form):
    version = HiddenField()
    full_name = StringField(_l("Full name"))
    email = StringField(_l("Email"), render_kw={"type": "email"})
    active = BooleanField(_l("Active (may sign in)"))


class GrantForm(Form):
    role = SelectField(_l("Role"), validate_choice=False)
    unit_id = SelectField(_l("Unit"), validate_choice=False)


class PasswordResetForm(Form):
    password = PasswordField(_l("New password"), render_kw={"autocomplete": "new-password"})


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Current password"), render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(_l("New password"), render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        _l("Repeat the new password"), render_kw={"autocomplete": "new-password"}
    )


class ConfirmForm(Form):
    """A bare form for buttons that post an action (CSRF token only)."""
