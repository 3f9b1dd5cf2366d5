"""Inputs of placements and assessments (one schema per use case, for the form and the API),
and the JSON shapes of staffing tables and gaps."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hrms.core.schemas import Date, InputSchema
from hrms.staffing.models import AssessmentKind
from positions.models import LEVELS


class PlacementInput(InputSchema):
    #: the version of the person's dossier the placement was prepared on (stale: 409)
    version = fields.Integer(required=True)
    position_id = fields.Integer(required=True)
    #: the main position (true) or a concurrent one (false)
    main = fields.Boolean(load_default=True)
    number = fields.String(required=True, validate=validate.Length(max=60))
    signed_on = Date(required=True)
    issuer = fields.String(required=True, validate=validate.Length(max=255))
    effective_on = Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class EndPlacementInput(InputSchema):
    number = fields.String(required=True, validate=validate.Length(max=60))
    signed_on = Date(required=True)
    issuer = fields.String(required=True, validate=validate.Length(max=255))
    #: the first day the person no longer holds the position
    effective_on = Date(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class AssessmentInput(InputSchema):
    competency_id = fields.Integer(required=True)
    #: the version the level was judged against; when sent, it must be the one in force
    competency_version_id = fields.Integer(load_default=None)
    level = fields.Integer(required=True, validate=validate.Range(min=LEVELS[0], max=LEVELS[-1]))
    assessed_on = Date(required=True)
    evidence = fields.String(load_default=None, validate=validate.Length(max=2000))
    #: the unit head's assessment, or the person's own
    kind = fields.String(
        load_default=AssessmentKind.HEAD.value,
        validate=validate.OneOf([k.value for k in AssessmentKind]),
    )


# Output shapes ------------------------------------------------------------------------------


class StaffingPlacementOut(Schema):
    id = fields.Integer()
    employee_id = fields.Integer()
    position_id = fields.Integer()
    lineage_id = fields.Integer()
    unit_id = fields.Integer()
    main = fields.Boolean()
    decision_id = fields.Integer()
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    ended_by_decision_id = fields.Integer(allow_none=True)


class PlacementLineOut(Schema):
    """A placement with the position it is (now) in, for a person's list."""

    id = fields.Integer(attribute="placement.id")
    position_id = fields.Integer(attribute="position.id")
    position_code = fields.String(attribute="position.code")
    position_name = fields.String(attribute="position.name")
    plan_id = fields.Integer(attribute="position.plan_id")
    lineage_id = fields.Integer(attribute="placement.lineage_id")
    unit_id = fields.Integer(attribute="placement.unit_id")
    unit_name = fields.String()
    main = fields.Boolean(attribute="placement.main")
    decision_id = fields.Integer(attribute="placement.decision_id")
    started_on = fields.Date(attribute="placement.started_on")
    ended_on = fields.Date(attribute="placement.ended_on", allow_none=True)
    ended_by_decision_id = fields.Integer(
        attribute="placement.ended_by_decision_id", allow_none=True
    )


class CompetencyAssessmentOut(Schema):
    id = fields.Integer()
    employee_id = fields.Integer()
    competency_id = fields.Integer()
    competency_version_id = fields.Integer()
    kind = fields.String()
    level = fields.Integer()
    assessed_on = fields.Date()
    evidence = fields.String(allow_none=True)
    assessed_by = fields.Integer()


class StaffingHolderOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    rank_code = fields.String(attribute="employee.rank_code", allow_none=True)
    placement_id = fields.Integer(attribute="placement.id")
    started_on = fields.Date(attribute="placement.started_on")
    rank_matches = fields.Boolean()
    #: moved to another unit since, the placement still open
    elsewhere = fields.Boolean()


class RatioBreachOut(Schema):
    position_id = fields.Integer(attribute="position.id")
    position_code = fields.String(attribute="position.code")
    rank_code = fields.String()
    max_percent = fields.Integer()
    holders = fields.Integer()
    allowed = fields.Float()


class StaffingPositionOut(Schema):
    id = fields.Integer(attribute="position.id")
    lineage_id = fields.Function(lambda row: row.position.lineage_id or row.position.id)
    code = fields.String(attribute="position.code")
    name = fields.String(attribute="position.name")
    group = fields.String(attribute="position.grp")
    rank_codes = fields.List(fields.String(), attribute="position.rank_list")
    education_code = fields.String(attribute="position.education_code", allow_none=True)
    headcount = fields.Integer(attribute="position.headcount")
    placed = fields.Integer()
    concurrent_count = fields.Function(lambda row: len(row.concurrent))
    vacant = fields.Integer()
    over = fields.Integer()
    holders = fields.List(fields.Nested(StaffingHolderOut))
    concurrent = fields.List(fields.Nested(StaffingHolderOut))
    breaches = fields.List(fields.Nested(RatioBreachOut))


class SuggestionOut(Schema):
    position_id = fields.Integer(attribute="position.id")
    code = fields.String(attribute="position.code")
    name = fields.String(attribute="position.name")
    vacant = fields.Integer()
    score = fields.Integer()
    rank_fit = fields.String()
    education_fit = fields.String()
    competencies_required = fields.Integer(attribute="required")
    competencies_met = fields.Integer(attribute="met")
    competencies_not_assessed = fields.Integer(attribute="not_assessed")
    reasons = fields.List(fields.String())


class UnplacedOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    rank_code = fields.String(attribute="employee.rank_code", allow_none=True)
    qualification_code = fields.String(attribute="employee.qualification_code", allow_none=True)
    #: the open main position held outside the plan in force, if any
    held_position_id = fields.Function(
        lambda u: u.held_elsewhere.position.id if u.held_elsewhere else None, allow_none=True
    )
    suggestions = fields.List(fields.Nested(SuggestionOut))


class StaffingPlanOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    effective_on = fields.Date()
    approval_number = fields.String(allow_none=True)


class StaffingTotalsOut(Schema):
    headcount = fields.Integer()
    placed = fields.Integer()
    concurrent = fields.Integer()
    vacant = fields.Integer()
    over = fields.Integer()


class StaffingTableOut(Schema):
    unit_id = fields.Integer(attribute="unit.id")
    unit_name = fields.String(attribute="unit.name")
    on = fields.Date()
    plan = fields.Nested(StaffingPlanOut, allow_none=True)
    totals = fields.Function(lambda table: StaffingTotalsOut().dump(table))
    positions = fields.List(fields.Nested(StaffingPositionOut), attribute="rows")
    rank_mismatches = fields.Function(
        lambda table: [
            {
                "employee_id": holder.employee.id,
                "full_name": holder.employee.full_name,
                "rank_code": holder.employee.rank_code,
                "position_id": row.position.id,
                "position_code": row.position.code,
            }
            for row, holder in table.mismatched
        ]
    )
    ratio_breaches = fields.List(fields.Nested(RatioBreachOut), attribute="breaches")
    not_placed = fields.List(fields.Nested(UnplacedOut), attribute="unplaced")


def _level(assessed: Any) -> int | None:
    return assessed.level if assessed is not None else None


def _on(assessed: Any) -> str | None:
    return assessed.assessment.assessed_on.isoformat() if assessed is not None else None


class GapOut(Schema):
    competency_id = fields.Integer(attribute="competency.id")
    code = fields.String(attribute="competency.code")
    name = fields.String(attribute="version.name")
    family = fields.String(attribute="competency.family")
    required = fields.Integer(allow_none=True)
    #: the descriptor of the required level: the training objective
    objective = fields.String(allow_none=True)
    assessed = fields.Function(lambda row: _level(row.assessed), allow_none=True)
    assessed_on = fields.Function(lambda row: _on(row.assessed), allow_none=True)
    self_assessed = fields.Function(lambda row: _level(row.self_assessed), allow_none=True)
    self_assessed_on = fields.Function(lambda row: _on(row.self_assessed), allow_none=True)
    #: required minus assessed (positive: a training need); null when not assessed
    gap = fields.Integer(allow_none=True)
    status = fields.String()


class GapPositionOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    plan_id = fields.Integer()


class PersonGapsOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    position = fields.Nested(GapPositionOut, allow_none=True)
    concurrent = fields.List(fields.Nested(GapPositionOut))
    competencies = fields.List(fields.Nested(GapOut), attribute="rows")
    other_assessments = fields.List(fields.Nested(GapOut), attribute="others")
    training_needs = fields.List(fields.Nested(GapOut))
