"""Forms of the annual ratings and the scheme administration: rendering and CSRF only; the
rules live in hrms.reviews.schemas and the services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # older stubs

from hrms.core.forms import DateText, Form
from hrms.reviews.models import RATING_LABELS
from hrms.reviews.scheme import Rating

KIND_LABELS = {
    "can_bo": _l("Cadres (cán bộ)"),
    "cong_chuc": _l("Civil servants (công chức)"),
    "vien_chuc": _l("Public employees (viên chức)"),
    "contract": _l("Contract workers"),
}


def rating_choices(blank: str = "—") -> list[Any]:
    return [SelectChoice("", blank)] + [
        SelectChoice(r.value, str(RATING_LABELS[r])) for r in Rating
    ]


def kind_choices() -> list[Any]:
    return [SelectChoice(k, str(label)) for k, label in KIND_LABELS.items()]


class AnnualActionForm(Form):
    """Compute or finalise the year of a unit: CSRF only."""


class AnnualDecideForm(Form):
    version = HiddenField()
    decided_rating = SelectField(_l("Decision"), validate_choice=False)
    months_worked = StringField(_l("Months worked"), render_kw={"inputmode": "numeric"})
    months_absent = StringField(_l("Months absent"), render_kw={"inputmode": "numeric"})
    maternity = BooleanField(_l("Maternity leave"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.decided_rating.choices = rating_choices()


class AnnualAdjustForm(Form):
    version = HiddenField()
    override_rating = SelectField(_l("Rating given"), validate_choice=False)
    override_reason = TextAreaField(_l("Reason"), render_kw={"rows": 2})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.override_rating.choices = rating_choices(str(_l("As computed")))


class SchemeVersionForm(Form):
    code = StringField(_l("Code"))
    name = StringField(_l("Name and legal source"))
    kinds = SelectMultipleField(
        _l("Kinds of personnel"),
        choices=kind_choices(),
        validate_choice=False,
    )
    effective_from = DateText(_l("In force from"))
    rules = TextAreaField(_l("Rules (JSON)"), render_kw={"rows": 24, "spellcheck": "false"})


class SchemeAssignForm(Form):
    unit_id = SelectField(_l("Agency"), validate_choice=False)
    kind = SelectField(
        _l("Kind of personnel"),
        choices=kind_choices(),
        validate_choice=False,
    )
    scheme_id = SelectField(_l("Scheme"), validate_choice=False)
    effective_from = DateText(_l("From"))
