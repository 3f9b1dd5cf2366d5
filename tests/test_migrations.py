"""Migrations build the schema from empty, match the models, and go down and up again."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from hrms.extensions import db


def test_models_and_migrations_agree(app: Flask) -> None:
    # the session database was built by running the migrations from empty
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test, dropped afterwards."""
    shared = os.environ.get("HRMS_TEST_DATABASE_URL")
    if not shared:
        yield f"sqlite:///{tmp_path / 'cycle.sqlite3'}"
        return
    name = f"hrms_cycle_{uuid.uuid4().hex[:8]}"
    server = create_engine(shared, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(shared).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


def test_downgrade_to_empty_and_upgrade_again(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with scratch_database(tmp_path) as url:
        _cycle(url, tmp_path, monkeypatch)


def _cycle(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRMS_DATABASE_URL", url)
    monkeypatch.setenv("HRMS_INSTANCE_PATH", str(tmp_path))
    from hrms.app import create_app

    cycle_app = create_app({"TESTING": True})
    with cycle_app.app_context():
        upgrade()
        assert {"units", "users", "role_grants", "audit_entries", "unit_history"} <= set(
            inspect(db.engine).get_table_names()
        )
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        db.engine.dispose()
