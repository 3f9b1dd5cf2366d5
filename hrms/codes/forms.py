"""Code list forms: rendering and CSRF only; rules live in schemas and services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from hrms.core.forms import Form

NUMBER_INPUT = {"inputmode": "numeric"}


class CodeEntryCreateForm(Form):
    code = StringField(_l("Code"))
    label = StringField(_l("Name"))
    parent_code = SelectField(_l("Belongs to"), validate_choice=False)
    sort_order = StringField(_l("Sort order"), render_kw=NUMBER_INPUT)
    note = TextAreaField(_l("Note"))


class CodeEntryUpdateForm(Form):
    version = HiddenField()
    label = StringField(_l("Name"))
    sort_order = StringField(_l("Sort order"), render_kw=NUMBER_INPUT)
    active = BooleanField(_l("Active (offered for new records)"))
    note = TextAreaField(_l("Note"))
