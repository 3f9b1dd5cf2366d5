"""Audit log pages (read-only: nothing here can change an entry)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.audit import queries
from hrms.audit.schemas import AuditFilterSchema
from hrms.core.errors import ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Permission, requires

blueprint = Blueprint("audit", __name__, url_prefix="/audit")


@blueprint.get("/")
@requires(Permission.AUDIT_VIEW)
def list_entries() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    try:
        filters = load(AuditFilterSchema(), request.args)
    except ValidationFailed as failure:
        errors = failure.errors
        filters = load(AuditFilterSchema(), {})
    page = queries.list_entries(current_user, filters)
    return (
        render_template(
            "audit/list.html",
            page=page,
            filters=request.args,
            errors=errors,
            object_types=queries.object_types(),
        ),
        422 if errors else 200,
    )


@blueprint.get("/<int:entry_id>")
@requires(Permission.AUDIT_VIEW)
def show_entry(entry_id: int) -> ResponseReturnValue:
    return render_template("audit/show.html", entry=queries.get_entry_for(current_user, entry_id))
