"""Reads of the audit log, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from hrms.audit.policies import can_view_audit_log
from hrms.core.audit import AuditEntry
from hrms.core.dates import AGENCY_TIMEZONE
from hrms.core.security import Actor, authorize
from hrms.extensions import db

PER_PAGE = 50


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=AGENCY_TIMEZONE)


def list_entries(actor: Actor, filters: dict[str, Any]) -> Pagination:
    authorize(actor, visible=can_view_audit_log(actor))
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters.get("actor"):
        query = query.where(AuditEntry.actor_name == filters["actor"].lower())
    if filters.get("object_type"):
        query = query.where(AuditEntry.object_type == filters["object_type"])
    if filters.get("object_id"):
        query = query.where(AuditEntry.object_id == filters["object_id"])
    if filters.get("action"):
        query = query.where(AuditEntry.action == filters["action"])
    if filters.get("date_from"):
        query = query.where(AuditEntry.at >= _start_of(filters["date_from"]))
    if filters.get("date_to"):
        query = query.where(AuditEntry.at < _start_of(filters["date_to"] + dt.timedelta(days=1)))
    result: Pagination = db.paginate(
        query, page=filters.get("page", 1), per_page=PER_PAGE, error_out=False
    )
    return result


def object_types() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
        )
    )


def get_entry_for(actor: Actor, entry_id: int) -> AuditEntry:
    return authorize(db.session.get(AuditEntry, entry_id), visible=can_view_audit_log(actor))
