"""Competency dictionary, framework catalogue, unit positions and position plans.

This package knows nothing of people: placements and assessments of employees live in
``hrms.staffing``, which refers to these tables. Units are referred to by table name (``units``)
through the light table ``UNITS`` below, never by importing the org feature.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
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
    column,
    table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin

#: the organisation's units, by table name: enough to scope and name without the org feature
UNITS = table(
    "units",
    column("id", Integer),
    column("path", String),
    column("name", String),
    column("code", String),
    column("effective_to", Date),
)

#: lowest and highest competency level (the levels' descriptors are columns level_1 ... level_5)
LEVELS = (1, 2, 3, 4, 5)


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


class CompetencyFamily(enum.StrEnum):
    GENERAL = "general"
    PROFESSIONAL = "professional"
    LEADERSHIP = "leadership"


FAMILY_LABELS = {
    CompetencyFamily.GENERAL: _l("General competencies"),
    CompetencyFamily.PROFESSIONAL: _l("Professional competencies"),
    CompetencyFamily.LEADERSHIP: _l("Leadership and management competencies"),
}


class PositionGroup(enum.StrEnum):
    LEADERSHIP = "leadership"
    PROFESSIONAL = "professional"
    SHARED_PROFESSIONAL = "shared_professional"
    SUPPORT = "support"


GROUP_LABELS = {
    PositionGroup.LEADERSHIP: _l("Leadership and management"),
    PositionGroup.PROFESSIONAL: _l("Professional"),
    PositionGroup.SHARED_PROFESSIONAL: _l("Shared professional"),
    PositionGroup.SUPPORT: _l("Support and service"),
}


class PlanState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


PLAN_STATE_LABELS = {
    PlanState.DRAFT: _l("Draft"),
    PlanState.SUBMITTED: _l("Submitted for approval"),
    PlanState.APPROVED: _l("Approved"),
    PlanState.RETURNED: _l("Returned for changes"),
}


# Competency dictionary ------------------------------------------------------------------------


class Competency(Audited, TimestampMixin, Base):
    """A competency's lasting identity; what it says lives in its versions."""

    __tablename__ = "competencies"
    __table_args__ = (CheckConstraint(f"family IN ({_values(CompetencyFamily)})", name="family"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: short code, e.g. "CHUNG-01"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    #: general, professional or leadership
    family: Mapped[str] = mapped_column(String(20), index=True)
    #: position in the dictionary's listing
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    #: retired competencies stay for history but are not offered for new requirements
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    versions: Mapped[list[CompetencyVersion]] = relationship(
        back_populates="competency", order_by="CompetencyVersion.number"
    )

    @property
    def family_label(self) -> str:
        return str(FAMILY_LABELS[CompetencyFamily(self.family)])


class CompetencyVersion(Audited, TimestampMixin, Base):
    """One wording of a competency, in force from its effective date until the next version.
    Never changed once written: requirements and assessments keep pointing at it."""

    __tablename__ = "competency_versions"
    __table_args__ = (
        # Explicit names: the convention names a unique constraint after its first
        # column only, and both of these start with competency_id.
        UniqueConstraint("competency_id", "number", name="uq_competency_versions_number"),
        UniqueConstraint(
            "competency_id", "effective_from", name="uq_competency_versions_effective_from"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the competency this is a version of
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    #: 1, 2, ... in order of effective date
    number: Mapped[int] = mapped_column(Integer)
    #: in force from this date until the next version's
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: name, e.g. "Đạo đức công vụ và liêm chính"
    name: Mapped[str] = mapped_column(String(200))
    #: what the competency is about
    definition: Mapped[str] = mapped_column(Text)
    #: what a person at level 1 (knows the rules, follows the process) can do
    level_1: Mapped[str] = mapped_column(Text)
    #: level 2 descriptor
    level_2: Mapped[str] = mapped_column(Text)
    #: level 3 descriptor
    level_3: Mapped[str] = mapped_column(Text)
    #: level 4 descriptor
    level_4: Mapped[str] = mapped_column(Text)
    #: what a person at level 5 (shapes culture and strategy) can do
    level_5: Mapped[str] = mapped_column(Text)
    #: why this version was made (the admin's note)
    change_note: Mapped[str | None] = mapped_column(String(500))

    competency: Mapped[Competency] = relationship(back_populates="versions")

    def descriptor(self, level: int) -> str:
        return str(getattr(self, f"level_{level}"))

    @property
    def audit_subject(self) -> str:
        return f"competencies:{self.competency_id}"


# Framework catalogue ---------------------------------------------------------------------------


class FrameworkPosition(Audited, TimestampMixin, Base):
    """A position of the national framework lists, with its default tasks and levels."""

    __tablename__ = "framework_positions"
    __table_args__ = (CheckConstraint(f"grp IN ({_values(PositionGroup)})", name="grp"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: code in the catalogue, e.g. "CM-NV-05"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    #: leadership, professional, shared professional or support
    grp: Mapped[str] = mapped_column(String(30), index=True)
    #: the position's title
    title: Mapped[str] = mapped_column(String(255))
    #: corresponding rank codes, comma-separated in order of preference (e.g. "01.003,01.002")
    rank_codes: Mapped[str] = mapped_column(String(200), default="")
    #: default objective of the job description
    objective: Mapped[str | None] = mapped_column(Text)
    #: the legal source, e.g. "Nghị định 361/2025/NĐ-CP"
    source: Mapped[str | None] = mapped_column(String(200))
    #: withdrawn positions stay for history but are not offered
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    tasks: Mapped[list[FrameworkTask]] = relationship(
        order_by="FrameworkTask.ordinal", cascade="all, delete-orphan"
    )
    requirements: Mapped[list[FrameworkRequirement]] = relationship(cascade="all, delete-orphan")

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[PositionGroup(self.grp)])

    @property
    def rank_list(self) -> list[str]:
        return [code for code in self.rank_codes.split(",") if code]


class FrameworkTask(Audited, Base):
    """A default task of a framework position, with the output it usually yields."""

    __tablename__ = "framework_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the framework position
    framework_position_id: Mapped[int] = mapped_column(
        ForeignKey("framework_positions.id", ondelete="CASCADE"), index=True
    )
    #: order in the list of tasks
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    #: what the task is
    description: Mapped[str] = mapped_column(Text)
    #: the usual output (product) of the task
    output_name: Mapped[str | None] = mapped_column(String(255))
    #: its unit of measure ("văn bản", "hồ sơ"...)
    unit_of_measure: Mapped[str | None] = mapped_column(String(50))

    @property
    def audit_subject(self) -> str:
        return f"framework_positions:{self.framework_position_id}"


class FrameworkRequirement(Audited, Base):
    """A default required level of a framework position (by competency, not by version)."""

    __tablename__ = "framework_requirements"
    __table_args__ = (
        UniqueConstraint("framework_position_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the framework position
    framework_position_id: Mapped[int] = mapped_column(
        ForeignKey("framework_positions.id", ondelete="CASCADE"), index=True
    )
    #: the competency required
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    #: the level required, 1-5
    level: Mapped[int] = mapped_column(Integer)

    @property
    def audit_subject(self) -> str:
        return f"framework_positions:{self.framework_position_id}"


# Position plans and unit positions -------------------------------------------------------------


class PositionPlan(Audited, VersionedMixin, TimestampMixin, Base):
    """A unit's position plan (đề án vị trí việc làm), one version of it. Immutable once
    approved; changes start the next version as a draft copy."""

    __tablename__ = "position_plans"
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        CheckConstraint(f"state IN ({_values(PlanState)})", name="state"),
        CheckConstraint(
            "state != 'approved' OR effective_on IS NOT NULL", name="approved_has_effective_date"
        ),
        Index("ix_position_plans_unit_state", "unit_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the unit whose positions these are
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: 1, 2, ...: the plan's version within the unit
    number: Mapped[int] = mapped_column(Integer)
    #: the approved version this one was started from
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("position_plans.id"))
    #: draft, submitted, approved or returned
    state: Mapped[str] = mapped_column(String(20), default=PlanState.DRAFT.value)
    #: what this version is for (the drafter's explanation)
    note: Mapped[str | None] = mapped_column(Text)
    #: in force from this date (set on approval)
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    #: number of the approval decision
    approval_number: Mapped[str | None] = mapped_column(String(60))
    #: who submitted it
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when it was submitted
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: who approved or returned it
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when it was approved or returned
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: the approver's comments (required when returning)
    decision_comment: Mapped[str | None] = mapped_column(Text)

    positions: Mapped[list[UnitPosition]] = relationship(
        back_populates="plan", order_by="UnitPosition.code", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return str(PLAN_STATE_LABELS[PlanState(self.state)])

    @property
    def editable(self) -> bool:
        return self.state in (PlanState.DRAFT.value, PlanState.RETURNED.value)

    @property
    def audit_subject(self) -> str:
        return f"position_plans:{self.id}"


class UnitPosition(Audited, VersionedMixin, TimestampMixin, Base):
    """A unit's concrete job position within one plan version, with its job description."""

    __tablename__ = "unit_positions"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(f"grp IN ({_values(PositionGroup)})", name="grp"),
        CheckConstraint("headcount >= 0", name="headcount"),
        Index("ix_unit_positions_lineage", "lineage_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the plan version this position belongs to
    plan_id: Mapped[int] = mapped_column(ForeignKey("position_plans.id", ondelete="CASCADE"))
    #: the same position across plan versions (the id of its first version)
    lineage_id: Mapped[int | None] = mapped_column(Integer)
    #: the catalogue position it was taken from; empty when defined locally
    framework_position_id: Mapped[int | None] = mapped_column(ForeignKey("framework_positions.id"))
    #: code within the unit, e.g. "VT-03"
    code: Mapped[str] = mapped_column(String(30))
    #: the position's name
    name: Mapped[str] = mapped_column(String(255))
    #: leadership, professional, shared professional or support
    grp: Mapped[str] = mapped_column(String(30))
    #: corresponding rank codes, comma-separated, the first being the usual one
    rank_codes: Mapped[str] = mapped_column(String(200), default="")
    #: approved number of people
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    #: lowest qualification required (code list "education_level"); empty when any
    education_code: Mapped[str | None] = mapped_column(String(20))
    #: job description: the position's objective
    objective: Mapped[str | None] = mapped_column(Text)
    #: job description: how the work is evaluated
    evaluation_criteria: Mapped[str | None] = mapped_column(Text)
    #: job description: relations inside the agency
    internal_relations: Mapped[str | None] = mapped_column(Text)
    #: job description: relations outside the agency
    external_relations: Mapped[str | None] = mapped_column(Text)
    #: job description: authority (quyền hạn)
    authority: Mapped[str | None] = mapped_column(Text)
    #: job description: working conditions
    working_conditions: Mapped[str | None] = mapped_column(Text)
    #: required qualifications (trình độ đào tạo)
    qualifications: Mapped[str | None] = mapped_column(Text)
    #: required experience
    experience: Mapped[str | None] = mapped_column(Text)
    #: required personal qualities
    qualities: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[PositionPlan] = relationship(back_populates="positions")
    tasks: Mapped[list[PositionTask]] = relationship(
        order_by="PositionTask.ordinal", cascade="all, delete-orphan"
    )
    requirements: Mapped[list[PositionRequirement]] = relationship(cascade="all, delete-orphan")
    rank_limits: Mapped[list[RankLimit]] = relationship(cascade="all, delete-orphan")

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[PositionGroup(self.grp)])

    @property
    def rank_list(self) -> list[str]:
        return [code for code in self.rank_codes.split(",") if code]

    @property
    def audit_subject(self) -> str:
        return f"position_plans:{self.plan_id}"


class RankLimit(Audited, Base):
    """At most ``max_percent`` of a position's headcount may hold ``rank_code`` (rank ratio)."""

    __tablename__ = "position_rank_limits"
    __table_args__ = (
        UniqueConstraint("position_id", "rank_code"),
        CheckConstraint("max_percent BETWEEN 0 AND 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the position
    position_id: Mapped[int] = mapped_column(
        ForeignKey("unit_positions.id", ondelete="CASCADE"), index=True
    )
    #: the rank limited
    rank_code: Mapped[str] = mapped_column(String(20))
    #: the largest share of the headcount, in percent
    max_percent: Mapped[int] = mapped_column(Integer)

    @property
    def audit_subject(self) -> str:
        return f"unit_positions:{self.position_id}"


class PositionTask(Audited, Base):
    """A task of a job description."""

    __tablename__ = "position_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the position
    position_id: Mapped[int] = mapped_column(
        ForeignKey("unit_positions.id", ondelete="CASCADE"), index=True
    )
    #: order in the job description
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    #: what the task is
    description: Mapped[str] = mapped_column(Text)

    outputs: Mapped[list[PositionOutput]] = relationship(
        order_by="PositionOutput.id", cascade="all, delete-orphan"
    )

    @property
    def audit_subject(self) -> str:
        return f"unit_positions:{self.position_id}"


class PositionOutput(Audited, Base):
    """An expected output (product) of a task: what reviews count and weigh."""

    __tablename__ = "position_outputs"
    __table_args__ = (
        CheckConstraint("conversion_factor > 0", name="conversion_factor"),
        CheckConstraint("monthly_quantity IS NULL OR monthly_quantity >= 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the task
    task_id: Mapped[int] = mapped_column(
        ForeignKey("position_tasks.id", ondelete="CASCADE"), index=True
    )
    #: the product, e.g. "Tờ trình thẩm định hồ sơ"
    name: Mapped[str] = mapped_column(String(255))
    #: unit of measure, e.g. "hồ sơ"
    unit_of_measure: Mapped[str] = mapped_column(String(50))
    #: standard units of work one item is worth
    conversion_factor: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    #: how many a month, typically
    monthly_quantity: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))

    @property
    def audit_subject(self) -> str:
        return f"position_tasks:{self.task_id}"


class PositionRequirement(Audited, Base):
    """The level a position requires in one competency, against one version of it."""

    __tablename__ = "position_requirements"
    __table_args__ = (
        UniqueConstraint("position_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the position
    position_id: Mapped[int] = mapped_column(
        ForeignKey("unit_positions.id", ondelete="CASCADE"), index=True
    )
    #: the competency (kept with the version for one-index lookups and the uniqueness rule)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    #: the version of the competency the level refers to
    competency_version_id: Mapped[int] = mapped_column(ForeignKey("competency_versions.id"))
    #: the level required, 1-5
    level: Mapped[int] = mapped_column(Integer)

    competency_version: Mapped[CompetencyVersion] = relationship()

    @property
    def audit_subject(self) -> str:
        return f"unit_positions:{self.position_id}"
