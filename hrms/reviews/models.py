"""Evaluation schemes, review periods, reviews with their work plans, comments and annual
ratings.

A review is one person's evaluation for one period, under the scheme in force for their kind of
personnel; its items are the work plan (drawn from the outputs of the person's main position) and
what was delivered. Positions and units are referred to by table name.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from hrms.reviews.scheme import PeriodKind, Rating, SchemeRules, parse_rules


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


#: kinds of personnel a scheme may apply to (the employees' kinds)
PERSONNEL_KINDS = ("can_bo", "cong_chuc", "vien_chuc", "contract")


class ReviewState(enum.StrEnum):
    #: the head prepares the work plan
    PLANNING = "planning"
    #: the person reports what they delivered
    SELF_ASSESSMENT = "self_assessment"
    #: the person submitted; the head scores
    SUBMITTED = "submitted"
    #: scored, not yet final
    SCORED = "scored"
    #: locked; reopening needs a reason
    FINALISED = "finalised"


class PeriodState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


RATING_LABELS = {
    Rating.EXCELLENT: _l("Excellent (hoàn thành xuất sắc nhiệm vụ)"),
    Rating.GOOD: _l("Good (hoàn thành tốt nhiệm vụ)"),
    Rating.COMPLETE: _l("Complete (hoàn thành nhiệm vụ)"),
    Rating.INCOMPLETE: _l("Incomplete (không hoàn thành nhiệm vụ)"),
}
REVIEW_STATE_LABELS = {
    ReviewState.PLANNING: _l("Work plan in preparation"),
    ReviewState.SELF_ASSESSMENT: _l("Self-assessment open"),
    ReviewState.SUBMITTED: _l("Submitted, waiting for scoring"),
    ReviewState.SCORED: _l("Scored, not final"),
    ReviewState.FINALISED: _l("Finalised"),
}
PERIOD_KIND_LABELS = {PeriodKind.MONTH: _l("Month"), PeriodKind.QUARTER: _l("Quarter")}

_RATINGS = _values(Rating)


@lru_cache(maxsize=64)
def _parsed(rules: str) -> SchemeRules:
    """Rules parsed once per distinct text: every review scored or shown reads its scheme's."""
    return parse_rules(json.loads(rules))


class EvaluationScheme(Audited, VersionedMixin, TimestampMixin, Base):
    """One version of an evaluation scheme: rule data in force from a date, for some kinds of
    personnel. A new decree is a new row, never an edit of the old one."""

    __tablename__ = "evaluation_schemes"
    __table_args__ = (
        # explicit name: the convention names a unique constraint after its first column only
        UniqueConstraint("code", "effective_from", name="uq_evaluation_schemes_code_effective"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: short code, e.g. "ND335-2025"
    code: Mapped[str] = mapped_column(String(40))
    #: what it is, with its legal source
    name: Mapped[str] = mapped_column(String(255))
    #: kinds of personnel it applies to, comma-separated ("can_bo,vien_chuc")
    kinds: Mapped[str] = mapped_column(String(100))
    #: in force from this date until a later version of a scheme for the same kinds
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: the rules (see hrms.reviews.scheme): criteria, output rules, bands, cap, period
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: inactive schemes are kept for the reviews made under them but never chosen again
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @validates("rules")
    def _check_rules(self, key: str, value: dict[str, Any]) -> dict[str, Any]:
        parse_rules(value)  # refuses incoherent rule data with per-field messages
        return value

    @property
    def parsed(self) -> SchemeRules:
        return _parsed(json.dumps(self.rules, sort_keys=True))

    @property
    def kind_list(self) -> list[str]:
        return [kind for kind in self.kinds.split(",") if kind]


class SchemeAssignment(Audited, TimestampMixin, Base):
    """An agency's choice of scheme for a kind of personnel, from a date (overrides the default
    choice by kind)."""

    __tablename__ = "scheme_assignments"
    __table_args__ = (
        UniqueConstraint(
            "unit_id", "kind", "effective_from", name="uq_scheme_assignments_unit_kind_from"
        ),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in PERSONNEL_KINDS) + ")", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the agency (its whole subtree follows the choice)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: the kind of personnel
    kind: Mapped[str] = mapped_column(String(20))
    #: the scheme used
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_schemes.id"))
    #: from this date
    effective_from: Mapped[dt.date] = mapped_column(Date)


class ReviewPeriod(Audited, VersionedMixin, TimestampMixin, Base):
    """A month or quarter of reviews for the people of a unit's subtree."""

    __tablename__ = "review_periods"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(PeriodKind)})", name="kind"),
        CheckConstraint(f"state IN ({_values(PeriodState)})", name="state"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("self_deadline >= starts_on", name="self_deadline"),
        CheckConstraint("scoring_deadline >= self_deadline", name="scoring_deadline"),
        Index("ix_review_periods_unit_starts", "unit_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: month or quarter
    kind: Mapped[str] = mapped_column(String(10))
    #: first day of the period
    starts_on: Mapped[dt.date] = mapped_column(Date)
    #: last day of the period
    ends_on: Mapped[dt.date] = mapped_column(Date)
    #: the unit whose subtree the period covers
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: self-assessments are accepted until the end of this day
    self_deadline: Mapped[dt.date] = mapped_column(Date)
    #: heads score by the end of this day
    scoring_deadline: Mapped[dt.date] = mapped_column(Date)
    #: the personnel officer who opened it
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: open or closed
    state: Mapped[str] = mapped_column(String(10), default=PeriodState.OPEN.value)
    #: when it was closed (every review finalised; read-only since)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: the personnel officer who closed it
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def closed(self) -> bool:
        return self.state == PeriodState.CLOSED.value

    @property
    def kind_label(self) -> str:
        return str(PERIOD_KIND_LABELS[PeriodKind(self.kind)])

    @property
    def title(self) -> str:
        if self.kind == PeriodKind.MONTH.value:
            return f"{self.starts_on.month:02d}/{self.starts_on.year}"
        return f"Q{(self.starts_on.month - 1) // 3 + 1}/{self.starts_on.year}"

    @property
    def months(self) -> int:
        return (
            (self.ends_on.year - self.starts_on.year) * 12
            + (self.ends_on.month - self.starts_on.month)
            + 1
        )


class Review(Audited, VersionedMixin, TimestampMixin, Base):
    """One person's evaluation for one period."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("period_id", "employee_id", name="uq_reviews_period_employee"),
        CheckConstraint(f"state IN ({_values(ReviewState)})", name="state"),
        CheckConstraint(f"band IS NULL OR band IN ({_RATINGS})", name="band"),
        CheckConstraint(f"rating IS NULL OR rating IN ({_RATINGS})", name="rating"),
        CheckConstraint(
            f"override_rating IS NULL OR override_rating IN ({_RATINGS})", name="override_rating"
        ),
        CheckConstraint(
            "override_rating IS NULL OR override_reason IS NOT NULL", name="override_has_reason"
        ),
        CheckConstraint("total IS NULL OR total BETWEEN 0 AND 100", name="total"),
        CheckConstraint(
            "state != 'finalised' OR (rating IS NOT NULL AND finalised_by IS NOT NULL)",
            name="finalised_is_rated",
        ),
        # the period dashboard: a period's reviews by state, a unit's reviews
        Index("ix_reviews_period_state", "period_id", "state"),
        Index("ix_reviews_unit_period", "unit_id", "period_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the period
    period_id: Mapped[int] = mapped_column(ForeignKey("review_periods.id"))
    #: the person reviewed
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: the person's unit when the period opened (decides who scores and who sees it)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: the person's main position when the period opened (its outputs started the plan)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("unit_positions.id"))
    #: the unit the person heads, when they do (their score counts its results)
    leads_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: the scheme the review is scored under
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_schemes.id"))
    #: planning, self-assessment, submitted, scored, finalised
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.PLANNING.value)
    #: the person's own points per general criterion ({"politics": "9"})
    self_points: Mapped[dict[str, str] | None] = mapped_column(JSON)
    #: the person's remarks on the period
    self_note: Mapped[str | None] = mapped_column(Text)
    #: when the person submitted
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: the head's points per general criterion
    general_points: Mapped[dict[str, str] | None] = mapped_column(JSON)
    #: a disciplinary sanction (or ethical degradation) in the year: the scheme's rating applies
    disciplined: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the computed total (points schemes)
    total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: the rating the total reaches (points schemes)
    band: Mapped[str | None] = mapped_column(String(20))
    #: the rating computed (after the discipline rule) or, for criteria schemes, decided
    rating: Mapped[str | None] = mapped_column(String(20))
    #: a rating the head gave instead of the computed one
    override_rating: Mapped[str | None] = mapped_column(String(20))
    #: why (required with an override)
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: the head's remarks
    head_note: Mapped[str | None] = mapped_column(Text)
    #: every step of the score (see scoring.Breakdown), kept as scored and frozen at finalisation
    breakdown: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: the account that scored
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when it was scored
    scored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: scored after the period's scoring deadline (as it stood then)
    scored_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the account that finalised
    finalised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when it was finalised
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: why it was last reopened
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review",
        order_by="[ReviewItem.ordinal, ReviewItem.id]",
        cascade="all, delete-orphan",
    )

    @property
    def final_rating(self) -> Rating | None:
        chosen = self.override_rating or self.rating
        return Rating(chosen) if chosen else None

    @property
    def state_label(self) -> str:
        return str(REVIEW_STATE_LABELS[ReviewState(self.state)])

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"


class ReviewItem(Audited, TimestampMixin, Base):
    """One line of the work plan: what was assigned, and what was delivered and how."""

    __tablename__ = "review_items"
    __table_args__ = (
        CheckConstraint("assigned_quantity > 0", name="assigned_quantity"),
        CheckConstraint("weight > 0 AND weight <= 100", name="weight"),
        CheckConstraint(
            "delivered_quantity IS NULL OR delivered_quantity >= 0", name="delivered_quantity"
        ),
        CheckConstraint("returns >= 0", name="returns"),
        CheckConstraint("delays >= 0", name="delays"),
        CheckConstraint("excused_delays BETWEEN 0 AND delays", name="excused_delays"),
        CheckConstraint(
            "excused_delays = 0 OR excuse_reason IS NOT NULL", name="excuse_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the review
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    #: order in the plan
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    #: the position output it was drawn from; empty for items the head wrote
    source_output_id: Mapped[int | None] = mapped_column(
        ForeignKey("position_outputs.id", ondelete="SET NULL")
    )
    #: what the task is
    title: Mapped[str] = mapped_column(String(255))
    #: the expected output (product)
    expected_output: Mapped[str | None] = mapped_column(String(255))
    #: unit of measure ("hồ sơ", "văn bản")
    unit_of_measure: Mapped[str | None] = mapped_column(String(50))
    #: quantity assigned for the period
    assigned_quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: due date, when there is one
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    #: share of the task score (the plan's weights add up to 100)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    #: assigned during the period (not from the position's outputs)
    ad_hoc: Mapped[bool] = mapped_column(Boolean, default=False)
    #: quantity delivered, as the person reported it
    delivered_quantity: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    #: when it was delivered
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    #: links to the products or documents that prove it, one a line
    evidence: Mapped[str | None] = mapped_column(Text)
    #: returns for a major error (the head's count)
    returns: Mapped[int] = mapped_column(Integer, default=0)
    #: delays (the head's count)
    delays: Mapped[int] = mapped_column(Integer, default=0)
    #: delays with an objective cause, not counted
    excused_delays: Mapped[int] = mapped_column(Integer, default=0)
    #: the objective cause
    excuse_reason: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="items")

    @property
    def audit_subject(self) -> str:
        return f"reviews:{self.review_id}"


class ReviewComment(Audited, TimestampMixin, Base):
    """A colleague's remark on a review; the person sees it without the author's name."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the review
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    #: who wrote it (shown to heads and officers, never to the person)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the remark
    body: Mapped[str] = mapped_column(Text)

    @property
    def audit_subject(self) -> str:
        return f"reviews:{self.review_id}"


class AnnualRating(Audited, VersionedMixin, TimestampMixin, Base):
    """A person's rating for a year: the average of the finalised periods (points schemes) or
    the head's decision under the attendance rules (criteria schemes). What salary raises read."""

    __tablename__ = "annual_ratings"
    __table_args__ = (
        UniqueConstraint("employee_id", "year", name="uq_annual_ratings_employee_year"),
        CheckConstraint("periods >= 0", name="periods"),
        CheckConstraint(f"band IS NULL OR band IN ({_RATINGS})", name="band"),
        CheckConstraint(f"rating IS NULL OR rating IN ({_RATINGS})", name="rating"),
        CheckConstraint(
            f"decided_rating IS NULL OR decided_rating IN ({_RATINGS})", name="decided_rating"
        ),
        CheckConstraint(
            f"override_rating IS NULL OR override_rating IN ({_RATINGS})", name="override_rating"
        ),
        CheckConstraint(
            "override_rating IS NULL OR override_reason IS NOT NULL", name="override_has_reason"
        ),
        CheckConstraint("average IS NULL OR average BETWEEN 0 AND 100", name="average"),
        # the cap is checked per agency and task group of a year
        Index("ix_annual_ratings_year_agency_group", "year", "agency_id", "task_group"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: the calendar year
    year: Mapped[int] = mapped_column(Integer)
    #: the scheme of the year's reviews
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_schemes.id"))
    #: the person's unit when rated
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: the agency the cap is counted in
    agency_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: the group of similar tasks the cap is counted in (the position's group)
    task_group: Mapped[str] = mapped_column(String(30))
    #: average of the year's finalised period totals (points schemes)
    average: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: how many finalised periods it averages
    periods: Mapped[int] = mapped_column(Integer, default=0)
    #: the rating the average reaches
    band: Mapped[str | None] = mapped_column(String(20))
    #: criteria schemes: the head's decision before the attendance rules
    decided_rating: Mapped[str | None] = mapped_column(String(20))
    #: months worked in the year (criteria schemes' attendance rule)
    months_worked: Mapped[int | None] = mapped_column(Integer)
    #: months absent in the year
    months_absent: Mapped[int | None] = mapped_column(Integer)
    #: on maternity leave (exempt from the attendance rules)
    maternity: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the computed rating; empty when not rated (too little work, or not decided yet)
    rating: Mapped[str | None] = mapped_column(String(20))
    #: why the rating differs from the band or decision ("discipline,absence")
    reasons: Mapped[str] = mapped_column(String(200), default="")
    #: a rating given instead (to respect the cap, for instance)
    override_rating: Mapped[str | None] = mapped_column(String(20))
    #: why (required with an override)
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: locked: what salary raises read
    finalised: Mapped[bool] = mapped_column(Boolean, default=False)
    #: who finalised
    finalised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: finalised after the scheme's annual deadline (15 December under Nghị định 335/2025)
    finalised_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def final_rating(self) -> Rating | None:
        chosen = self.override_rating or self.rating
        return Rating(chosen) if chosen else None

    @property
    def reason_list(self) -> list[str]:
        return [reason for reason in self.reasons.split(",") if reason]

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"
