"""One transaction per request: commit once after success, roll back on any error."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g
from sqlalchemy.orm.exc import StaleDataError

from hrms.core.db import VersionedMixin
from hrms.core.errors import FORM, ConflictError
from hrms.extensions import db


def keep_changes_despite_refusal() -> None:
    """Commit this request's writes even though it answers with an error status.

    For security bookkeeping that must persist when the request itself is refused, such as
    counting a failed sign-in.
    """
    g.keep_changes = True


def init_app(app: Flask) -> None:
    @app.after_request
    def finish_transaction(response: Response) -> Response:
        if response.status_code < 400 or g.get("keep_changes"):
            db.session.commit()
        else:
            db.session.rollback()
        return response


def check_version(record: VersionedMixin, version: int, message: Any) -> None:
    """Refuse a change made to a version older than the one stored: someone saved in between."""
    if record.version != version:
        raise ConflictError(FORM, message)


def flush_or_conflict(message: Any) -> None:
    """Flush; a row changed by another transaction since it was read is a conflict, not a 500."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(FORM, message) from None
