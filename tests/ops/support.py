"""Apps of their own for the operations tests: each on its own database, so breaking it (or
migrating it to another revision) never touches the shared test database."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hrms.extensions import db

PASSWORD = "Toán-học-Fields-2010"


@contextmanager
def own_app(
    folder: Path,
    database_url: str | None = None,
    environment: Mapping[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Iterator[Flask]:
    """An app on ``database_url`` (a SQLite file in ``folder`` by default), not migrated."""
    from hrms.app import create_app

    with pytest.MonkeyPatch.context() as env:
        env.setenv("HRMS_INSTANCE_PATH", str(folder / "instance"))
        env.setenv("HRMS_DATABASE_URL", database_url or f"sqlite:///{folder / 'own.sqlite3'}")
        env.setenv("HRMS_SIGN_IN_RATE_LIMIT", "1000 per minute")
        for name, value in (environment or {}).items():
            env.setenv(name, value)
        app = create_app({"WTF_CSRF_ENABLED": False, **(overrides or {})})
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def migrate_and_add_admin(app: Flask, username: str = "chief") -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--username",
            username,
            "--full-name",
            "Ngô Bảo Châu",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output


def api_token(app: Flask, username: str = "chief") -> str:
    client = app.test_client()
    response = client.post("/api/v1/auth/tokens", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return str(response.json["token"])


#: a request line: method, path, status, user id, duration
LINE = re.compile(r"^(GET|POST|PATCH|PUT|DELETE) (\S+) (\d{3}) user=(\S+) (\d+\.\d)ms$")


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hrms.request"]
