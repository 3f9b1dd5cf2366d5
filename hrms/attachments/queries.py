"""Reads of attachments (through the dossier's loader, so the dossier's scope applies)."""

from __future__ import annotations

from sqlalchemy import select

from hrms.attachments.models import Attachment
from hrms.attachments.policies import can_see
from hrms.core.security import Actor, authorize
from hrms.employees.queries import Dossier, get_dossier_for
from hrms.extensions import db


def of_dossier(dossier: Dossier) -> list[Attachment]:
    rows = db.session.scalars(
        select(Attachment)
        .where(Attachment.employee_id == dossier.employee.id, Attachment.withdrawn.is_(False))
        .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
    )
    return [row for row in rows if can_see(dossier, row.kind)]


def get_for(actor: Actor, employee_id: int, attachment_id: int) -> tuple[Dossier, Attachment]:
    """404 for a dossier out of scope, a document of another dossier, withdrawn or too sensitive."""
    dossier = get_dossier_for(actor, employee_id)
    attachment = db.session.get(Attachment, attachment_id)
    visible = (
        attachment is not None
        and attachment.employee_id == employee_id
        and not attachment.withdrawn
        and can_see(dossier, attachment.kind)
    )
    return dossier, authorize(attachment, visible=visible)


def is_filed_with(attachment_id: int, employee_id: int) -> bool:
    """The document exists, belongs to this dossier and has not been withdrawn."""
    return (
        db.session.scalar(
            select(Attachment.id).where(
                Attachment.id == attachment_id,
                Attachment.employee_id == employee_id,
                Attachment.withdrawn.is_(False),
            )
        )
        is not None
    )
