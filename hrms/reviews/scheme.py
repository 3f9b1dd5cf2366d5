"""Evaluation schemes as data: the shape of a scheme's rules and their validation.

A scheme says how a review is scored: the general criteria and their maxima, how an output's
quantity, quality and timeliness combine, the penalties, the rating bands, the cap on the top
rating, the period and the annual deadline. The numbers change with each decree, so they are
data (``data/schemes.json``, stored effective-dated in the database), never ``if``s in code.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from hrms.core.errors import ValidationFailed


class Rating(enum.StrEnum):
    """The four ratings of Nghị định 90/2020 and 335/2025, best first."""

    EXCELLENT = "excellent"  # hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # hoàn thành tốt nhiệm vụ
    COMPLETE = "complete"  # hoàn thành nhiệm vụ
    INCOMPLETE = "incomplete"  # không hoàn thành nhiệm vụ


#: best first: a cap "at most X" keeps the worse of the two
RATING_ORDER = tuple(Rating)


def worse(first: Rating, second: Rating) -> Rating:
    return max(first, second, key=RATING_ORDER.index)


class Method(enum.StrEnum):
    #: a 100-point score from general criteria and output results (civil servants, 335/2025)
    POINTS = "points"
    #: the head decides the rating on criteria (public employees and cadres, 90/2020)
    CRITERIA = "criteria"


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class Band:
    rating: Rating
    #: the lowest total that reaches the rating
    min_points: Decimal


@dataclass(frozen=True)
class OutputRules:
    max_points: Decimal
    quantity_weight: Decimal
    quality_weight: Decimal
    timeliness_weight: Decimal
    #: quantity % is delivered / assigned, counted up to this percentage
    quantity_cap: Decimal
    #: quality % lost per return for a major error
    return_penalty: Decimal
    #: timeliness % lost per unexcused delay
    delay_penalty: Decimal


@dataclass(frozen=True)
class LeaderRules:
    """A head's task score also counts their unit's results."""

    #: share (%) of the task score that comes from the unit's results
    unit_share: Decimal
    #: unit result % when every subordinate is rated at least ``complete``
    all_complete: Decimal
    #: unit result % when any subordinate is rated ``incomplete``
    any_incomplete: Decimal


@dataclass(frozen=True)
class CapRules:
    """At most ``percent`` % of the number rated ``of_rating`` may be rated ``rating``."""

    rating: Rating
    of_rating: Rating
    percent: Decimal


@dataclass(frozen=True)
class AttendanceRules:
    """Who is rated at all, and the cap for long absences (90/2020)."""

    #: fewer months worked in the year: not rated (maternity leave excepted)
    min_months_worked: int
    #: absent at least this many months (and still rated): capped at ``absence_cap``
    absence_months: int
    absence_cap: Rating


@dataclass(frozen=True)
class SchemeRules:
    method: Method
    period: PeriodKind
    #: the annual rating is due by this day (month, day)
    annual_deadline: tuple[int, int]
    #: a disciplinary sanction in the year gives this rating whatever the score
    discipline_rating: Rating
    bands: tuple[Band, ...]
    criteria: tuple[Criterion, ...] = ()
    outputs: OutputRules | None = None
    leader: LeaderRules | None = None
    cap: CapRules | None = None
    attendance: AttendanceRules | None = None

    @property
    def general_max(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @property
    def total_max(self) -> Decimal:
        return self.general_max + (self.outputs.max_points if self.outputs else Decimal(0))


_RATING = validate.OneOf([r.value for r in Rating])


class _CriterionSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    max_points = fields.Decimal(required=True, validate=validate.Range(min=0, min_inclusive=False))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Criterion:
        return Criterion(**data)


class _BandSchema(Schema):
    rating = fields.String(required=True, validate=_RATING)
    min_points = fields.Decimal(required=True, validate=validate.Range(min=0))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Band:
        return Band(Rating(data["rating"]), data["min_points"])


_PERCENT = validate.Range(min=0, max=100)


class _OutputSchema(Schema):
    max_points = fields.Decimal(required=True, validate=validate.Range(min=0, min_inclusive=False))
    quantity_weight = fields.Decimal(required=True, validate=validate.Range(min=0))
    quality_weight = fields.Decimal(required=True, validate=validate.Range(min=0))
    timeliness_weight = fields.Decimal(required=True, validate=validate.Range(min=0))
    quantity_cap = fields.Decimal(required=True, validate=validate.Range(min=100))
    return_penalty = fields.Decimal(required=True, validate=_PERCENT)
    delay_penalty = fields.Decimal(required=True, validate=_PERCENT)

    @validates_schema
    def _some_weight(self, data: dict[str, Any], **_: Any) -> None:
        if not any(data[f"{part}_weight"] for part in ("quantity", "quality", "timeliness")):
            raise ValidationError("At least one of the three weights must be positive.")

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> OutputRules:
        return OutputRules(**data)


class _LeaderSchema(Schema):
    unit_share = fields.Decimal(required=True, validate=_PERCENT)
    all_complete = fields.Decimal(required=True, validate=_PERCENT)
    any_incomplete = fields.Decimal(required=True, validate=_PERCENT)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> LeaderRules:
        return LeaderRules(**data)


class _CapSchema(Schema):
    rating = fields.String(required=True, validate=_RATING)
    of_rating = fields.String(required=True, validate=_RATING)
    percent = fields.Decimal(required=True, validate=_PERCENT)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> CapRules:
        return CapRules(Rating(data["rating"]), Rating(data["of_rating"]), data["percent"])


class _AttendanceSchema(Schema):
    min_months_worked = fields.Integer(required=True, validate=validate.Range(min=0, max=12))
    absence_months = fields.Integer(required=True, validate=validate.Range(min=0, max=12))
    absence_cap = fields.String(required=True, validate=_RATING)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> AttendanceRules:
        return AttendanceRules(
            data["min_months_worked"], data["absence_months"], Rating(data["absence_cap"])
        )


class _RulesSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf([m.value for m in Method]))
    period = fields.String(required=True, validate=validate.OneOf([p.value for p in PeriodKind]))
    annual_deadline = fields.String(
        required=True, validate=validate.Regexp(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
    )
    discipline_rating = fields.String(required=True, validate=_RATING)
    #: points schemes only: the criteria method has the head decide the rating
    bands = fields.List(fields.Nested(_BandSchema), load_default=list)
    criteria = fields.List(fields.Nested(_CriterionSchema), load_default=list)
    outputs = fields.Nested(_OutputSchema, load_default=None)
    leader = fields.Nested(_LeaderSchema, load_default=None)
    cap = fields.Nested(_CapSchema, load_default=None)
    attendance = fields.Nested(_AttendanceSchema, load_default=None)

    @validates_schema
    def _coherent(self, data: dict[str, Any], **_: Any) -> None:
        bands: list[Band] = data["bands"]
        if data["method"] == Method.CRITERIA.value:
            if bands or data["outputs"] is not None or data["criteria"]:
                raise ValidationError(
                    "A criteria scheme has no points: no bands, criteria or output rules.", "method"
                )
            return
        if sorted(b.rating for b in bands) != sorted(Rating):
            raise ValidationError("Give exactly one band per rating.", "bands")
        ordered = sorted(bands, key=lambda b: RATING_ORDER.index(b.rating))
        if any(a.min_points <= b.min_points for a, b in itertools.pairwise(ordered)):
            raise ValidationError("A better rating needs a higher minimum.", "bands")
        if data["method"] == Method.POINTS.value:
            if data["outputs"] is None or not data["criteria"]:
                raise ValidationError("A points scheme needs criteria and output rules.", "method")
            codes = [c.code for c in data["criteria"]]
            if len(set(codes)) != len(codes):
                raise ValidationError("Criterion codes must differ.", "criteria")

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> SchemeRules:
        month, day = (int(part) for part in data["annual_deadline"].split("-"))
        return SchemeRules(
            method=Method(data["method"]),
            period=PeriodKind(data["period"]),
            annual_deadline=(month, day),
            discipline_rating=Rating(data["discipline_rating"]),
            bands=tuple(sorted(data["bands"], key=lambda b: RATING_ORDER.index(b.rating))),
            criteria=tuple(data["criteria"]),
            outputs=data["outputs"],
            leader=data["leader"],
            cap=data["cap"],
            attendance=data["attendance"],
        )


def parse_rules(data: dict[str, Any]) -> SchemeRules:
    """The rules of a scheme from their stored JSON; refuses incoherent rule data."""
    try:
        rules: SchemeRules = _RulesSchema().load(data)
    except ValidationError as error:
        raise ValidationFailed(error.normalized_messages()) from error  # type: ignore[no-untyped-call]
    return rules
