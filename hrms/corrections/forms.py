"""Correction forms: rendering and CSRF only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from hrms.core.forms import Form


class RequestForm(Form):
    field = SelectField(_l("What is wrong"), validate_choice=False)
    requested_value = StringField(_l("The right value"))
    reason = TextAreaField(
        _l("Why, and what proves it"),
        render_kw={"rows": 3, "placeholder": _l("e.g. my ID card issued on 12/03/2021 shows…")},
    )
    evidence_id = SelectField(_l("Supporting document"), validate_choice=False)


class DecisionForm(Form):
    version = HiddenField()
    outcome = SelectField(_l("Decision"), validate_choice=False)
    note = TextAreaField(_l("Answer to the person"), render_kw={"rows": 2})


class WithdrawForm(Form):
    """CSRF token only."""
