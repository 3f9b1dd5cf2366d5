"""Inputs (one schema per use case, shared by the HTML forms, the JSON API and the Excel import)
and outputs of the positions feature."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from hrms.core.api import PageQuerySchema
from hrms.core.schemas import Date, InputSchema
from positions.models import LEVELS, CompetencyFamily, PlanState, PositionGroup

# Position plans and unit positions --------------------------------------------------------------

POSITION_CODE = validate.Regexp(
    r"^[0-9A-Za-z._/-]+$",
    error=_l("Use letters without accents, digits, dots, dashes or slashes; no spaces."),
)
RANK_CODE = validate.Regexp(
    r"^[0-9A-Za-z.]{1,20}$", error=_l("A rank code has up to 20 letters, digits or dots.")
)
LONG_TEXT = 5000


def _long_text() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=LONG_TEXT))


def _positive(highest: Decimal) -> Any:
    def check(value: Decimal) -> None:
        if not Decimal(0) < value <= highest:
            raise ValidationError(
                str(_l("Enter a number greater than 0 and at most %(max)s.", max=highest))
            )

    return check


def _not_negative(highest: Decimal) -> Any:
    def check(value: Decimal | None) -> None:
        if value is not None and not Decimal(0) <= value <= highest:
            raise ValidationError(str(_l("Enter a number from 0 to %(max)s.", max=highest)))

    return check


class Number(fields.Decimal):
    """A decimal number written with a dot or, as Vietnamese does, a comma ("1,5")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


class CodeList(fields.List[str]):
    """Rank codes: a JSON list, or typed in a form as "01.003, 01.002" (first = usual one)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.String(validate=RANK_CODE), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = [item for item in re.split(r"[,;\s]+", value) if item]
        codes = super()._deserialize(value, attr, data, **kwargs)
        unique = list(dict.fromkeys(str(code).strip().upper() for code in codes if code))
        if len(",".join(unique)) > 200:
            raise ValidationError(str(_l("Too many rank codes (at most 200 characters).")))
        return unique


class PositionOutputInput(InputSchema):
    """An expected output of a task."""

    name = fields.String(required=True, validate=validate.Length(max=255))
    unit_of_measure = fields.String(required=True, validate=validate.Length(max=50))
    conversion_factor = Number(
        places=2, load_default=Decimal(1), validate=_positive(Decimal("9999.99"))
    )
    monthly_quantity = Number(
        places=2, load_default=None, allow_none=True, validate=_not_negative(Decimal("999999.99"))
    )


class PositionTaskInput(InputSchema):
    description = fields.String(required=True, validate=validate.Length(max=2000))
    outputs = fields.List(fields.Nested(PositionOutputInput), load_default=list)


class PositionRequirementInput(InputSchema):
    #: the version of the competency in force today (the service checks it)
    competency_version_id = fields.Integer(required=True)
    level = fields.Integer(
        required=True,
        validate=validate.Range(
            min=1, max=5, error=str(_l("The required level must be from 1 to 5."))
        ),
    )


class RankLimitInput(InputSchema):
    rank_code = fields.String(required=True, validate=RANK_CODE)
    max_percent = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=100, error=str(_l("Enter a percentage from 0 to 100."))),
    )


class UnitPositionFields(InputSchema):
    """Every field of a unit position; creating and changing take them with their own rules."""

    code = fields.String(validate=[validate.Length(max=30), POSITION_CODE])
    name = fields.String(validate=validate.Length(max=255))
    grp = fields.String(validate=validate.OneOf([group.value for group in PositionGroup]))
    rank_codes = CodeList()
    headcount = fields.Integer(validate=validate.Range(min=0, max=100_000))
    education_code = fields.String(
        allow_none=True, validate=[validate.Length(max=20), POSITION_CODE]
    )
    objective = _long_text()
    evaluation_criteria = _long_text()
    internal_relations = _long_text()
    external_relations = _long_text()
    authority = _long_text()
    working_conditions = _long_text()
    qualifications = _long_text()
    experience = _long_text()
    qualities = _long_text()
    tasks = fields.List(fields.Nested(PositionTaskInput))
    requirements = fields.List(fields.Nested(PositionRequirementInput))
    rank_limits = fields.List(fields.Nested(RankLimitInput))


class UnitPositionCreate(UnitPositionFields):
    """A position defined locally (blank form or API)."""

    code = fields.String(required=True, validate=[validate.Length(max=30), POSITION_CODE])
    name = fields.String(required=True, validate=validate.Length(max=255))
    grp = fields.String(
        required=True, validate=validate.OneOf([group.value for group in PositionGroup])
    )
    headcount = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))


class UnitPositionUpdate(UnitPositionCreate):
    """A change of a position, with the ``version`` read. The edit form sends every field; the
    API's PATCH loads it with ``position_patch()``: only the fields sent change (lists as a
    whole), but ``version`` is still required."""

    version = fields.Integer(required=True)


def position_patch() -> UnitPositionUpdate:
    """The update schema with PATCH semantics: every field optional but ``version``."""
    return UnitPositionUpdate(
        partial=tuple(name for name in UnitPositionUpdate._declared_fields if name != "version")
    )


class CataloguePositionAdd(InputSchema):
    """A position taken from the framework catalogue, with the unit's own code and headcount."""

    framework_position_id = fields.Integer(required=True)
    code = fields.String(required=True, validate=[validate.Length(max=30), POSITION_CODE])
    headcount = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))


class PlanNote(InputSchema):
    """Starting the next version of a unit's plan."""

    note = fields.String(load_default=None, validate=validate.Length(max=LONG_TEXT))


class PlanCreate(PlanNote):
    unit_id = fields.Integer(required=True)


class PlanSubmit(InputSchema):
    version = fields.Integer(required=True)


class PlanApprove(InputSchema):
    version = fields.Integer(required=True)
    effective_on = Date(required=True)
    approval_number = fields.String(load_default=None, validate=validate.Length(max=60))
    comment = fields.String(load_default=None, validate=validate.Length(max=LONG_TEXT))


class PlanReturn(InputSchema):
    version = fields.Integer(required=True)
    comment = fields.String(
        required=True,
        validate=validate.Length(max=LONG_TEXT),
        error_messages={"required": str(_l("Say what must be changed before approval."))},
    )


class PlanListQuery(PageQuerySchema):
    unit_id = fields.Integer(load_default=None)
    state = fields.String(
        load_default=None, validate=validate.OneOf([state.value for state in PlanState])
    )


class UnitPositionListQuery(PageQuerySchema):
    unit_id = fields.Integer(load_default=None)
    #: one version of a plan (then ``in_force`` is ignored)
    plan_id = fields.Integer(load_default=None)
    #: only positions of the approved plans in force today (default); false: every version
    in_force = fields.Boolean(load_default=True)


class PositionOutputOut(Schema):
    id = fields.Integer()
    name = fields.String()
    unit_of_measure = fields.String()
    conversion_factor = fields.Decimal(as_string=True)
    monthly_quantity = fields.Decimal(as_string=True, allow_none=True)


class PositionTaskOut(Schema):
    id = fields.Integer()
    ordinal = fields.Integer()
    description = fields.String()
    outputs = fields.List(fields.Nested(PositionOutputOut))


class PositionRequirementOut(Schema):
    competency_id = fields.Integer()
    competency_code = fields.String(attribute="competency_version.competency.code")
    competency_name = fields.String(attribute="competency_version.name")
    competency_family = fields.String(attribute="competency_version.competency.family")
    competency_version_id = fields.Integer()
    competency_version_number = fields.Integer(attribute="competency_version.number")
    level = fields.Integer()
    #: what the required level means, in this version's words
    level_descriptor = fields.Method("_descriptor")

    def _descriptor(self, requirement: Any) -> str:
        return str(requirement.competency_version.descriptor(requirement.level))


class RankLimitOut(Schema):
    rank_code = fields.String()
    max_percent = fields.Integer()


class UnitPositionSummaryOut(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    unit_id = fields.Integer(attribute="plan.unit_id")
    #: the same position across plan versions
    lineage_id = fields.Integer()
    framework_position_id = fields.Integer(allow_none=True)
    code = fields.String()
    name = fields.String()
    grp = fields.String()
    rank_codes = fields.List(fields.String(), attribute="rank_list")
    headcount = fields.Integer()
    education_code = fields.String(allow_none=True)
    version = fields.Integer()


class UnitPositionOut(UnitPositionSummaryOut):
    objective = fields.String(allow_none=True)
    evaluation_criteria = fields.String(allow_none=True)
    internal_relations = fields.String(allow_none=True)
    external_relations = fields.String(allow_none=True)
    authority = fields.String(allow_none=True)
    working_conditions = fields.String(allow_none=True)
    qualifications = fields.String(allow_none=True)
    experience = fields.String(allow_none=True)
    qualities = fields.String(allow_none=True)
    tasks = fields.List(fields.Nested(PositionTaskOut))
    requirements = fields.List(fields.Nested(PositionRequirementOut))
    rank_limits = fields.List(fields.Nested(RankLimitOut))


class PositionPlanOut(Schema):
    id = fields.Integer()
    unit_id = fields.Integer()
    unit_name = fields.String()
    number = fields.Integer()
    previous_id = fields.Integer(allow_none=True)
    state = fields.String()
    note = fields.String(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    approval_number = fields.String(allow_none=True)
    submitted_by = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    decided_by = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_comment = fields.String(allow_none=True)
    version = fields.Integer()


class PositionPlanDetailOut(PositionPlanOut):
    positions = fields.List(fields.Nested(UnitPositionSummaryOut))


# Competency dictionary and framework catalogue ---------------------------------------------------

#: codes of competencies and catalogue positions: letters, digits, dot, dash, underscore
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
#: a rank or professional-title code, e.g. 01.003 or V.07.01.03
RANK_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9.]{0,19}")
#: what a required level must be
LEVEL_RANGE = validate.Range(
    min=LEVELS[0], max=LEVELS[-1], error=_l("Choose a level from 1 (lowest) to 5 (highest).")
)
_CODE = validate.Regexp(
    CODE_PATTERN, error=_l("Use letters, digits, dots and dashes only (e.g. CM-05).")
)


class RankCodes(fields.Field):  # type: ignore[type-arg]
    """Rank codes typed as "01.003, 01.002" (or sent as a list): a list of codes, upper case,
    in the order given, without repeats."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            parts = re.split(r"[,;\s]+", value)
        elif isinstance(value, list | tuple):
            parts = [str(part) for part in value]
        else:
            raise ValidationError(str(_l("Enter rank codes separated by commas.")))
        codes: list[str] = []
        for part in (p.strip().upper() for p in parts):
            if not part:
                continue
            if not RANK_CODE_PATTERN.fullmatch(part):
                raise ValidationError(
                    str(_l('"%(code)s" is not a rank code (e.g. 01.003).', code=part))
                )
            if part not in codes:
                codes.append(part)
        if not codes:
            raise ValidationError(str(_l("Give at least one rank code (e.g. 01.003).")))
        if len(",".join(codes)) > 200:
            raise ValidationError(str(_l("Too many rank codes.")))
        return codes


class _Wording(InputSchema):
    """What a version of a competency says."""

    name = fields.String(required=True, validate=validate.Length(max=200))
    definition = fields.String(required=True, validate=validate.Length(max=4000))
    level_1 = fields.String(required=True, validate=validate.Length(max=2000))
    level_2 = fields.String(required=True, validate=validate.Length(max=2000))
    level_3 = fields.String(required=True, validate=validate.Length(max=2000))
    level_4 = fields.String(required=True, validate=validate.Length(max=2000))
    level_5 = fields.String(required=True, validate=validate.Length(max=2000))
    effective_from = Date(required=True)


class CompetencyCreate(_Wording):
    """A new competency and its first version."""

    code = fields.String(required=True, validate=[validate.Length(max=30), _CODE])
    family = fields.String(
        required=True, validate=validate.OneOf([family.value for family in CompetencyFamily])
    )
    change_note = fields.String(load_default=None, validate=validate.Length(max=500))


class CompetencyVersionCreate(_Wording):
    """A new version of a competency; ``based_on`` is the number of the latest version the
    author read (a version added meanwhile is a conflict)."""

    based_on = fields.Integer(load_default=None)
    change_note = fields.String(required=True, validate=validate.Length(max=500))


class ActiveInput(InputSchema):
    """Retire (false) or bring back (true) a competency or a catalogue position."""

    active = fields.Boolean(required=True)


class FrameworkTaskInput(InputSchema):
    description = fields.String(required=True, validate=validate.Length(max=2000))
    output_name = fields.String(load_default=None, validate=validate.Length(max=255))
    unit_of_measure = fields.String(load_default=None, validate=validate.Length(max=50))


class FrameworkRequirementInput(InputSchema):
    competency_id = fields.Integer(required=True)
    level = fields.Integer(required=True, validate=LEVEL_RANGE)


class FrameworkPositionInput(InputSchema):
    """A catalogue position with its default tasks and required levels (they replace the old
    ones on an update). ``stamp`` is the last-change time the editor read."""

    stamp = fields.String(load_default=None)
    code = fields.String(required=True, validate=[validate.Length(max=30), _CODE])
    group = fields.String(
        required=True, validate=validate.OneOf([group.value for group in PositionGroup])
    )
    title = fields.String(required=True, validate=validate.Length(max=255))
    rank_codes = RankCodes(required=True)
    objective = fields.String(load_default=None, validate=validate.Length(max=4000))
    source = fields.String(load_default=None, validate=validate.Length(max=200))
    tasks = fields.List(fields.Nested(FrameworkTaskInput), load_default=list)
    requirements = fields.List(fields.Nested(FrameworkRequirementInput), load_default=list)


class CompetencyListQuery(PageQuerySchema):
    family = fields.String(
        load_default=None, validate=validate.OneOf([family.value for family in CompetencyFamily])
    )


class FrameworkPositionListQuery(PageQuerySchema):
    group = fields.String(
        load_default=None, validate=validate.OneOf([group.value for group in PositionGroup])
    )
    q = fields.String(load_default=None, validate=validate.Length(max=100))


class CompetencyVersionOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    effective_from = fields.Date()
    name = fields.String()
    definition = fields.String()
    levels = fields.Method("_levels", metadata={"description": "descriptors of levels 1 to 5"})
    change_note = fields.String(allow_none=True)

    def _levels(self, version: Any) -> list[str]:
        return [str(getattr(version, f"level_{level}")) for level in LEVELS]


class CompetencyOut(Schema):
    id = fields.Integer()
    code = fields.String()
    family = fields.String()
    active = fields.Boolean()
    version_in_force = fields.Nested(
        CompetencyVersionOut,
        allow_none=True,
        metadata={"description": "the wording in force today (null before the first version)"},
    )


class CompetencyDetailOut(CompetencyOut):
    versions = fields.List(fields.Nested(CompetencyVersionOut))


class FrameworkTaskOut(Schema):
    ordinal = fields.Integer()
    description = fields.String()
    output_name = fields.String(allow_none=True)
    unit_of_measure = fields.String(allow_none=True)


class FrameworkRequirementOut(Schema):
    competency_id = fields.Integer()
    competency_code = fields.String()
    level = fields.Integer()
    version_in_force = fields.Nested(
        CompetencyVersionOut(only=("id", "number", "name")), allow_none=True
    )


class FrameworkPositionOut(Schema):
    id = fields.Integer()
    code = fields.String()
    group = fields.String(attribute="grp")
    title = fields.String()
    rank_codes = fields.List(fields.String(), attribute="rank_list")
    objective = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    active = fields.Boolean()


class FrameworkPositionDetailOut(FrameworkPositionOut):
    tasks = fields.List(fields.Nested(FrameworkTaskOut))
    requirements = fields.List(fields.Nested(FrameworkRequirementOut))
