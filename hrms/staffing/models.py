"""Placements of people in unit positions and assessments of their competencies."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin


class AssessmentKind(enum.StrEnum):
    #: the unit head's assessment: the one gaps are computed from
    HEAD = "head"
    #: the person's own view, kept beside the head's
    SELF = "self"


ASSESSMENT_KIND_LABELS = {
    AssessmentKind.HEAD: _l("Unit head's assessment"),
    AssessmentKind.SELF: _l("Self-assessment"),
}


class Placement(Audited, TimestampMixin, Base):
    """A person holding a position of an approved plan, from a placement decision until ended."""

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
        # one main position at a time
        Index(
            "uq_placements_one_main",
            "employee_id",
            unique=True,
            sqlite_where=text("main AND ended_on IS NULL"),
            postgresql_where=text("main AND ended_on IS NULL"),
        ),
        Index("ix_placements_lineage_open", "lineage_id", "ended_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person placed
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: the position (of the approved plan in force when placed)
    position_id: Mapped[int] = mapped_column(ForeignKey("unit_positions.id"))
    #: the position across plan versions: later versions keep the placement
    lineage_id: Mapped[int] = mapped_column(Integer)
    #: the unit of the position
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: the main position (True) or a concurrent one
    main: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the placement decision in the person's ledger
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    #: in the position from this date (the decision's effective date)
    started_on: Mapped[dt.date] = mapped_column(Date)
    #: left the position on this date (a later placement, or the end of a concurrent one)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    #: the decision that ended it
    ended_by_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"


class CompetencyAssessment(Audited, TimestampMixin, Base):
    """A person's level in one competency, as the unit head (or the person) assessed it on a
    date. Never changed: a new assessment is a new row, so the history stays."""

    __tablename__ = "competency_assessments"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("kind IN ('head', 'self')", name="kind"),
        Index(
            "ix_competency_assessments_lookup",
            "employee_id",
            "competency_id",
            "kind",
            "assessed_on",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person assessed
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: the competency (kept beside the version for one-index lookups)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    #: the version of the competency the level was judged against
    competency_version_id: Mapped[int] = mapped_column(ForeignKey("competency_versions.id"))
    #: head or self
    kind: Mapped[str] = mapped_column(String(10))
    #: the level judged, 1-5
    level: Mapped[int] = mapped_column(Integer)
    #: the date of the assessment
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    #: what it rests on (work products, observations, certificates)
    evidence: Mapped[str | None] = mapped_column(Text)
    #: the account that assessed
    assessed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"
