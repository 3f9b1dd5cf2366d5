"""One transaction per request: commit once after success, roll back on any error."""

from __future__ import annotations

from flask import Flask, Response, g

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
