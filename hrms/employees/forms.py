"""Dossier forms: rendering and CSRF only; rules live in schemas and services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField

from hrms.core.forms import DateText, Form

FIELD_LABELS: dict[str, Any] = {
    "full_name": _l("Birth name (full name)"),
    "other_names": _l("Other names"),
    "sex": _l("Sex"),
    "date_of_birth": _l("Date of birth"),
    "birth_year_only": _l("Only the year of birth is known"),
    "place_of_birth": _l("Place of birth"),
    "hometown": _l("Hometown"),
    "ethnicity_code": _l("Ethnic group"),
    "religion_code": _l("Religion"),
    "national_id": _l("Personal identification number (CCCD)"),
    "national_id_issued_on": _l("ID card issued on"),
    "social_insurance_number": _l("Social-insurance number"),
    "permanent_address": _l("Permanent residence"),
    "current_address": _l("Current residence"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "kind": _l("Kind of personnel"),
    "unit_id": _l("Unit"),
    "occupation_before": _l("Occupation when recruited"),
    "recruiting_agency": _l("Recruiting agency"),
    "main_work": _l("Main work"),
    "other_allowances": _l("Other allowances"),
    "general_education": _l("General education"),
    "qualification_code": _l("Highest professional qualification"),
    "qualification_major": _l("Major"),
    "political_theory_code": _l("Political theory"),
    "state_management_code": _l("State management"),
    "foreign_languages": _l("Foreign languages"),
    "it_level_code": _l("IT level"),
    "party_joined_on": _l("Joined the Communist Party on"),
    "party_official_on": _l("Official Party member since"),
    "mass_organisation": _l("Socio-political organisation"),
    "mass_organisation_joined_on": _l("Joined on"),
    "enlisted_on": _l("Enlisted on"),
    "discharged_on": _l("Discharged on"),
    "military_rank": _l("Highest military rank"),
    "honorary_title": _l("Highest honorary title"),
    "strengths": _l("Strengths"),
    "health_status": _l("State of health"),
    "height_cm": _l("Height (cm)"),
    "weight_kg": _l("Weight (kg)"),
    "blood_group": _l("Blood group"),
    "war_invalid_grade": _l("War-invalid grade"),
    "policy_family": _l("Policy family"),
    "history_detention": _l("Arrests or detention, and statements made"),
    "history_former_regime": _l("Work for the former regime"),
    "foreign_relations": _l("Relatives and ties abroad"),
}
SECTION_LABELS: dict[str, Any] = {
    "identity": _l("Identity"),
    "contact": _l("Residence and contact"),
    "work": _l("Work"),
    "education": _l("Education"),
    "membership": _l("Party, organisations, military service"),
    "health": _l("Health and policy"),
    "history": _l("Personal history"),
}
DATE_FIELDS = frozenset(
    {
        "date_of_birth",
        "national_id_issued_on",
        "party_joined_on",
        "party_official_on",
        "mass_organisation_joined_on",
        "enlisted_on",
        "discharged_on",
    }
)
LONG_TEXT = frozenset(
    {"history_detention", "history_former_regime", "foreign_relations", "strengths", "main_work"}
)
NUMBERS = frozenset({"height_cm", "weight_kg"})


def _field(name: str, choices: dict[str, list[tuple[str, str]]]) -> Field:
    label = FIELD_LABELS[name]
    if name in choices:
        return SelectField(label, validate_choice=False)  # choices are set on each instance
    if name == "birth_year_only":
        return BooleanField(label)
    if name in DATE_FIELDS:
        return DateText(label)
    if name in NUMBERS:
        return StringField(label, render_kw={"type": "number", "inputmode": "numeric"})
    if name in LONG_TEXT:
        return TextAreaField(label, render_kw={"rows": 3})
    return StringField(label)


def fields_form(
    names: tuple[str, ...],
    choices: dict[str, list[tuple[str, str]]],
    *,
    versioned: bool,
    unit_choices: list[tuple[str, str]] | None = None,
) -> type[Form]:
    """A form class holding ``names`` (in that order), with the hidden version when editing and
    a unit choice when creating."""
    attributes: dict[str, Any] = {name: _field(name, choices) for name in names}
    options = {name: [("", "—"), *choices[name]] for name in names if name in choices}
    if unit_choices is not None:
        attributes["unit_id"] = SelectField(FIELD_LABELS["unit_id"], validate_choice=False)
        options["unit_id"] = unit_choices
    if versioned:
        attributes["version"] = HiddenField()

    def __init__(self: Form, *args: Any, **kwargs: Any) -> None:
        Form.__init__(self, *args, **kwargs)
        for name, values in options.items():
            self[name].choices = values

    attributes["__init__"] = __init__
    return type("DossierForm", (Form,), attributes)


class DecisionForm(Form):
    kind = SelectField(_l("Kind of decision"), validate_choice=False)
    number = StringField(_l("Decision number"), render_kw={"placeholder": "125/QĐ-SNV"})
    signed_on = DateText(_l("Signed on"))
    issuer = StringField(_l("Issued by"))
    effective_on = DateText(_l("Effective from"))
    unit_id = SelectField(_l("Unit"), validate_choice=False)
    rank_code = StringField(_l("Rank code"), render_kw={"placeholder": "01.003"})
    salary_step = StringField(_l("Salary step"), render_kw={"type": "number"})
    salary_coefficient = StringField(_l("Salary coefficient"), render_kw={"inputmode": "decimal"})
    allowance_coefficient = StringField(
        _l("Position allowance coefficient"), render_kw={"inputmode": "decimal"}
    )
    early_raise_months = StringField(
        _l("Early raise (months ahead)"), render_kw={"type": "number", "min": 1}
    )
    seniority_percent = StringField(
        _l("Seniority allowance beyond the frame (%)"), render_kw={"type": "number", "min": 0}
    )
    title = StringField(_l("Position, reward or discipline form"))
    note = TextAreaField(_l("Content"), render_kw={"rows": 2})
    supersedes_id = SelectField(_l("Corrects decision"), validate_choice=False)


class TrainingForm(Form):
    school = StringField(_l("School or institution"))
    major = StringField(_l("Major"))
    started_on = StringField(_l("From"), render_kw={"type": "month"})
    ended_on = StringField(_l("To"), render_kw={"type": "month"})
    mode = StringField(_l("Mode of study"))
    degree = StringField(_l("Degree or certificate"))


class FamilyForm(Form):
    side = SelectField(_l("Side"), validate_choice=False)
    relation = StringField(_l("Relation"))
    full_name = StringField(_l("Full name"))
    birth_year = StringField(_l("Year of birth"), render_kw={"type": "number"})
    hometown = StringField(_l("Hometown"))
    occupation = StringField(_l("Occupation"))
    workplace = StringField(_l("Workplace"))
    residence = StringField(_l("Residence"))


class ImportForm(Form):
    """The upload of a filled-in template: rendering and CSRF only."""

    file = FileField(_l("Excel file (.xlsx)"), render_kw={"accept": ".xlsx"})
    dry_run = BooleanField(_l("Check only (dry run): report what would change, save nothing"))


class ConfirmForm(Form):
    """A bare form for buttons that post an action (CSRF token only)."""
