"""Filing and withdrawing documents. The type is read from the content, never trusted from the
name; a file written for a transaction that rolls back is removed again."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from pathlib import Path
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session

from hrms.attachments.models import Attachment, AttachmentKind
from hrms.attachments.policies import can_add, can_withdraw
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor
from hrms.core.storage import read_checked, storage_path
from hrms.employees.queries import Dossier
from hrms.extensions import db
from hrms.settings import current_settings

#: first bytes of each accepted type, and the file-name endings that may carry it
SIGNATURES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
_CHUNK = 64 * 1024
_WRITTEN = "hrms_files_written"


def sniff(head: bytes) -> str | None:
    return next((kind for kind, (magic, _) in SIGNATURES.items() if head.startswith(magic)), None)


def store(
    actor: Actor, dossier: Dossier, data: dict[str, Any], stream: IO[bytes] | None, filename: str
) -> Attachment:
    if not can_add(dossier):
        raise DomainError(FORM, _l("You may not add documents to this dossier."))
    if stream is None or not filename:
        raise DomainError("file", _l("Choose a file."))
    limit = current_settings().max_upload_mb * 1024 * 1024
    content = stream.read(limit + 1)
    if not content:
        raise DomainError("file", _l("The file is empty."))
    if len(content) > limit:
        raise DomainError(
            "file",
            _l("The file is larger than %(size)s MB.", size=current_settings().max_upload_mb),
        )
    content_type = sniff(content[:16])
    if content_type is None:
        raise DomainError(
            "file", _l("Only PDF, JPEG and PNG files are accepted; this file is none of them.")
        )
    endings = SIGNATURES[content_type][1]
    if not filename.lower().endswith(endings):
        raise DomainError(
            "file",
            _l(
                "The file's name does not match its content (%(type)s). "
                "Rename it or choose another.",
                type=content_type.split("/")[1].upper(),
            ),
        )
    if data["kind"] == AttachmentKind.PHOTO:
        _check_photo(content, content_type)
    stored_name = secrets.token_hex(16)
    path = storage_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    db.session.info.setdefault(_WRITTEN, []).append(path)
    attachment = Attachment(
        employee_id=dossier.employee.id,
        kind=data["kind"],
        original_name=Path(filename).name[:255],
        stored_name=stored_name,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=data.get("description"),
        uploaded_by=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _check_photo(content: bytes, content_type: str) -> None:
    """A photo is printed on form 2C: it must be an image that decodes, not only start like one."""
    if content_type == "application/pdf":
        raise DomainError("file", _l("A photo must be a JPEG or PNG image."))
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError):  # what Pillow raises for damaged images
        raise DomainError(
            "file", _l("This image is damaged or incomplete; scan or export it again.")
        ) from None


def read(attachment: Attachment) -> bytes:
    """The stored content, refused if it no longer matches the checksum taken on upload."""
    return read_checked(attachment.stored_name, attachment.sha256)


def withdraw(dossier: Dossier, attachment: Attachment) -> Attachment:
    if not can_withdraw(dossier):
        raise DomainError(FORM, _l("You may not withdraw documents of this dossier."))
    attachment.withdrawn = True
    db.session.flush()
    return attachment


@event.listens_for(Session, "after_commit")
def _keep_written(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_written(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint inside it
        for path in session.info.pop(_WRITTEN, []):
            path.unlink(missing_ok=True)
