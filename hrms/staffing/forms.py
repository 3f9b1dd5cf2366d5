"""Staffing forms: rendering and CSRF only; rules live in schemas and services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # older stubs

from hrms.core.forms import DateText, Form
from hrms.staffing.models import AssessmentKind


class _DecisionFields(Form):
    number = StringField(_l("Decision number"), render_kw={"placeholder": "15/QĐ-SNV"})
    signed_on = DateText(_l("Signed on"))
    issuer = StringField(_l("Issued by"), render_kw={"placeholder": _l("e.g. Director")})
    note = TextAreaField(_l("Note"), render_kw={"rows": 2})


class PlacementForm(_DecisionFields):
    version = HiddenField()
    position_id = SelectField(_l("Position"), validate_choice=False)
    main = SelectField(
        _l("Held as"),
        choices=[
            SelectChoice("true", _l("Main position")),
            SelectChoice("false", _l("Concurrent position")),
        ],
        validate_choice=False,
    )
    effective_on = DateText(_l("In the position from"))


class EndPlacementForm(_DecisionFields):
    effective_on = DateText(_l("No longer in the position from"))


class AssessmentForm(Form):
    kind = HiddenField(default=AssessmentKind.HEAD.value)
    competency_id = SelectField(_l("Competency"), validate_choice=False)
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice("", "—")] + [SelectChoice(str(level)) for level in range(1, 6)],
        validate_choice=False,
    )
    assessed_on = DateText(_l("Assessed on"))
    evidence = TextAreaField(
        _l("Evidence"),
        render_kw={"rows": 2, "placeholder": _l("Work products, observations, certificates…")},
    )
