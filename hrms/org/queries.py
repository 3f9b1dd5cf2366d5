"""Reads of the organisation tree, always scoped to the acting user."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select

from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.core.text import fold
from hrms.extensions import db
from hrms.org.models import Unit, UnitHistory
from hrms.org.policies import can_manage_units, can_view_unit


def scoped_units(actor: Actor) -> Select[tuple[Unit]]:
    return select(Unit).where(Scope.for_actor(actor, Permission.ORG_VIEW).filter(Unit.path))


def list_units(actor: Actor, *, include_closed: bool = False, q: str = "") -> list[Unit]:
    """Units in scope in tree order: each parent before its children, siblings by name."""
    query = scoped_units(actor)
    if not include_closed:
        query = query.where(Unit.effective_to.is_(None))
    if q:
        needle = fold(q)
        query = query.where(Unit.search_text.contains(needle, autoescape=True))
    return tree_order(list(db.session.scalars(query)))


def tree_order(units: list[Unit]) -> list[Unit]:
    """Depth-first, siblings sorted by name; units whose parent is absent start a branch."""
    present = {unit.id for unit in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in present else None].append(unit)
    ordered: list[Unit] = []
    stack = sorted(children[None], key=_sibling_key, reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(children[unit.id], key=_sibling_key, reverse=True))
    return ordered


def _sibling_key(unit: Unit) -> tuple[int, str, str]:
    return (unit.depth, fold(unit.name), unit.code)


def get_unit_for(actor: Actor, unit_id: int, *, manage: bool = False) -> Unit:
    """404 when the unit is absent or out of scope; 403 when visible but not manageable."""
    unit = db.session.get(Unit, unit_id)
    visible = unit is not None and can_view_unit(actor, unit)
    return authorize(unit, visible=visible, allowed=not manage or can_manage_units(actor))


def subtree(unit: Unit) -> Select[tuple[Unit]]:
    """The unit and all its descendants: one range scan on the path index."""
    return select(Unit).where(Unit.path >= unit.path, Unit.path < subtree_upper_bound(unit.path))


def children_of(unit: Unit) -> list[Unit]:
    return list(
        db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name))
    )


def history_of(unit: Unit) -> list[UnitHistory]:
    return list(
        db.session.scalars(
            select(UnitHistory)
            .where(UnitHistory.unit_id == unit.id)
            .order_by(UnitHistory.valid_from.desc(), UnitHistory.id.desc())
        )
    )


def ancestors_of(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def open_units_for_parent_choice(actor: Actor, exclude: Unit | None = None) -> list[Unit]:
    """Units that may receive a new child or a moved unit (never the unit's own subtree)."""
    query = scoped_units(actor).where(Unit.effective_to.is_(None))
    if exclude is not None:
        query = query.where(
            (Unit.path < exclude.path) | (Unit.path >= subtree_upper_bound(exclude.path))
        )
    return tree_order(list(db.session.scalars(query)))


@dataclass(frozen=True)
class UnitPicker:
    """A filter by unit that scales to a province's tree: the chosen unit with its ancestors
    in scope (a trail of links), and the open units one level below it to narrow down to."""

    chosen: Unit | None
    trail: list[Unit]
    below: list[Unit]


def unit_picker(actor: Actor, permission: Permission, unit_id: int | None) -> UnitPicker:
    """Two small queries whatever the size of the tree (a drop-down of every unit in a
    province's scope costs more than the page it filters)."""
    scope = Scope.for_actor(actor, permission)
    chosen = db.session.get(Unit, unit_id) if unit_id else None
    if chosen is not None and not scope.covers(chosen.path):
        chosen = None
    if chosen is None:
        top = Unit.parent_id.is_(None) if scope.everything else Unit.path.in_(scope.subtree_paths)
        below = list(db.session.scalars(select(Unit).where(top, Unit.effective_to.is_(None))))
        return UnitPicker(chosen=None, trail=[], below=sorted(below, key=_sibling_key))
    related = list(
        db.session.scalars(
            select(Unit).where(
                Unit.id.in_(chosen.ancestor_ids)
                | ((Unit.parent_id == chosen.id) & Unit.effective_to.is_(None))
            )
        )
    )
    trail = [u for u in related if u.id != chosen.id and u.parent_id != chosen.id]
    trail = [u for u in sorted(trail, key=lambda u: u.depth) if scope.covers(u.path)]
    below = sorted((u for u in related if u.parent_id == chosen.id), key=_sibling_key)
    return UnitPicker(chosen=chosen, trail=[*trail, chosen], below=below)
