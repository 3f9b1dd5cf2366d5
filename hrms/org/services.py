"""Writes to the organisation tree. Services flush, never commit; the request commits once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, exists, func, literal, select, update

from hrms.core.dates import format_date, today
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor, subtree_upper_bound
from hrms.core.text import fold, normalize_spaces
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.extensions import db
from hrms.org.models import Unit, UnitChange, UnitHistory
from hrms.org.policies import can_manage_units

STALE_MESSAGE = _l(
    "Someone else changed this unit after you opened it. Reload the page to see their change."
)


def _require_manager(actor: Actor) -> None:
    if not can_manage_units(actor):
        raise DomainError(FORM, _l("You may not change the organisation tree."))


def _search_text(name: str, code: str) -> str:
    return f"{fold(name)} {code.lower()}"


def _open_parent(parent_id: int | None, field: str) -> Unit | None:
    if parent_id is None:
        return None
    parent = db.session.get(Unit, parent_id)
    if parent is None:
        raise DomainError(field, _l("This unit does not exist."))
    if not parent.is_open:
        raise DomainError(field, _l("This unit is closed and cannot hold other units."))
    return parent


def _effective_date_after(unit: Unit, when: dt.date, field: str) -> None:
    if when > today():
        raise DomainError(field, _l("The effective date cannot be in the future."))
    if when <= unit.current_since:
        raise DomainError(
            field,
            _l(
                "The effective date must be after %(date)s, when the current name and "
                "placement took effect.",
                date=format_date(unit.current_since),
            ),
        )


def create_unit(actor: Actor, data: dict[str, Any]) -> Unit:
    _require_manager(actor)
    code = data["code"].upper()
    name = normalize_spaces(data["name"])
    if db.session.scalar(select(exists().where(func.upper(Unit.code) == code))):
        raise DomainError("code", _l("Another unit already uses this code."))
    parent = _open_parent(data.get("parent_id"), "parent_id")
    if parent is not None and data["effective_from"] < parent.effective_from:
        raise DomainError(
            "effective_from",
            _l(
                "A unit cannot start before its parent unit (%(date)s).",
                date=format_date(parent.effective_from),
            ),
        )
    unit = Unit(
        code=code,
        name=name,
        search_text=_search_text(name, code),
        kind=data["kind"],
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        effective_from=data["effective_from"],
        current_since=data["effective_from"],
        # a unique placeholder until the id is known (the path ends with the unit's own id)
        path=f"/new-{code}/",
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    return unit


def _keep_history(unit: Unit, change: UnitChange, until: dt.date, note: str | None) -> None:
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    db.session.add(
        UnitHistory(
            unit_id=unit.id,
            change=change.value,
            code=unit.code,
            name=unit.name,
            parent_id=unit.parent_id,
            parent_name=parent.name if parent else None,
            valid_from=unit.current_since,
            valid_to=until,
            note=note,
        )
    )


def rename_unit(actor: Actor, unit: Unit, data: dict[str, Any]) -> Unit:
    _require_manager(actor)
    check_version(unit, data["version"], STALE_MESSAGE)
    new_name = normalize_spaces(data["name"])
    if new_name == unit.name:
        raise DomainError("name", _l("The new name is the same as the current one."))
    if not unit.is_open:
        raise DomainError(FORM, _l("A closed unit cannot be renamed."))
    _effective_date_after(unit, data["effective_date"], "effective_date")
    _keep_history(
        unit, UnitChange.RENAME, data["effective_date"] - dt.timedelta(days=1), data.get("note")
    )
    unit.name = new_name
    unit.search_text = _search_text(new_name, unit.code)
    unit.current_since = data["effective_date"]
    flush_or_conflict(STALE_MESSAGE)
    return unit


signals = Namespace()
#: sent after a unit moved with its subtree (paths rewritten, in the same transaction):
#: ``unit_moved.send(unit, old_path=..., new_path=...)``
unit_moved = signals.signal("unit-moved")


def move_unit(actor: Actor, unit: Unit, data: dict[str, Any]) -> Unit:
    _require_manager(actor)
    check_version(unit, data["version"], STALE_MESSAGE)
    if not unit.is_open:
        raise DomainError(FORM, _l("A closed unit cannot be moved."))
    new_parent = _open_parent(data["parent_id"], "parent_id")
    assert new_parent is not None
    if new_parent.id == unit.id or new_parent.path.startswith(unit.path):
        raise DomainError(
            "parent_id", _l("A unit cannot be moved under itself or one of its own sub-units.")
        )
    if new_parent.id == unit.parent_id:
        raise DomainError("parent_id", _l("The unit is already under this parent."))
    _effective_date_after(unit, data["effective_date"], "effective_date")
    _keep_history(
        unit, UnitChange.MOVE, data["effective_date"] - dt.timedelta(days=1), data.get("note")
    )

    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    depth_shift = new_parent.depth + 1 - unit.depth
    unit.parent_id = new_parent.id
    unit.current_since = data["effective_date"]
    flush_or_conflict(STALE_MESSAGE)
    # Re-root the whole subtree in one statement: paths and depths are derived from parents.
    db.session.execute(
        update(Unit)
        .where(Unit.path >= old_path, Unit.path < subtree_upper_bound(old_path))
        .values(
            path=literal(new_path, String) + func.substr(Unit.path, len(old_path) + 1),
            depth=Unit.depth + depth_shift,
        )
        .execution_options(synchronize_session="fetch")
    )
    unit_moved.send(unit, old_path=old_path, new_path=new_path)
    return unit


def close_unit(actor: Actor, unit: Unit, data: dict[str, Any]) -> Unit:
    _require_manager(actor)
    check_version(unit, data["version"], STALE_MESSAGE)
    if not unit.is_open:
        raise DomainError(FORM, _l("This unit is already closed."))
    when: dt.date = data["effective_date"]
    if when < unit.current_since:
        raise DomainError(
            "effective_date",
            _l(
                "The closing date cannot be before %(date)s, when the current name and "
                "placement took effect.",
                date=format_date(unit.current_since),
            ),
        )
    if when > today():
        raise DomainError("effective_date", _l("The effective date cannot be in the future."))
    open_children = db.session.scalar(
        select(func.count()).where(Unit.parent_id == unit.id, Unit.effective_to.is_(None))
    )
    if open_children:
        raise DomainError(
            FORM,
            _l(
                "Open sub-units remaining: %(count)s. Move or close them first.",
                count=open_children,
            ),
        )
    _keep_history(unit, UnitChange.CLOSE, when, data.get("note"))
    unit.effective_to = when
    flush_or_conflict(STALE_MESSAGE)
    return unit
