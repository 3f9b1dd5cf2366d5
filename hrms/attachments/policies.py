"""Who may see, add and withdraw a dossier's documents."""

from __future__ import annotations

from hrms.attachments.models import SENSITIVE_KINDS, AttachmentKind
from hrms.employees.queries import Dossier


def can_see(dossier: Dossier, kind: str) -> bool:
    return dossier.sensitive or AttachmentKind(kind) not in SENSITIVE_KINDS


def can_add(dossier: Dossier) -> bool:
    """Officers in scope file documents; people may add their own (evidence for corrections)."""
    return dossier.can_edit or dossier.own


def can_withdraw(dossier: Dossier) -> bool:
    return dossier.can_edit
