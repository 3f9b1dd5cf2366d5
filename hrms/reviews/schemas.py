"""Inputs of the review cycle: one schema per use case, shared by the HTML forms and the JSON API.

The schemas check the shape and the types (numbers, dates, choices, lengths); the rules (weights
adding up to 100, points within a criterion's maximum, deadlines, who may do what) are the
services' (``hrms.reviews.services``), which name the field at fault the same way
(``items.0.weight``, ``self_points.<code>``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from hrms.core.schemas import Date, InputSchema
from hrms.reviews.scheme import PeriodKind, Rating

#: largest quantity a plan line holds (NUMERIC(10, 2))
MAX_QUANTITY = Decimal("99999999.99")
TEXT = 255
LONG_TEXT = 5000

RATINGS = [rating.value for rating in Rating]
KINDS = [kind.value for kind in PeriodKind]


class Number(fields.Decimal):
    """A decimal number written with a dot or, as Vietnamese does, a comma ("1,5")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(places=2, allow_nan=False, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


def _at_most(highest: Decimal) -> Any:
    def check(value: Decimal | None) -> None:
        if value is not None and abs(value) > highest:
            raise ValidationError(str(_l("Enter a number of at most %(max)s.", max=highest)))

    return check


def _quantity(**kwargs: Any) -> Number:
    return Number(validate=_at_most(MAX_QUANTITY), **kwargs)


def _text(length: int = TEXT, **kwargs: Any) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=length), **kwargs)


def _rating(**kwargs: Any) -> fields.String:
    return fields.String(allow_none=True, validate=validate.OneOf(RATINGS), **kwargs)


def _version() -> fields.Integer:
    return fields.Integer(required=True)


def _points() -> fields.Dict:
    """Points per general criterion, by the criterion's code (the service checks each one)."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(max=50)),
        values=Number(allow_none=True, validate=_at_most(Decimal(1000))),
        allow_none=True,
    )


# Periods ---------------------------------------------------------------------------------------


class PeriodOpen(InputSchema):
    """Open a month or a quarter for a unit and the units under it."""

    unit_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    #: month 1-12 or quarter 1-4 (the service checks which)
    number = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    self_deadline = Date(required=True)
    scoring_deadline = Date(required=True)


class PeriodDeadlines(InputSchema):
    """Move a period's deadlines later, saying why (audited)."""

    self_deadline = Date(required=True)
    scoring_deadline = Date(required=True)
    reason = _text(2000)
    version = _version()


# The work plan ---------------------------------------------------------------------------------


class PlanItem(InputSchema):
    """A line of the work plan: with ``id`` an existing one (adjusted), without it a new one."""

    id = fields.Integer(allow_none=True)
    title = _text()
    expected_output = _text()
    unit_of_measure = _text(50)
    assigned_quantity = _quantity(allow_none=True)
    deadline = Date(allow_none=True)
    weight = Number(allow_none=True, validate=_at_most(Decimal(1000)))
    #: assigned during the period; left out: unchanged (new lines: ad hoc once the plan is open)
    ad_hoc = fields.Boolean()


class PlanSave(InputSchema):
    """The head's whole work plan: lines left out are removed."""

    items = fields.List(fields.Nested(PlanItem), required=True)
    version = _version()


# Self-assessment -------------------------------------------------------------------------------


class SelfAssessmentItem(InputSchema):
    id = fields.Integer(required=True)
    delivered_quantity = _quantity(allow_none=True)
    delivered_on = Date(allow_none=True)
    #: links to the products or documents that prove it, one a line
    evidence = _text(LONG_TEXT)


class SelfAssessmentSave(InputSchema):
    """What the person delivered and their own points; saved as a draft until submitted."""

    items = fields.List(fields.Nested(SelfAssessmentItem), load_default=list)
    #: {criterion code: points}
    self_points = _points()
    self_note = _text(LONG_TEXT)
    #: a quantity over ten times the one assigned is right
    confirm_large = fields.Boolean(load_default=False)
    version = _version()


# Scoring ---------------------------------------------------------------------------------------


class ScoreItem(InputSchema):
    id = fields.Integer(required=True)
    returns = fields.Integer(load_default=0)
    delays = fields.Integer(load_default=0)
    excused_delays = fields.Integer(load_default=0)
    excuse_reason = _text(2000)


class ReviewScore(InputSchema):
    """The head's scoring. Points schemes: counts per item and points per criterion; criteria
    schemes: the ``rating`` decided. Either way an override with a written reason."""

    items = fields.List(fields.Nested(ScoreItem), load_default=list)
    #: {criterion code: points}
    general_points = _points()
    disciplined = fields.Boolean(load_default=False)
    #: the rating decided (criteria schemes)
    rating = _rating()
    override_rating = _rating()
    override_reason = _text(2000)
    head_note = _text(LONG_TEXT)
    version = _version()


class ReviewReopen(InputSchema):
    reason = _text(2000)
    version = _version()


class CommentAdd(InputSchema):
    #: the service asks for text and keeps at most 4000 characters
    body = fields.String(load_default="")


class VersionOnly(InputSchema):
    """Open the self-assessment, submit, finalise: the version read, nothing else."""

    version = _version()


# The year --------------------------------------------------------------------------------------


class AnnualDecide(InputSchema):
    """Criteria schemes: the head's decision on the year and the months worked and absent."""

    decided_rating = _rating()
    months_worked = fields.Integer(allow_none=True)
    months_absent = fields.Integer(allow_none=True)
    maternity = fields.Boolean(load_default=False)
    version = _version()


class AnnualAdjust(InputSchema):
    """A rating other than the computed one, with a reason (no rating: drop the override)."""

    override_rating = _rating()
    override_reason = _text(2000)
    version = _version()


# Scheme administration -------------------------------------------------------------------------


class RulesJson(fields.Field[dict[str, Any]]):
    """Rule data typed as JSON text in a form, or given as an object by the API."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as error:
                raise ValidationError(
                    str(_l("This is not valid JSON: %(error)s.", error=error))
                ) from None
        if not isinstance(value, dict):
            raise ValidationError(str(_l("Give the rules as a JSON object.")))
        return value


class SchemeVersionCreate(InputSchema):
    """A new version of an evaluation scheme (the rules are checked by the service)."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    kinds = fields.List(fields.String(validate=validate.Length(max=20)), required=True)
    effective_from = Date(required=True)
    rules = RulesJson(required=True)


class SchemeAssign(InputSchema):
    """An agency's choice of scheme for a kind of personnel, from a date."""

    unit_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.Length(max=20))
    scheme_id = fields.Integer(required=True)
    effective_from = Date(required=True)


# Output shapes
# (written by helper R1b for the JSON API, hrms/reviews/api.py: list filters, then the answers)

from marshmallow import Schema  # noqa: E402

from hrms.core.api import PageQuerySchema  # noqa: E402
from hrms.core.schemas import Secret  # noqa: E402
from hrms.reviews.models import ReviewState  # noqa: E402


class Choice(Secret):
    """A filter value kept exactly as sent: empty is no filter, but blanks are no choice either
    (refused, as the document's enum says) rather than read as "not given"."""


class PeriodListQuery(PageQuerySchema):
    """Filters of the list of review periods."""

    #: the unit the period was opened for
    unit_id = fields.Integer()
    #: the year the period starts in
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    kind = Choice(validate=validate.OneOf(KINDS))


class ReviewListQuery(PageQuerySchema):
    """Filters of the list of reviews (all of them within the caller's scope)."""

    period_id = fields.Integer()
    employee_id = fields.Integer()
    state = Choice(validate=validate.OneOf([state.value for state in ReviewState]))
    #: the unit, with the units under it
    unit_id = fields.Integer()


class DashboardQuery(InputSchema):
    #: a unit the period covers (by default the period's own unit)
    unit_id = fields.Integer()


def _decimal() -> fields.Decimal:
    return fields.Decimal(as_string=True, allow_none=True)


class ReviewPeriodOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    #: month or quarter
    kind = fields.String()
    #: "03/2026", "Q1/2026"
    title = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    unit_id = fields.Integer()
    unit_name = fields.String()
    self_deadline = fields.Date()
    scoring_deadline = fields.Date()
    #: open or closed
    state = fields.String()
    #: the account that opened it
    opened_by = fields.Integer()
    #: when and by whom it was closed (read-only since)
    closed_at = fields.DateTime(allow_none=True)
    closed_by = fields.Integer(allow_none=True)


class SkippedOut(Schema):
    employee_id = fields.Integer()
    full_name = fields.String()
    reason = fields.String()


class PeriodOpenedOut(ReviewPeriodOut):
    review_ids = fields.List(fields.Integer())
    #: people of the units not reviewed in this period, with why
    skipped = fields.List(fields.Nested(SkippedOut))


class ReviewSummaryOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    period_id = fields.Integer()
    period_title = fields.String()
    employee_id = fields.Integer()
    full_name = fields.String()
    unit_id = fields.Integer()
    unit_name = fields.String()
    #: planning, self_assessment, submitted, scored, finalised
    state = fields.String()
    #: the computed total (points schemes)
    total = _decimal()
    #: the computed rating (or, for criteria schemes, the one decided)
    rating = fields.String(allow_none=True)
    override_rating = fields.String(allow_none=True)
    #: the override when there is one, else the computed rating
    final_rating = fields.String(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    scored_at = fields.DateTime(allow_none=True)
    #: scored after the period's scoring deadline
    scored_late = fields.Boolean()
    finalised_at = fields.DateTime(allow_none=True)


class ReviewItemOut(Schema):
    id = fields.Integer()
    ordinal = fields.Integer()
    title = fields.String()
    expected_output = fields.String(allow_none=True)
    unit_of_measure = fields.String(allow_none=True)
    assigned_quantity = fields.Decimal(as_string=True)
    deadline = fields.Date(allow_none=True)
    weight = fields.Decimal(as_string=True)
    ad_hoc = fields.Boolean()
    delivered_quantity = _decimal()
    delivered_on = fields.Date(allow_none=True)
    evidence = fields.String(allow_none=True)
    returns = fields.Integer()
    delays = fields.Integer()
    excused_delays = fields.Integer()
    excuse_reason = fields.String(allow_none=True)


class CommentOut(Schema):
    body = fields.String()
    at = fields.DateTime()
    #: empty for the person reviewed
    author = fields.String(allow_none=True)


class ReviewDetailOut(ReviewSummaryOut):
    scheme_code = fields.String()
    #: points or criteria
    method = fields.String()
    position_id = fields.Integer(allow_none=True)
    #: the unit the person heads, when they do
    leads_unit_id = fields.Integer(allow_none=True)
    self_points = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    self_note = fields.String(allow_none=True)
    general_points = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    disciplined = fields.Boolean()
    #: the rating the total reaches (points schemes)
    band = fields.String(allow_none=True)
    override_reason = fields.String(allow_none=True)
    head_note = fields.String(allow_none=True)
    reopen_reason = fields.String(allow_none=True)
    #: every step of the score (outputs, unit result, criteria, total, band, rating, reasons),
    #: once scored
    breakdown = fields.Dict(allow_none=True)
    items = fields.List(fields.Nested(ReviewItemOut))
    comments = fields.List(fields.Nested(CommentOut))
    #: the caller may plan, score and finalise it
    may_score = fields.Boolean()
    may_reopen = fields.Boolean()
    #: the caller is the person reviewed
    own = fields.Boolean()


class DashboardRowOut(Schema):
    review_id = fields.Integer()
    employee_id = fields.Integer()
    full_name = fields.String()
    unit_id = fields.Integer()
    unit_name = fields.String()
    state = fields.String()
    total = _decimal()
    final_rating = fields.String(allow_none=True)
    #: items past their deadline with nothing delivered
    overdue_items = fields.Integer()
    #: scored after the scoring deadline
    scored_late = fields.Boolean()


class DashboardOut(Schema):
    period_id = fields.Integer()
    unit_id = fields.Integer()
    today = fields.Date()
    #: reviews per state
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    #: reviews per final rating
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(DashboardRowOut))
    #: ids of the reviews not submitted, not scored, with overdue items
    not_submitted = fields.List(fields.Integer())
    not_scored = fields.List(fields.Integer())
    overdue = fields.List(fields.Integer())
    #: the scoring deadline has passed
    scoring_overdue = fields.Boolean()
    #: ids of the reviews scored after the deadline
    scored_late = fields.List(fields.Integer())


class AnnualRatingOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    employee_id = fields.Integer()
    year = fields.Integer()
    unit_id = fields.Integer()
    #: the agency the 20% cap is counted in, and the group of similar tasks
    agency_id = fields.Integer()
    task_group = fields.String()
    #: average of the year's finalised period totals (points schemes)
    average = _decimal()
    periods = fields.Integer()
    band = fields.String(allow_none=True)
    decided_rating = fields.String(allow_none=True)
    months_worked = fields.Integer(allow_none=True)
    months_absent = fields.Integer(allow_none=True)
    maternity = fields.Boolean()
    rating = fields.String(allow_none=True)
    #: why the rating differs from the band or decision ("discipline", "absence")
    reasons = fields.List(fields.String(), attribute="reason_list")
    override_rating = fields.String(allow_none=True)
    override_reason = fields.String(allow_none=True)
    #: the override when there is one, else the computed rating
    final_rating = fields.String(allow_none=True)
    finalised = fields.Boolean()
    finalised_at = fields.DateTime(allow_none=True)
    #: finalised after the scheme's annual deadline
    finalised_late = fields.Boolean()


# The year, through the API (compute, decide, adjust, the cap report, finalise)


class AnnualRatingRowOut(AnnualRatingOut):
    #: the person rated
    full_name = fields.String()


class AnnualListOut(Schema):
    unit_id = fields.Integer()
    year = fields.Integer()
    #: the day the scheme wants the year's ratings by (15 December under Nghị định 335/2025)
    deadline = fields.Date(allow_none=True)
    items = fields.List(fields.Nested(AnnualRatingRowOut))


class CapMemberOut(Schema):
    annual_id = fields.Integer()
    employee_id = fields.Integer()
    full_name = fields.String()
    average = _decimal()


class CapGroupOut(Schema):
    agency_id = fields.Integer()
    agency_name = fields.String()
    task_group = fields.String()
    #: how many are rated at the level the cap counts from ("good")
    counted = fields.Integer()
    #: how many may be rated at the top
    allowed = fields.Integer()
    #: how many are rated at the top
    rated = fields.Integer()
    #: how many too many (0: within the cap)
    excess = fields.Integer()
    over = fields.Boolean()
    #: those rated at the top, lowest average first (the first to reconsider)
    top = fields.List(fields.Nested(CapMemberOut))


class CapReportOut(Schema):
    unit_id = fields.Integer()
    year = fields.Integer()
    groups = fields.List(fields.Nested(CapGroupOut))


class AnnualFinalisedOut(Schema):
    unit_id = fields.Integer()
    year = fields.Integer()
    #: ids of the annual ratings locked now
    finalised = fields.List(fields.Integer())
    #: groups over the cap: their ratings stay drafts until someone is rated lower
    over_cap = fields.List(fields.Nested(CapGroupOut))
    #: ids left as drafts (not decided yet, or the caller's own)
    left = fields.List(fields.Integer())
