"""Backups that restore: a consistent snapshot of the database taken while the app is writing,
the uploaded files, and a manifest with row counts and checksums of every table and file, which
the restore checks its result against.

A backup is a folder::

    manifest.json        what is inside, with counts and SHA-256 checksums
    database.sqlite3     SQLite: a copy made with the online backup API
    database.dump        PostgreSQL: pg_dump's custom format, taken in the manifest's snapshot
    files/...            the storage folder (attachments, photos), as it was after the snapshot

Files are copied after the database snapshot: an upload writes its file before its row is
committed, so every file the snapshot refers to is in the backup.
"""

from __future__ import annotations

import datetime as dt
import decimal
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.engine import URL, make_url

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
FILES = "files"
#: tables whose content is the schema's, not the data's (never counted as "data")
SCHEMA_TABLES = frozenset({"alembic_version"})


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


# Checksums ---------------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """JSON for what ``json`` does not write itself (None, numbers, text, JSON columns it does)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def table_sums(connection: Connection) -> dict[str, TableSum]:
    """Rows and a SHA-256 of every table's content, rows in primary-key order (all columns when
    there is none): equal sums mean equal data."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    sums: dict[str, TableSum] = {}
    for name in sorted(metadata.tables):
        table: Table = metadata.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        rows = 0
        result = connection.execution_options(yield_per=2000).execute(
            select(*table.columns).order_by(*order)
        )
        for row in result:
            line = json.dumps(tuple(row), default=_canonical, ensure_ascii=False, sort_keys=True)
            digest.update(line.encode())
            digest.update(b"\n")
            rows += 1
        sums[name] = TableSum(rows, digest.hexdigest())
    return sums


def file_sums(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every file under ``folder``, by path relative to it."""
    sums: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return sums
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        sums[path.relative_to(folder).as_posix()] = {
            "size": path.stat().st_size,
            "sha256": digest.hexdigest(),
        }
    return sums


def _sums_json(sums: dict[str, TableSum]) -> dict[str, dict[str, Any]]:
    return {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()}


# Backup ------------------------------------------------------------------------------------------


def backup(
    database_url: str, storage: Path, target: Path, echo: Callable[[str], Any]
) -> dict[str, Any]:
    """Write a backup of the database and the storage folder into ``target`` (a new folder)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} already exists and is not empty")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.chmod(0o700)  # personal data: readable by the service account only
    url = make_url(database_url)
    started = dt.datetime.now(dt.UTC)
    if url.get_backend_name() == "sqlite":
        tables, revision = _backup_sqlite(url, target / SQLITE_FILE)
        database_file = SQLITE_FILE
    else:
        tables, revision = _backup_postgresql(url, target / PG_FILE)
        database_file = PG_FILE
    echo(f"Database: {len(tables)} tables, {sum(t.rows for t in tables.values())} rows")
    if storage.is_dir():
        shutil.copytree(storage, target / FILES, dirs_exist_ok=False)
    else:
        (target / FILES).mkdir()
    files = file_sums(target / FILES)
    echo(f"Files: {len(files)}, {sum(f['size'] for f in files.values())} bytes")
    manifest = {
        "format": FORMAT,
        "backend": url.get_backend_name(),
        "taken_at": started.isoformat(),
        "database_file": database_file,
        "database_sha256": file_sums(target)[database_file]["sha256"],
        "revision": revision,
        "tables": _sums_json(tables),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    for path in target.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return manifest


def _revision(connection: Connection) -> list[str]:
    """The migration the snapshot's schema is at."""
    if "alembic_version" not in _table_names(connection):
        return []
    return sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _backup_sqlite(url: URL, destination: Path) -> tuple[dict[str, TableSum], list[str]]:
    """SQLite's online backup API copies every page in one step under a read transaction: a
    consistent snapshot, while the app's workers keep writing (WAL lets them)."""
    source_path = _sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"the database file {source_path} does not exist")
    with (
        closing(sqlite3.connect(source_path, timeout=30)) as source,
        closing(sqlite3.connect(destination)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    engine = create_engine(f"sqlite:///{destination}")
    try:
        with engine.connect() as connection:
            return table_sums(connection), _revision(connection)
    finally:
        engine.dispose()


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from PATH, else the newest of /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if not candidates:
        raise BackupError(f"{name} not found (install the postgresql-client package)")
    return max(candidates, key=lambda p: int(Path(p).parent.parent.name.split(".")[0]))


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A conninfo URI for the PostgreSQL tools, the password passed in the environment."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _backup_postgresql(url: URL, destination: Path) -> tuple[dict[str, TableSum], list[str]]:
    """pg_dump runs in a snapshot exported by a repeatable-read transaction, which computes the
    manifest's sums from that same snapshot while the app keeps writing."""
    engine = create_engine(url)
    try:
        with engine.connect() as base:
            connection = base.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                conninfo, environment = _libpq(url)
                _run(
                    [
                        pg_tool("pg_dump"),
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={destination}",
                        f"--dbname={conninfo}",
                    ],
                    environment,
                )
                return table_sums(connection), _revision(connection)
    finally:
        engine.dispose()


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed tools, arguments built here
        command, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


# Restore -----------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not supported")
    return manifest


def data_rows(engine: Engine) -> int:
    """Rows in the database outside the schema's own bookkeeping (0: empty)."""
    with engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection)
        return sum(
            connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name not in SCHEMA_TABLES
        )


def restore(
    source: Path, database_url: str, storage: Path, force: bool, echo: Callable[[str], Any]
) -> None:
    """Put the backup in ``source`` back into the database and the storage folder, then check
    every table and file against the manifest."""
    manifest = read_manifest(source)
    url = make_url(database_url)
    backend = url.get_backend_name()
    if manifest["backend"] != backend:
        raise BackupError(f"this is a {manifest['backend']} backup; the database is {backend}")
    database = source / manifest["database_file"]
    if file_sums(source).get(manifest["database_file"], {}).get("sha256") != manifest.get(
        "database_sha256"
    ):
        raise BackupError(f"{database} does not match the checksum in the manifest")
    _check_files(source / FILES, manifest["files"], "the backup")
    engine = create_engine(url)
    try:
        if not force:
            rows = data_rows(engine)
            stored = file_sums(storage)
            if rows or stored:
                raise BackupError(
                    f"the database holds {rows} rows and the storage folder {len(stored)} files; "
                    "restore replaces them only with --force"
                )
        engine.dispose()
        if backend == "sqlite":
            _restore_sqlite(database, _sqlite_path(url))
        else:
            conninfo, environment = _libpq(url)
            _run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={conninfo}",
                    str(database),
                ],
                environment,
            )
        _restore_files(source / FILES, storage)
        with engine.connect() as connection:
            restored = table_sums(connection)
    finally:
        engine.dispose()
    expected = manifest["tables"]
    if _sums_json(restored) != expected:
        wrong = sorted(
            name
            for name in set(expected) | set(restored)
            if expected.get(name) != _sums_json(restored).get(name)
        )
        raise BackupError(f"restored tables differ from the manifest: {', '.join(wrong)}")
    _check_files(storage, manifest["files"], "the storage folder")
    echo(
        f"Restored {len(restored)} tables ({sum(t.rows for t in restored.values())} rows) and "
        f"{len(manifest['files'])} files; every checksum matches the manifest."
    )


def _restore_sqlite(backup_file: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(backup_file)) as source,
        closing(sqlite3.connect(database, timeout=30)) as target,
    ):
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")


def _restore_files(source: Path, storage: Path) -> None:
    """The storage folder becomes the backup's: files not in it are removed."""
    storage.mkdir(parents=True, exist_ok=True)
    staging = storage.parent / f".{storage.name}.restore-{uuid.uuid4().hex[:8]}"
    shutil.copytree(source, staging)
    for entry in list(storage.iterdir()):
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        entry.rename(storage / entry.name)
    staging.rmdir()


def _check_files(folder: Path, expected: dict[str, Any], where: str) -> None:
    found = file_sums(folder)
    if found != expected:
        wrong = sorted(n for n in set(found) | set(expected) if found.get(n) != expected.get(n))
        raise BackupError(f"files in {where} differ from the manifest: {', '.join(wrong[:5])}")
