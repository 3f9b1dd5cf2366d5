"""Declarative base, naming convention, portable column types and mixins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

#: the largest value of an ``INTEGER`` column (PostgreSQL's is 32-bit): ids, versions
INTEGER_MAX = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def binary_string(length: int) -> String:
    """A string compared byte by byte, so prefix range scans work on every backend.

    PostgreSQL's default locale collation ignores punctuation when ordering, which would break
    materialised-path ranges; SQLite compares bytes already.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class TimestampMixin:
    #: when the row was created
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: when the row was last changed
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: a stale save raises instead of overwriting someone else's change."""

    #: incremented on each update; a save carrying an older value is a conflict
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, WAL and a busy timeout; let SQLAlchemy own transactions (savepoints)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: requests that may read before they write; the rest read (an audit line of a view at most)
_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
#: set in the WSGI environ of a read run again after its snapshot went stale: this time it
#: takes the write lock first, so it cannot go stale again however busy the writers are
WRITE_LOCK_KEY = "hrms.write_lock"


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    """A request that changes data takes SQLite's write lock when its transaction starts
    (waiting up to the busy timeout for another worker's write to finish): taken later, at the
    first write, it would fail at once if another worker had committed since this one read. Reads
    keep a plain (deferred) transaction, so they never wait; the rare one that writes (an audit
    line) and finds its snapshot stale is run again by :class:`hrms.core.ops.RequestLog`, then
    with the write lock taken first."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def _writing_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and (
        request.method in _WRITE_METHODS or bool(request.environ.get(WRITE_LOCK_KEY))
    )
