"""``/healthz`` for load balancers and monitoring: is the database reachable, is its schema at the
migrations' head, is the storage folder writable. No personal data, no sign-in."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from hrms.core.security import public
from hrms.extensions import db
from hrms.settings import current_settings

blueprint = Blueprint("ops", __name__)


@functools.cache
def migration_heads(directory: str) -> frozenset[str]:
    """The revisions at the head of the migrations shipped with this code (read once)."""
    return frozenset(ScriptDirectory(directory).get_heads())


def _migrations_directory() -> str:
    directory: str = current_app.extensions["migrate"].directory
    return directory


def check_database() -> dict[str, Any]:
    """Reachability and migration state, on a connection of its own (outside the request's
    transaction, so a failure here leaves nothing behind)."""
    heads = migration_heads(_migrations_directory())
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except sa_exc.SQLAlchemyError as error:
        current_app.logger.warning("Health check: database unreachable: %s", error)
        return {"database": "unreachable", "migrations": {"head": sorted(heads)}}
    return {
        "database": "ok",
        "migrations": {
            "current": sorted(current),
            "head": sorted(heads),
            "at_head": current == heads,
        },
    }


def check_storage(folder: Path) -> str:
    return "ok" if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK) else "unavailable"


@blueprint.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    report = check_database()
    report["storage"] = check_storage(current_settings().storage_path)
    healthy = (
        report["database"] == "ok" and report["migrations"]["at_head"] and report["storage"] == "ok"
    )
    report = {"status": "ok" if healthy else "unavailable", **report}
    return jsonify(report), 200 if healthy else 503
