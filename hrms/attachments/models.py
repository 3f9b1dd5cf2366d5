"""Attachments: the file lives in the storage folder under a random name; the row says what it
is, whose it is, and its checksum."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, UTCDateTime, utcnow


class AttachmentKind(enum.StrEnum):
    PHOTO = "photo"
    ID_CARD = "id_card"
    DIPLOMA = "diploma"
    DECISION = "decision"
    HEALTH_CERTIFICATE = "health_certificate"
    CURRICULUM_VITAE = "curriculum_vitae"
    OTHER = "other"


KIND_LABELS = {
    AttachmentKind.PHOTO: _l("Photo 4×6"),
    AttachmentKind.ID_CARD: _l("ID card"),
    AttachmentKind.DIPLOMA: _l("Diploma or certificate"),
    AttachmentKind.DECISION: _l("Decision"),
    AttachmentKind.HEALTH_CERTIFICATE: _l("Health certificate"),
    AttachmentKind.CURRICULUM_VITAE: _l("Personal history form"),
    AttachmentKind.OTHER: _l("Other document"),
}
#: kinds that reveal sensitive data: seen only by officers in scope, admins and the person
SENSITIVE_KINDS = frozenset({AttachmentKind.ID_CARD, AttachmentKind.HEALTH_CERTIFICATE})
_KINDS = ", ".join(f"'{k.value}'" for k in AttachmentKind)


class Attachment(Audited, Base):
    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint("size_bytes > 0", name="size"),
        CheckConstraint(
            "content_type IN ('application/pdf', 'image/jpeg', 'image/png')", name="type"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the dossier the document belongs to
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: what the document is
    kind: Mapped[str] = mapped_column(String(30))
    #: the name the file had when uploaded (shown, never used as a path)
    original_name: Mapped[str] = mapped_column(String(255))
    #: random name in the storage folder
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: type found by reading the file's first bytes (not from its name)
    content_type: Mapped[str] = mapped_column(String(40))
    #: size in bytes
    size_bytes: Mapped[int] = mapped_column(Integer)
    #: SHA-256 of the content, checked on download
    sha256: Mapped[str] = mapped_column(String(64))
    #: short description
    description: Mapped[str | None] = mapped_column(String(255))
    #: account that uploaded it
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: when
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: withdrawn from the dossier (kept, audited, no longer listed)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[AttachmentKind(self.kind)])
