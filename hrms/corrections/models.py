"""Correction requests: one field of one dossier, the value asked for, and the outcome."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    RequestStatus.PENDING: _l("Waiting for a decision"),
    RequestStatus.APPROVED: _l("Approved and applied"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}
_STATUSES = ", ".join(f"'{s.value}'" for s in RequestStatus)


class CorrectionRequest(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "correction_requests"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        Index("ix_correction_requests_status_employee", "status", "employee_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the dossier to correct
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: the account that asked (the person themself)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the dossier field to change
    field: Mapped[str] = mapped_column(String(60))
    #: the value on record when the request was made (as shown then)
    current_value: Mapped[str | None] = mapped_column(Text)
    #: the value asked for, as typed (checked by the dossier's own rules)
    requested_value: Mapped[str | None] = mapped_column(Text)
    #: why, and what proves it (a document number, where the papers are)
    reason: Mapped[str] = mapped_column(Text)
    #: a document of the dossier that proves it (filed by the person before asking)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    #: pending, approved, rejected or withdrawn
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING.value)
    #: the officer who decided
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when it was decided
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: the officer's answer (required when rejecting)
    decision_note: Mapped[str | None] = mapped_column(Text)

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[RequestStatus(self.status)])
