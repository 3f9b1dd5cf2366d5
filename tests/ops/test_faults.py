"""Serving in production: /healthz, the request log, the 503 page while the database is away
(and recovery without a restart), unhandled errors, SQLite's write lock and read retries."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from hrms.core import ops
from hrms.core.db import WRITE_LOCK_KEY
from hrms.core.health import migration_heads
from hrms.extensions import db
from hrms.settings import Settings
from tests.ops.support import PASSWORD, api_token, migrate_and_add_admin, own_app, request_lines

POSTGRES_URL = os.environ.get("HRMS_TEST_DATABASE_URL")
on_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="HRMS_TEST_DATABASE_URL is not set")


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """Replaces the suite's per-test transaction, which would swap the global ``db.session``
    for one bound to the shared test database: these apps use databases of their own."""
    yield


# /healthz ---------------------------------------------------------------------------------------


def test_healthz_is_503_when_migrations_are_behind(tmp_path: Path) -> None:
    with own_app(tmp_path) as app:
        client = app.test_client()
        empty = client.get("/healthz")
        assert empty.status_code == 503
        assert empty.json["database"] == "ok"
        assert empty.json["migrations"]["current"] == []
        assert empty.json["migrations"]["at_head"] is False

        from flask_migrate import stamp

        directory = app.extensions["migrate"].directory
        base = ScriptDirectory(directory).get_base()
        with app.app_context():
            stamp(revision=base)
        behind = client.get("/healthz")
        assert behind.status_code == 503
        assert behind.json["status"] == "unavailable"
        assert behind.json["migrations"]["current"] == [base]
        assert behind.json["migrations"]["head"] == sorted(migration_heads(directory))
        with app.app_context():
            stamp(revision="heads")
        assert client.get("/healthz").status_code == 200


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "db.sqlite3"
    with own_app(tmp_path, f"sqlite:///{missing}") as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    assert "migrations" in response.json


# The database goes away and comes back ----------------------------------------------------------


def test_an_unreachable_sqlite_database_gives_503_and_the_app_recovers(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with own_app(tmp_path, f"sqlite:///{folder / 'hrms.sqlite3'}") as app:
        migrate_and_add_admin(app)
        token = api_token(app)
        browser = app.test_client()
        signed_in = browser.post("/login", data={"username": "chief", "password": PASSWORD})
        assert signed_in.status_code == 302
        assert browser.get("/").status_code == 200

        # the disk holding the database goes away; open connections are lost with it
        folder.rename(tmp_path / "away")
        with app.app_context():
            db.engine.dispose()
        page = browser.get("/")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "Dịch vụ tạm thời không khả dụng" in page.text  # Vietnamese by default
        assert "Traceback" not in page.text and "sqlite" not in page.text.lower()
        api = app.test_client().get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 503
        assert api.json["error"]["code"] == "unavailable"
        assert api.json["error"]["fields"] == {}
        assert browser.get("/healthz").status_code == 503

        # it comes back: the next requests work, without restarting anything
        (tmp_path / "away").rename(folder)
        assert browser.get("/").status_code == 200
        again = app.test_client().get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
        assert again.status_code == 200
        assert browser.get("/healthz").status_code == 200


def test_the_503_page_follows_the_chosen_language(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "db.sqlite3"
    with own_app(tmp_path, f"sqlite:///{missing}") as app:
        client = app.test_client()
        with client.session_transaction() as session:
            session["lang"] = "en"
            session["_user_id"] = "1:nonce"
        page = client.get("/")
        assert page.status_code == 503
        assert "The service is temporarily unavailable" in page.text
        api = app.test_client().get(
            "/api/v1/units",
            headers={"Authorization": "Bearer hrms_x", "Accept-Language": "en"},
        )
        assert api.status_code == 503
        assert api.json["error"]["message"].startswith("The service is temporarily unavailable")


@on_postgres
def test_postgresql_unreachable_gives_a_quick_503(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"  # the discard port: refused
    with own_app(tmp_path, url, {"HRMS_DB_CONNECT_TIMEOUT": "2"}) as app:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1:nonce"
        page = client.get("/")
        assert page.status_code == 503
        assert "Dịch vụ tạm thời không khả dụng" in page.text
        assert client.get("/healthz").status_code == 503


@on_postgres
def test_postgresql_connections_killed_under_the_app_are_replaced(tmp_path: Path) -> None:
    """A database restart closes every connection: the pool's pre-ping notices and reconnects,
    so requests after it work without restarting the app."""
    assert POSTGRES_URL
    settings = Settings.from_env({"HRMS_DATABASE_URL": POSTGRES_URL}, tmp_path)
    options = ops.engine_options(settings)
    options["connect_args"] = options["connect_args"] | {"application_name": "hrms-fault-test"}
    with own_app(tmp_path, POSTGRES_URL, overrides={"SQLALCHEMY_ENGINE_OPTIONS": options}) as app:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        killer = create_engine(POSTGRES_URL)
        with killer.begin() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'hrms-fault-test'"
                )
            ).scalar_one()
        killer.dispose()
        assert killed >= 1
        for _ in range(3):
            assert client.get("/healthz").status_code == 200


# The request log --------------------------------------------------------------------------------


def test_an_unhandled_error_is_logged_with_its_traceback_and_a_friendly_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from hrms.core.security import public

    with own_app(tmp_path) as app:

        @public
        def broken() -> str:
            raise RuntimeError("a bug in the code")

        app.add_url_rule("/broken", "broken", broken)
        caplog.set_level(logging.INFO)
        response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "a bug in the code" not in response.text
    assert "Traceback" not in response.text
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].exc_info is not None
    assert "a bug in the code" in str(errors[0].exc_info[1])
    assert errors[0].request_id == response.headers["X-Request-Id"]  # type: ignore[attr-defined]
    (line,) = request_lines(caplog)
    assert line.getMessage().startswith("GET /broken 500 ")


# SQLite: writers take the lock up front, stale reads run again ---------------------------------


def test_sqlite_is_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with own_app(tmp_path) as app, app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_sqlite_write_requests_begin_immediate(tmp_path: Path) -> None:
    with own_app(tmp_path) as app:
        migrate_and_add_admin(app)
        statements: list[str] = []
        from sqlalchemy import event

        with app.app_context():
            engine = db.engine

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        def listen(conn: Any) -> None:
            statements.append("<begin>")

        event.listen(engine, "before_cursor_execute", record)
        try:
            client = app.test_client()
            client.get("/login")
            client.post("/login", data={"username": "chief", "password": PASSWORD})
            # a read run again after a stale snapshot takes the write lock first
            client.get("/healthz")
            client.get("/healthz", environ_overrides={WRITE_LOCK_KEY: True})
        finally:
            event.remove(engine, "before_cursor_execute", record)
    # exec_driver_sql of the begin hook goes through the cursor too
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert "BEGIN IMMEDIATE" in begins
    assert begins[-2:] == ["BEGIN", "BEGIN IMMEDIATE"]


class _StaleOnce:
    """A WSGI app whose first answer is marked as a stale SQLite read."""

    def __init__(self) -> None:
        self.calls = 0
        self.closed = 0
        self.write_locks: list[bool] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        self.write_locks.append(bool(environ.get(WRITE_LOCK_KEY)))
        if self.calls == 1:
            environ[ops.RETRY_KEY] = True
            start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "text/plain")])
            return _Closing(self, [b"busy"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _Closing(self, [b"fine"])


class _Closing(list[bytes]):
    def __init__(self, owner: _StaleOnce, items: list[bytes]) -> None:
        super().__init__(items)
        self.owner = owner

    def close(self) -> None:
        self.owner.closed += 1


def test_a_read_refused_for_a_stale_snapshot_is_run_again(caplog: pytest.LogCaptureFixture) -> None:
    from werkzeug.test import Client

    caplog.set_level(logging.INFO, logger="hrms.request")
    inner = _StaleOnce()
    response = Client(ops.RequestLog(inner)).get("/employees/1")
    assert response.status_code == 200
    assert response.get_data() == b"fine"
    assert inner.calls == 2 and inner.closed >= 1  # the discarded answer is closed
    # the second run takes SQLite's write lock first, so it cannot find a stale snapshot again
    assert inner.write_locks == [False, True]
    (line,) = request_lines(caplog)
    assert " 200 " in line.getMessage()


def test_the_sqlite_busy_codes_are_recognised() -> None:
    from sqlalchemy.exc import OperationalError

    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 517  # SQLITE_BUSY_SNAPSHOT
    assert ops._sqlite_busy(OperationalError("BEGIN", {}, busy))
    other = sqlite3.OperationalError("no such table")
    other.sqlite_errorcode = 1
    assert not ops._sqlite_busy(OperationalError("SELECT", {}, other))


def test_storage_folder_missing_makes_healthz_503(tmp_path: Path) -> None:
    storage = tmp_path / "shared-volume"
    with own_app(tmp_path, environment={"HRMS_STORAGE_PATH": str(storage)}) as app:
        migrate_and_add_admin(app)
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        shutil.rmtree(storage)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json["storage"] == "unavailable"
