"""Unit forms: rendering and CSRF only; rules live in schemas and services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from hrms.core.forms import DateText, Form


class UnitCreateForm(Form):
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), validate_choice=False)
    parent_id = SelectField(_l("Parent unit"), validate_choice=False)
    effective_from = DateText(_l("Established on"))


class UnitRenameForm(Form):
    version = HiddenField()
    name = StringField(_l("New name"))
    effective_date = DateText(_l("Effective from"))
    note = TextAreaField(_l("Decision or note"))


class UnitMoveForm(Form):
    version = HiddenField()
    parent_id = SelectField(_l("New parent unit"), validate_choice=False)
    effective_date = DateText(_l("Effective from"))
    note = TextAreaField(_l("Decision or note"))


class UnitCloseForm(Form):
    version = HiddenField()
    effective_date = DateText(_l("Last day of operation"))
    note = TextAreaField(_l("Decision or note"))
