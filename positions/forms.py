"""Forms of the positions feature: rendering and CSRF only (the rules live in the schemas and
the services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from marshmallow import Schema
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag

from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.forms import DateText, Form
from hrms.core.schemas import load
from hrms.extensions import db
from positions.models import LEVELS
from positions.queries import POSITION_FIELD_LABELS

T = TypeVar("T")

# Competency dictionary and framework catalogue ---------------------------------------------------

_LEVEL_HELP = {
    1: _l("Level 1: knows the rules and follows the process"),
    2: _l("Level 2: applies them on their own in routine work"),
    3: _l("Level 3: handles complex cases and guides colleagues"),
    4: _l("Level 4: organises and improves the work of a unit"),
    5: _l("Level 5: shapes the agency's culture and strategy"),
}


class _WordingForm(Form):
    name = StringField(_l("Name"))
    definition = TextAreaField(_l("Definition"), render_kw={"rows": 3})
    level_1 = TextAreaField(_LEVEL_HELP[1], render_kw={"rows": 2})
    level_2 = TextAreaField(_LEVEL_HELP[2], render_kw={"rows": 2})
    level_3 = TextAreaField(_LEVEL_HELP[3], render_kw={"rows": 2})
    level_4 = TextAreaField(_LEVEL_HELP[4], render_kw={"rows": 2})
    level_5 = TextAreaField(_LEVEL_HELP[5], render_kw={"rows": 2})
    effective_from = DateText(_l("In force from"))


class CompetencyForm(_WordingForm):
    """A new competency and its first version."""

    code = StringField(_l("Code"), render_kw={"placeholder": "CM-10"})
    family = SelectField(_l("Family"), validate_choice=False)
    change_note = StringField(_l("Note"))


class CompetencyVersionForm(_WordingForm):
    """A new version of a competency (prefilled with the latest wording)."""

    based_on = HiddenField()
    change_note = StringField(_l("What changes, and why"))


class ActiveForm(Form):
    """Retire or bring back: the wanted state, as a hidden field."""

    active = HiddenField()


class FrameworkTaskRow(SubForm):
    description = TextAreaField(_l("Task"), render_kw={"rows": 2})
    output_name = StringField(_l("Output"))
    unit_of_measure = StringField(_l("Unit of measure"))


class FrameworkRequirementRow(SubForm):
    competency_id = HiddenField()
    level = StringField(
        _l("Required level"),
        render_kw={"type": "number", "min": 1, "max": 5, "inputmode": "numeric"},
    )


class FrameworkPositionForm(Form):
    stamp = HiddenField()
    code = StringField(_l("Code"), render_kw={"placeholder": "VT-CM-08"})
    group = SelectField(_l("Group"), validate_choice=False)
    title = StringField(_l("Title"))
    rank_codes = StringField(
        _l("Corresponding ranks (codes, most usual first)"),
        render_kw={"placeholder": "01.003, 01.002"},
    )
    objective = TextAreaField(_l("Objective"), render_kw={"rows": 3})
    source = StringField(_l("Source"), render_kw={"placeholder": "Nghị định 361/2025/NĐ-CP"})
    tasks = FieldList(FormField(FrameworkTaskRow))
    requirements = FieldList(FormField(FrameworkRequirementRow))


class CatalogueImportForm(Form):
    """The upload of a filled-in catalogue template."""

    file = FileField(_l("Excel file (.xlsx)"), render_kw={"accept": ".xlsx"})
    dry_run = BooleanField(_l("Check only (dry run): report what would change, save nothing"))


# Position plans and unit positions --------------------------------------------------------------


class PlanCreateForm(Form):
    unit_id = SelectField(_l("Unit"), validate_choice=False)
    note = TextAreaField(_l("What this version is for"), render_kw={"rows": 3})


class PlanNoteForm(Form):
    """Starting the next version of a plan."""

    note = TextAreaField(_l("What this version is for"), render_kw={"rows": 2})


class PlanSubmitForm(Form):
    version = HiddenField()


class PlanApproveForm(Form):
    version = HiddenField()
    effective_on = DateText(_l("In force from"))
    approval_number = StringField(
        _l("Number of the approval decision"), render_kw={"placeholder": "125/QĐ-SNV"}
    )
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 2})


class PlanReturnForm(Form):
    version = HiddenField()
    comment = TextAreaField(_l("What must be changed"), render_kw={"rows": 3})


class PositionRemoveForm(Form):
    """CSRF token only."""


class CataloguePositionForm(Form):
    framework_position_id = SelectField(_l("Position of the catalogue"), validate_choice=False)
    code = StringField(_l("Code in the unit"), render_kw={"placeholder": "VT-03"})
    headcount = StringField(_l("Headcount"), render_kw={"inputmode": "numeric"})


class PositionOutputRow(SubForm):
    name = StringField(_l("Output"))
    unit_of_measure = StringField(_l("Unit of measure"))
    conversion_factor = StringField(
        _l("Conversion factor"), render_kw={"inputmode": "decimal", "placeholder": "1"}
    )
    monthly_quantity = StringField(_l("Per month"), render_kw={"inputmode": "decimal"})


class PositionTaskRow(SubForm):
    description = TextAreaField(_l("Task"), render_kw={"rows": 2})
    outputs = FieldList(FormField(PositionOutputRow))


class PositionRequirementRow(SubForm):
    competency_version_id = SelectField(_l("Competency"), validate_choice=False)
    level = SelectField(
        _l("Required level"),
        validate_choice=False,
        choices=[SelectChoice("", "—")] + [SelectChoice(str(level)) for level in LEVELS],
    )


class RankLimitRow(SubForm):
    rank_code = StringField(_l("Rank code"), render_kw={"placeholder": "01.002"})
    max_percent = StringField(
        _l("Largest share of the headcount, in percent"), render_kw={"inputmode": "numeric"}
    )


#: the position form's single-valued inputs, in the schema's names
POSITION_INPUTS = (
    "code",
    "name",
    "grp",
    "rank_codes",
    "headcount",
    "education_code",
    "objective",
    "evaluation_criteria",
    "internal_relations",
    "external_relations",
    "authority",
    "working_conditions",
    "qualifications",
    "experience",
    "qualities",
)
#: the repeated rows of the position form and their inputs
ROW_INPUTS = {
    "outputs": ("name", "unit_of_measure", "conversion_factor", "monthly_quantity"),
    "requirements": ("competency_version_id", "level"),
    "rank_limits": ("rank_code", "max_percent"),
}


def _text(label: Any) -> TextAreaField:
    return TextAreaField(label, render_kw={"rows": 3})


class PositionForm(Form):
    """A unit position and its job description; tasks (with outputs), competency requirements
    and rank limits are repeated rows. Rows left blank are ignored; "add a row" buttons post the
    form back to itself without saving (no JavaScript needed)."""

    version = HiddenField()
    code = StringField(POSITION_FIELD_LABELS["code"], render_kw={"placeholder": "VT-03"})
    name = StringField(POSITION_FIELD_LABELS["name"])
    grp = SelectField(POSITION_FIELD_LABELS["grp"], validate_choice=False)
    rank_codes = StringField(
        _l("Corresponding ranks (codes, most usual first)"),
        render_kw={"placeholder": "01.003, 01.002"},
    )
    headcount = StringField(POSITION_FIELD_LABELS["headcount"], render_kw={"inputmode": "numeric"})
    education_code = StringField(POSITION_FIELD_LABELS["education_code"])
    objective = _text(POSITION_FIELD_LABELS["objective"])
    evaluation_criteria = _text(POSITION_FIELD_LABELS["evaluation_criteria"])
    internal_relations = _text(POSITION_FIELD_LABELS["internal_relations"])
    external_relations = _text(POSITION_FIELD_LABELS["external_relations"])
    authority = _text(POSITION_FIELD_LABELS["authority"])
    working_conditions = _text(POSITION_FIELD_LABELS["working_conditions"])
    qualifications = _text(POSITION_FIELD_LABELS["qualifications"])
    experience = _text(POSITION_FIELD_LABELS["experience"])
    qualities = _text(POSITION_FIELD_LABELS["qualities"])
    tasks = FieldList(FormField(PositionTaskRow))
    requirements = FieldList(FormField(PositionRequirementRow))
    rank_limits = FieldList(FormField(RankLimitRow))

    #: where each input of the schema's shape is on the form ("tasks.0.outputs.1.name" ...)
    places: dict[str, Any]
    #: a refusal was attached to a row input (WTForms does not count those after validation)
    row_errors: bool = False
    #: the options of the requirement rows' competency (kept for rows added later)
    competency_choices: list[tuple[str, str]]

    @property
    def has_errors(self) -> bool:
        return self.row_errors or bool(super().has_errors)

    def set_choices(
        self, groups: list[tuple[str, str]], competencies: list[tuple[str, str]]
    ) -> None:
        self.grp.choices = groups
        self.competency_choices = competencies
        self._row_choices()

    def _row_choices(self) -> None:
        for entry in self.requirements:
            entry.form.competency_version_id.choices = getattr(self, "competency_choices", [])

    def add_blank_rows(self) -> None:
        """What a fresh form offers to fill in: one more task, output, requirement and limit."""
        self.tasks.append_entry()
        for entry in self.tasks:
            if not entry.form.outputs.entries:
                entry.form.outputs.append_entry()
        self.requirements.append_entry()
        self.rank_limits.append_entry()
        self._row_choices()

    def add_row(self, what: str) -> bool:
        """Add the blank row a button asked for ("tasks", "outputs-2", "requirements",
        "rank_limits"); False when ``what`` names no list of this form."""
        if what in ("tasks", "requirements", "rank_limits"):
            entry = getattr(self, what).append_entry()
            if what == "tasks":
                entry.form.outputs.append_entry()
            self._row_choices()
            return True
        kind, _, index = what.partition("-")
        if kind == "outputs" and index.isdigit() and int(index) < len(self.tasks.entries):
            self.tasks.entries[int(index)].form.outputs.append_entry()
            return True
        return False

    def payload(self) -> dict[str, Any]:
        """The posted values in the shape of the schema (and of the API's JSON body), blank rows
        dropped; records in ``places`` where each value came from, to show refusals beside it."""
        places: dict[str, Any] = {}
        data: dict[str, Any] = {}
        for name in POSITION_INPUTS:
            data[name] = self[name].data or ""
            places[name] = self[name]
        if self.version.data:  # the edit form's (the version read), absent when creating
            data["version"] = self.version.data
        tasks: list[dict[str, Any]] = []
        for entry in self.tasks:
            at = f"tasks.{len(tasks)}"
            outputs = _rows(entry.form.outputs, "outputs", f"{at}.outputs", places)
            description = entry.form.description.data or ""
            if description.strip() or outputs:
                places[f"{at}.description"] = entry.form.description
                places[f"{at}.outputs"] = entry.form.outputs
                tasks.append({"description": description, "outputs": outputs})
        data["tasks"] = tasks
        for name in ("requirements", "rank_limits"):
            data[name] = _rows(self[name], name, name, places)
        self.places = places
        return data

    def attach(self, error: DomainError | ValidationFailed) -> None:
        """Refusals beside the input at fault, rows included; the rest at the top."""
        self.refusal = error
        errors = (
            error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
        )
        places = getattr(self, "places", {})
        for name, messages in errors.items():
            field = places.get(name) if name != FORM else None
            if field is None:
                self.form_errors.extend(messages)
                continue
            field.errors = [*list(field.errors or []), *messages]
            self.row_errors = True


def _rows(entries: Any, kind: str, at: str, places: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for entry in entries:
        values = {name: entry.form[name].data or "" for name in ROW_INPUTS[kind]}
        if not any(str(value).strip() for value in values.values()):
            continue
        for name in values:
            places[f"{at}.{len(rows)}.{name}"] = entry.form[name]
        rows.append(values)
    return rows


def submit_rows(
    form: PositionForm, schema: Schema, action: Callable[[dict[str, Any]], T]
) -> T | None:
    """Like ``hrms.core.forms.submit`` for a form with repeated rows: on a valid POST, the rows
    through the schema and the service; on refusal undo everything and show why, beside each
    input."""
    if not form.validate_on_submit():
        return None
    try:
        return action(load(schema, form.payload()))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        return None
