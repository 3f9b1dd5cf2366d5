"""`flask backup` while the app writes, `flask restore` into a fresh database: every table and
file comes back with the same rows and checksums, and a half-done transaction never does."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from hrms.core.audit import AuditEntry
from hrms.core.backup import read_manifest, table_sums
from hrms.core.db import utcnow
from hrms.extensions import db
from tests.ops.support import migrate_and_add_admin, own_app

POSTGRES_URL = os.environ.get("HRMS_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="HRMS_TEST_DATABASE_URL is not set"),
    ),
]
PROBE = AuditEntry.__table__


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """These tests use databases of their own (see tests/ops/test_faults.py)."""
    yield


@pytest.fixture
def databases(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: str
) -> Iterator[tuple[str, str]]:
    """The database the app writes (migrated, with an administrator) and an empty one to restore
    into. On PostgreSQL both are created beside the test database (never that one) and dropped
    after."""
    if request.param == "sqlite":
        yield migrated_sqlite, f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    assert POSTGRES_URL
    names = [f"hrms_backup_{kind}_{secrets.token_hex(4)}" for kind in ("source", "restored")]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(POSTGRES_URL)
    try:
        yield tuple(  # type: ignore[misc]
            base.set(database=name).render_as_string(hide_password=False) for name in names
        )
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _write_files(storage: Path) -> None:
    for index in range(5):
        name = secrets.token_hex(16)
        folder = storage / name[:2] / name[2:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(secrets.token_bytes(1000 + 4000 * index))


class Writer(threading.Thread):
    """Commits transactions of two rows each, as fast as it can, until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(name="backup-writer", daemon=True)
        self.engine = create_engine(url)
        self.stop = threading.Event()
        self.committed = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                n = self.committed
                with self.engine.begin() as connection:
                    for half in ("a", "b"):
                        connection.execute(
                            insert(PROBE).values(
                                at=utcnow(),
                                actor_name="backup-test",
                                action="probe",
                                object_type="probe",
                                object_id=f"{n}-{half}",
                            )
                        )
                self.committed += 1
                time.sleep(0.002)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.engine.dispose()


def _sums(app: Flask) -> dict[str, dict[str, object]]:
    with app.app_context(), db.engine.connect() as connection:
        return {n: {"rows": s.rows, "sha256": s.sha256} for n, s in table_sums(connection).items()}


def _probes(app: Flask) -> int:
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(PROBE).where(PROBE.c.action == "probe")
        ).scalar_one()


@pytest.mark.parametrize("databases", BACKENDS, indirect=True)
def test_a_backup_taken_while_writing_restores_equal(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    source_url, restored_url = databases
    storage = tmp_path / "storage"
    backup_dir = tmp_path / "backup"
    with own_app(tmp_path / "a", source_url, {"HRMS_STORAGE_PATH": str(storage)}) as source:
        if source_url.startswith("postgresql"):
            migrate_and_add_admin(source)
        _write_files(storage)

        writer = Writer(source_url)
        writer.start()
        while writer.committed < 5 and writer.is_alive():
            time.sleep(0.01)
        before = writer.committed
        result = source.test_cli_runner().invoke(args=["backup", str(backup_dir)])
        during = writer.committed - before
        writer.stop.set()
        writer.join(timeout=30)
        assert writer.error is None, writer.error
        assert result.exit_code == 0, result.output
        after = _sums(source)

    manifest = read_manifest(backup_dir)
    assert manifest["revision"] and manifest["tables"]["alembic_version"]["rows"] == 1
    assert {oct(p.stat().st_mode & 0o777) for p in backup_dir.rglob("*") if p.is_file()} == {
        "0o600"
    }  # personal data: the service account's only
    assert manifest["backend"] == make_url(source_url).get_backend_name()
    assert during >= 1 or manifest["backend"] == "sqlite"  # the app wrote while it ran
    # the snapshot is one moment: untouched tables equal the source, the written one lies between
    for name, entry in manifest["tables"].items():
        if name != "audit_entries":
            assert entry == after[name], name
    assert len(manifest["files"]) == 5
    assert {f["size"] for f in manifest["files"].values()} == {1000, 5000, 9000, 13000, 17000}

    restored_storage = tmp_path / "restored-storage"
    with own_app(
        tmp_path / "b", restored_url, {"HRMS_STORAGE_PATH": str(restored_storage)}
    ) as restored:
        result = restored.test_cli_runner().invoke(args=["restore", str(backup_dir)])
        assert result.exit_code == 0, result.output
        assert "every checksum matches" in result.output
        assert _sums(restored) == manifest["tables"]
        probes = _probes(restored)
        assert probes % 2 == 0  # never one row of a two-row transaction
        assert before * 2 <= probes <= (before + during + 1) * 2
        from hrms.core.backup import file_sums

        assert file_sums(restored_storage) == manifest["files"]
        assert restored.test_client().get("/healthz").status_code == 200

        # the database now holds data: a second restore must be asked for
        again = restored.test_cli_runner().invoke(args=["restore", str(backup_dir)])
        assert again.exit_code != 0
        assert "--force" in again.output
        forced = restored.test_cli_runner().invoke(args=["restore", str(backup_dir), "--force"])
        assert forced.exit_code == 0, forced.output
        assert _sums(restored) == manifest["tables"]


def test_backup_refuses_a_folder_that_is_not_empty_and_restore_a_folder_without_manifest(
    tmp_path: Path, migrated_sqlite: str
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with own_app(tmp_path, migrated_sqlite) as app:
        refused = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "full")])
        assert refused.exit_code != 0
        assert "not empty" in refused.output
        missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "full")])
        assert missing.exit_code != 0
        assert "manifest.json" in missing.output


def test_restore_refuses_a_backup_whose_files_were_altered(
    tmp_path: Path, migrated_sqlite: str
) -> None:
    storage = tmp_path / "storage"
    with own_app(tmp_path / "a", migrated_sqlite, {"HRMS_STORAGE_PATH": str(storage)}) as app:
        _write_files(storage)
        assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bk")]).exit_code == 0
    some_file = next(p for p in (tmp_path / "bk" / "files").rglob("*") if p.is_file())
    some_file.write_bytes(b"tampered")
    with own_app(
        tmp_path / "b",
        f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        {"HRMS_STORAGE_PATH": str(tmp_path / "fresh-storage")},
    ) as fresh:
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bk")])
    assert result.exit_code != 0
    assert "differ from the manifest" in result.output
