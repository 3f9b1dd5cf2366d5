"""Append-only audit log, written in the same transaction as the change it describes.

Models that mix in ``Audited`` are captured automatically at flush: a write through the ORM
cannot skip its audit entry. Services add named events (sign-in, viewing a dossier) with
``record_event``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import enum
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, Index, Integer, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column, object_session

from hrms.core.db import Base, UTCDateTime, utcnow

#: columns whose changes are noise in an audit trail
_BOOKKEEPING_COLUMNS = frozenset({"version", "created_at", "updated_at"})
HIDDEN_VALUE = "••••••"


class AuditLogIsAppendOnly(RuntimeError):
    pass


@dataclass(frozen=True)
class AuditActor:
    id: int | None
    name: str


_actor_override: ContextVar[AuditActor | None] = ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting_as(actor: AuditActor) -> Iterator[None]:
    """Attribute changes made outside a request (commands, imports) to ``actor``."""
    token = _actor_override.set(actor)
    try:
        yield
    finally:
        _actor_override.reset(token)


def current_actor() -> AuditActor:
    override = _actor_override.get()
    if override is not None:
        return override
    if has_request_context() and current_user.is_authenticated:
        return AuditActor(id=current_user.id, name=current_user.username)
    return AuditActor(id=None, name="system")


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: when the change was written
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: account that made the change; empty for the system or an anonymous sign-in attempt
    actor_id: Mapped[int | None] = mapped_column(Integer)
    #: the account's username at the time (kept even if the account is renamed)
    actor_name: Mapped[str] = mapped_column(String(64))
    #: create, update, delete, or a named event such as login.failed
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: table name of the object changed
    object_type: Mapped[str] = mapped_column(String(60))
    #: primary key of the object changed
    object_id: Mapped[str | None] = mapped_column(String(64))
    #: values before the change (only the fields that changed)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: values after the change (only the fields that changed)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: client address of the request that made the change
    ip_address: Mapped[str | None] = mapped_column(String(45))
    #: whose record this is ("employees:12" for a dossier and all its parts), for one-query trails
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    #: the row's version after the change, so a stale save can list what changed since
    object_version: Mapped[int | None] = mapped_column(Integer)


class Audited:
    """Mixin: every insert, update and delete of this model is written to the audit log."""

    #: columns whose values must never be copied into the log (only the fact of a change)
    __audit_hidden__: ClassVar[frozenset[str]] = frozenset()

    @property
    def audit_subject(self) -> str | None:
        """Whose record this row belongs to, e.g. "employees:12"; None when it stands alone."""
        return None


def record_event(
    session: Session,
    action: str,
    object_type: str,
    object_id: object = None,
    details: dict[str, Any] | None = None,
    actor: AuditActor | None = None,
    subject: str | None = None,
) -> None:
    who = actor or current_actor()
    session.add(
        AuditEntry(
            actor_id=who.id,
            actor_name=who.name,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            after=_jsonable_dict(details) if details else None,
            ip_address=_client_ip(),
            subject=subject,
        )
    )


def _client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _jsonable_dict(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _jsonable(value) for key, value in values.items()}


def _values(obj: Audited, hidden: frozenset[str]) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: HIDDEN_VALUE if attr.key in hidden else _jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _BOOKKEEPING_COLUMNS
    }


def _changes(obj: Audited, hidden: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _BOOKKEEPING_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = HIDDEN_VALUE if attr.key in hidden else _jsonable(old)
        after[attr.key] = HIDDEN_VALUE if attr.key in hidden else _jsonable(new)
    return before, after


_PENDING = "hrms_audit_rows"


def _queue(mapper: Mapper[Any], target: Audited, action: str, before: Any, after: Any) -> None:
    session = object_session(target)
    if session is None:  # pragma: no cover - flush always runs within a session
        return
    who = current_actor()
    session.info.setdefault(_PENDING, []).append(
        {
            "at": utcnow(),
            "actor_id": who.id,
            "actor_name": who.name,
            "action": action,
            "object_type": mapper.persist_selectable.name,  # type: ignore[attr-defined]
            "object_id": "-".join(str(part) for part in mapper.primary_key_from_instance(target)),
            "before": before,
            "after": after,
            "ip_address": _client_ip(),
            "subject": target.audit_subject,
            "object_version": getattr(target, "version", None),
        }
    )


# Mapper events see every row the flush writes, including orphans deleted by a cascade, while
# attribute history is still available; the rows are then written in one statement per flush.
@event.listens_for(Audited, "after_insert", propagate=True)
def _inserted(mapper: Mapper[Any], connection: Any, target: Audited) -> None:
    _queue(mapper, target, "create", None, _values(target, target.__audit_hidden__))


@event.listens_for(Audited, "after_update", propagate=True)
def _updated(mapper: Mapper[Any], connection: Any, target: Audited) -> None:
    before, after = _changes(target, target.__audit_hidden__)
    if before or after:
        _queue(mapper, target, "update", before, after)


@event.listens_for(Audited, "after_delete", propagate=True)
def _deleted(mapper: Mapper[Any], connection: Any, target: Audited) -> None:
    _queue(mapper, target, "delete", _values(target, target.__audit_hidden__), None)


@event.listens_for(Session, "after_flush")
def _write_queued(session: Session, flush_context: Any) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper: Mapper[Any], connection: Any, target: AuditEntry) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")
