"""Forms of the review cycle: rendering and CSRF only (the rules live in the schemas and the
services). Forms with repeated rows hand the schema the same shape as the API's JSON body and
put each refusal back beside the input it names (``items.2.weight``, ``self_points.c1``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
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

from hrms.core.dates import format_date
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.forms import DateText, Form
from hrms.core.schemas import load
from hrms.extensions import db
from hrms.reviews.models import RATING_LABELS, Review, ReviewItem
from hrms.reviews.scheme import Criterion, Rating

T = TypeVar("T")

_NUMBER = {"inputmode": "decimal"}
_WHOLE = {"inputmode": "numeric"}


def shown(number: Decimal | None) -> str:
    """A number as people write it: 90, 12.5 (no trailing zeros); empty for none."""
    return "" if number is None else f"{Decimal(number).normalize():f}"


def _typed(value: Any) -> str:
    """A posted value as typed (a date put there by ``fill`` as people write it)."""
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value or "").strip()


def rating_choices(blank: Any) -> list[tuple[str, str]]:
    return [("", str(blank))] + [(rating.value, str(RATING_LABELS[rating])) for rating in Rating]


class PeriodOpenForm(Form):
    unit_id = SelectField(_l("Unit (with the units under it)"), validate_choice=False)
    kind = SelectField(_l("Kind of period"), validate_choice=False)
    year = StringField(_l("Year"), render_kw=_WHOLE)
    number = StringField(
        _l("Month (1-12) or quarter (1-4)"), render_kw=_WHOLE | {"placeholder": "1"}
    )
    self_deadline = DateText(_l("Self-assessment deadline"))
    scoring_deadline = DateText(_l("Scoring deadline"))


class _PlacedForm(Form):
    """A form whose refusals may name inputs of repeated rows: ``payload`` records in
    ``places`` where each value of the schema's shape came from."""

    places: dict[str, Any]
    #: a refusal was attached to a row input (WTForms does not count those after validation)
    row_errors: bool = False

    @property
    def has_errors(self) -> bool:
        return self.row_errors or bool(super().has_errors)

    def payload(self) -> dict[str, Any]:  # pragma: no cover - every form defines its own
        raise NotImplementedError

    def attach(self, error: DomainError | ValidationFailed) -> None:
        """Refusals beside the input at fault, rows included; the rest at the top."""
        self.refusal = error
        errors = (
            error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
        )
        places = getattr(self, "places", {})
        for name, messages in errors.items():
            field = places.get(name) if name != FORM else None
            if field is None and name != FORM:
                field = getattr(self, name, None)
                field = field if hasattr(field, "errors") else None
            if field is None:
                self.form_errors.extend(str(message) for message in messages)
                continue
            field.errors = [*list(field.errors or []), *(str(m) for m in messages)]
            self.row_errors = True


class PointRow(SubForm):
    """The points of one general criterion (its code hidden, its name as the label)."""

    code = HiddenField()
    points = StringField(_l("Points"), render_kw=_NUMBER)


def _fill_points(rows: Any, criteria: Iterable[Criterion], given: dict[str, Any] | None) -> None:
    for criterion in criteria:
        entry = rows.append_entry()
        entry.form.code.data = criterion.code
        value = (given or {}).get(criterion.code)
        entry.form.points.data = shown(Decimal(value)) if value is not None else ""


def _points_payload(rows: Any, name: str, places: dict[str, Any]) -> dict[str, Any]:
    points: dict[str, Any] = {}
    for entry in rows:
        code = str(entry.form.code.data or "")
        if not code:
            continue
        value = str(entry.form.points.data or "").strip()
        points[code] = value or None
        places[f"{name}.{code}"] = entry.form.points
    return points


# The work plan ---------------------------------------------------------------------------------

PLAN_INPUTS = (
    "title",
    "expected_output",
    "unit_of_measure",
    "assigned_quantity",
    "deadline",
    "weight",
)


class PlanItemRow(SubForm):
    id = HiddenField()
    title = StringField(_l("Task"))
    expected_output = StringField(_l("Expected output"))
    unit_of_measure = StringField(_l("Unit of measure"))
    assigned_quantity = StringField(_l("Quantity assigned"), render_kw=_NUMBER)
    deadline = DateText(_l("Deadline"))
    weight = StringField(_l("Weight"), render_kw=_NUMBER)
    ad_hoc = BooleanField(_l("Ad hoc"))
    remove = BooleanField(_l("Remove"))


class PlanForm(_PlacedForm):
    """The head's whole work plan: lines ticked "remove" or left blank are dropped; "add a line"
    posts the form back to itself without saving (no JavaScript needed)."""

    version = HiddenField()
    items = FieldList(FormField(PlanItemRow))

    def fill(self, review: Review) -> None:
        self.version.data = str(review.version)
        for item in review.items:
            row = self.items.append_entry().form
            row.id.data = str(item.id)
            row.title.data = item.title
            row.expected_output.data = item.expected_output or ""
            row.unit_of_measure.data = item.unit_of_measure or ""
            row.assigned_quantity.data = shown(item.assigned_quantity)
            row.deadline.data = format_date(item.deadline) if item.deadline else ""
            row.weight.data = shown(item.weight)
            row.ad_hoc.data = item.ad_hoc

    def add_line(self, ad_hoc: bool) -> None:
        self.items.append_entry().form.ad_hoc.data = ad_hoc

    def payload(self) -> dict[str, Any]:
        places: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        for entry in self.items:
            form = entry.form
            values = {name: _typed(form[name].data) for name in PLAN_INPUTS}
            if form.remove.data or (not form.id.data and not any(values.values())):
                continue
            at = f"items.{len(rows)}"
            row: dict[str, Any] = {key: value for key, value in values.items() if value}
            if form.id.data:
                row["id"] = form.id.data
                row["ad_hoc"] = bool(form.ad_hoc.data)
            elif form.ad_hoc.data:
                row["ad_hoc"] = True
            for name in PLAN_INPUTS:
                places[f"{at}.{name}"] = form[name]
            places[f"{at}.id"] = form.title  # a hidden input: say it beside the task
            rows.append(row)
        self.places = places | {"items": self.items}
        return {"version": self.version.data, "items": rows}


# Self-assessment -------------------------------------------------------------------------------


class SelfItemRow(SubForm):
    id = HiddenField()
    delivered_quantity = StringField(_l("Quantity delivered"), render_kw=_NUMBER)
    delivered_on = DateText(_l("Delivered on"))
    evidence = TextAreaField(_l("Evidence (links, one a line)"), render_kw={"rows": 2})


class SelfAssessmentForm(_PlacedForm):
    version = HiddenField()
    items = FieldList(FormField(SelfItemRow))
    points = FieldList(FormField(PointRow))
    self_note = TextAreaField(_l("Note to the head"), render_kw={"rows": 3})
    confirm_large = BooleanField(
        _l("I confirm the quantities over ten times the ones assigned are right")
    )

    def fill(self, review: Review, criteria: Iterable[Criterion]) -> None:
        self.version.data = str(review.version)
        for item in review.items:
            row = self.items.append_entry().form
            row.id.data = str(item.id)
            row.delivered_quantity.data = shown(item.delivered_quantity)
            row.delivered_on.data = format_date(item.delivered_on) if item.delivered_on else ""
            row.evidence.data = item.evidence or ""
        _fill_points(self.points, criteria, review.self_points)
        self.self_note.data = review.self_note or ""

    def payload(self) -> dict[str, Any]:
        places: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        for index, entry in enumerate(self.items):
            form = entry.form
            row: dict[str, Any] = {"id": form.id.data}
            for name in ("delivered_quantity", "delivered_on", "evidence"):
                value = str(form[name].data or "").strip()
                row[name] = value or None
                places[f"items.{index}.{name}"] = form[name]
            places[f"items.{index}.id"] = form.delivered_quantity
            rows.append(row)
        data: dict[str, Any] = {
            "version": self.version.data,
            "items": rows,
            "self_points": _points_payload(self.points, "self_points", places),
            "self_note": (self.self_note.data or "").strip() or None,
            "confirm_large": bool(self.confirm_large.data),
        }
        if not data["self_points"]:
            del data["self_points"]
        self.places = places
        return data


# Scoring ---------------------------------------------------------------------------------------

SCORE_INPUTS = ("returns", "delays", "excused_delays", "excuse_reason")


class ScoreItemRow(SubForm):
    id = HiddenField()
    returns = StringField(_l("Returns for a major error"), render_kw=_WHOLE)
    delays = StringField(_l("Delays"), render_kw=_WHOLE)
    excused_delays = StringField(_l("Excused delays"), render_kw=_WHOLE)
    excuse_reason = StringField(_l("Objective cause of the excused delays"))


class ScoreForm(_PlacedForm):
    version = HiddenField()
    items = FieldList(FormField(ScoreItemRow))
    points = FieldList(FormField(PointRow))
    disciplined = BooleanField(_l("Disciplined during the period"))
    rating = SelectField(_l("Rating decided"), validate_choice=False)
    override_rating = SelectField(_l("Give another rating"), validate_choice=False)
    override_reason = TextAreaField(_l("Why the rating differs"), render_kw={"rows": 2})
    head_note = TextAreaField(_l("Note to the person"), render_kw={"rows": 3})

    def set_choices(self) -> None:
        self.rating.choices = rating_choices("—")
        self.override_rating.choices = rating_choices(_l("— the computed rating —"))

    def fill(self, review: Review, items: Iterable[ReviewItem], criteria: Any) -> None:
        self.version.data = str(review.version)
        for item in items:
            row = self.items.append_entry().form
            row.id.data = str(item.id)
            row.returns.data = str(item.returns or 0)
            row.delays.data = str(item.delays or 0)
            row.excused_delays.data = str(item.excused_delays or 0)
            row.excuse_reason.data = item.excuse_reason or ""
        _fill_points(self.points, criteria, review.general_points or review.self_points)
        self.disciplined.data = review.disciplined
        decided = (review.breakdown or {}).get("decided")
        self.rating.data = decided or ""
        self.override_rating.data = review.override_rating or ""
        self.override_reason.data = review.override_reason or ""
        self.head_note.data = review.head_note or ""

    def payload(self) -> dict[str, Any]:
        places: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        for index, entry in enumerate(self.items):
            form = entry.form
            row: dict[str, Any] = {"id": form.id.data}
            for name in SCORE_INPUTS:
                value = str(form[name].data or "").strip()
                if value:
                    row[name] = value
                places[f"items.{index}.{name}"] = form[name]
            places[f"items.{index}.id"] = form.returns
            rows.append(row)
        data: dict[str, Any] = {
            "version": self.version.data,
            "disciplined": bool(self.disciplined.data),
            "override_rating": self.override_rating.data or None,
            "override_reason": (self.override_reason.data or "").strip() or None,
            "head_note": (self.head_note.data or "").strip() or None,
        }
        if rows:
            data["items"] = rows
        points = _points_payload(self.points, "general_points", places)
        if points:
            data["general_points"] = points
        if self.rating.data:
            data["rating"] = self.rating.data
        self.places = places
        return data


# Small actions ---------------------------------------------------------------------------------


class VersionForm(Form):
    """Open the self-assessment, submit, finalise: the version read."""

    version = HiddenField()


class ReopenForm(Form):
    version = HiddenField()
    reason = TextAreaField(_l("Why the review is reopened"), render_kw={"rows": 2})


class CommentForm(Form):
    body = TextAreaField(_l("Comment"), render_kw={"rows": 3})


class DeadlinesForm(Form):
    """Move a period's deadlines later."""

    version = HiddenField()
    self_deadline = DateText(_l("Self-assessment deadline"))
    scoring_deadline = DateText(_l("Scoring deadline"))
    reason = TextAreaField(_l("Why the deadlines move"), render_kw={"rows": 2})


def submit_rows(
    form: _PlacedForm, schema: Schema, action: Callable[[dict[str, Any]], T]
) -> T | None:
    """On a valid POST, the rows through the schema and the service; on refusal undo everything
    and show why, beside each input."""
    if not form.validate_on_submit():
        return None
    try:
        return action(load(schema, form.payload()))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        return None
