"""Draft raise batches: the rows an officer ticked on the raise list, kept as drafts until they
are confirmed (then each becomes a salary step decision in its person's ledger, all or none)
or discarded. A draft is not personnel data yet; the ledger entries it makes are."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin


class BatchState(enum.StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    DISCARDED = "discarded"


class RaiseBatch(Audited, VersionedMixin, TimestampMixin, Base):
    """A batch of draft raise decisions made together from the raise list."""

    __tablename__ = "raise_batches"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'confirmed', 'discarded')", name="state"),
        CheckConstraint("first_number >= 1", name="first_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the unit whose list it was made from (its subtree holds every person of the batch)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: decision numbers are ``<first_number + n><number_suffix>``, e.g. "125/QĐ-SNV"
    number_suffix: Mapped[str] = mapped_column(String(40))
    #: the number of the first decision
    first_number: Mapped[int] = mapped_column(Integer, default=1)
    #: signing date of the decisions
    signed_on: Mapped[dt.date] = mapped_column(Date)
    #: issuing authority
    issuer: Mapped[str] = mapped_column(String(255))
    #: draft, confirmed or discarded
    state: Mapped[str] = mapped_column(String(12), default=BatchState.DRAFT.value)
    #: who made the draft
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: who confirmed or discarded it
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[RaiseBatchItem]] = relationship(
        back_populates="batch",
        order_by="RaiseBatchItem.position",
        cascade="all, delete-orphan",
    )


class RaiseBatchItem(Audited, Base):
    """One person's draft raise: what the raise list computed when the draft was made."""

    __tablename__ = "raise_batch_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "employee_id", name="uq_raise_batch_items_person"),
        CheckConstraint("kind IN ('step', 'seniority')", name="kind"),
        CheckConstraint("salary_step BETWEEN 1 AND 20", name="step"),
    )

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the batch
    batch_id: Mapped[int] = mapped_column(ForeignKey("raise_batches.id", ondelete="CASCADE"))
    #: order in the batch (the decision number follows it)
    position: Mapped[int] = mapped_column(Integer)
    #: the person raised
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: a step raise or a seniority percentage
    kind: Mapped[str] = mapped_column(String(12))
    #: the rank (unchanged by the raise)
    rank_code: Mapped[str] = mapped_column(String(20))
    #: the step held when the draft was made (the draft is stale when it changed)
    from_step: Mapped[int] = mapped_column(Integer)
    #: the date that step counted from when the draft was made
    from_since: Mapped[dt.date | None] = mapped_column(Date)
    #: the new step (the same step for a seniority raise)
    salary_step: Mapped[int] = mapped_column(Integer)
    #: its coefficient
    salary_coefficient: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    #: the new seniority allowance beyond the frame (%)
    seniority_percent: Mapped[int | None] = mapped_column(Integer)
    #: the date due, the decision's effective date
    effective_on: Mapped[dt.date] = mapped_column(Date)
    #: the decision it became once confirmed
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

    batch: Mapped[RaiseBatch] = relationship(back_populates="items")
