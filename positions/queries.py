"""Reads of the dictionary, the catalogue and the plans; lists are scoped by unit subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from hrms.core.dates import today
from hrms.core.security import Actor, Permission, Scope, authorize
from hrms.core.text import fold
from hrms.extensions import db
from positions.models import (
    UNITS,
    Competency,
    CompetencyFamily,
    CompetencyVersion,
    FrameworkPosition,
    FrameworkRequirement,
    FrameworkTask,
    PlanState,
    PositionGroup,
    PositionPlan,
    PositionRequirement,
    PositionTask,
    UnitPosition,
)
from positions.policies import can_approve_plan, can_draft_plan, can_view_unit_positions


def unit_scope(actor: Actor, permission: Permission = Permission.POSITIONS_VIEW) -> Scope:
    return Scope.for_actor(actor, permission)


def plans_in_scope(
    actor: Actor, *, unit_id: int | None = None, state: str | None = None
) -> Select[PositionPlan]:
    """Plans of units the actor may see positions of; optionally of one unit, in one state."""
    query = (
        select(PositionPlan)
        .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
        .where(unit_scope(actor).filter(UNITS.c.path))
    )
    if unit_id is not None:
        query = query.where(PositionPlan.unit_id == unit_id)
    if state is not None:
        query = query.where(PositionPlan.state == state)
    return query


def unit_path(unit_id: int) -> str | None:
    return db.session.scalar(select(UNITS.c.path).where(UNITS.c.id == unit_id))


def plans_in_force(unit_ids: Iterable[int], on: dt.date) -> dict[int, PositionPlan]:
    """For each unit, its approved plan in force on ``on`` (units without one are absent)."""
    ids = list(unit_ids)
    if not ids:
        return {}
    ranked = (
        select(
            PositionPlan.id,
            func.row_number()
            .over(
                partition_by=PositionPlan.unit_id,
                order_by=(PositionPlan.effective_on.desc(), PositionPlan.number.desc()),
            )
            .label("rank"),
        )
        .where(
            PositionPlan.unit_id.in_(ids),
            PositionPlan.state == PlanState.APPROVED.value,
            PositionPlan.effective_on <= on,
        )
        .subquery()
    )
    plans = db.session.scalars(
        select(PositionPlan).join(ranked, ranked.c.id == PositionPlan.id).where(ranked.c.rank == 1)
    )
    return {plan.unit_id: plan for plan in plans}


def positions_of_plans(plan_ids: Iterable[int]) -> list[UnitPosition]:
    ids = list(plan_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(UnitPosition)
            .where(UnitPosition.plan_id.in_(ids))
            .order_by(UnitPosition.plan_id, UnitPosition.code)
        )
    )


def versions_in_force(on: dt.date) -> dict[int, CompetencyVersion]:
    """Each competency's version in force on ``on``: competency id -> version."""
    ranked = (
        select(
            CompetencyVersion.id,
            func.row_number()
            .over(
                partition_by=CompetencyVersion.competency_id,
                order_by=CompetencyVersion.effective_from.desc(),
            )
            .label("rank"),
        )
        .where(CompetencyVersion.effective_from <= on)
        .subquery()
    )
    versions = db.session.scalars(
        select(CompetencyVersion)
        .join(ranked, ranked.c.id == CompetencyVersion.id)
        .where(ranked.c.rank == 1)
    )
    return {version.competency_id: version for version in versions}


# Position plans and unit positions --------------------------------------------------------------

#: what a loader is asked for: to look, to draft (edit, submit), or to approve (approve, return)
PlanAction = Literal["view", "draft", "approve"]

#: labels of a unit position's fields, for the comparison of plan versions and the forms
POSITION_FIELD_LABELS: dict[str, Any] = {
    "code": _l("Code"),
    "name": _l("Position"),
    "grp": _l("Group"),
    "rank_codes": _l("Corresponding ranks"),
    "headcount": _l("Headcount"),
    "education_code": _l("Lowest qualification (code)"),
    "objective": _l("Objective"),
    "evaluation_criteria": _l("Evaluation criteria"),
    "internal_relations": _l("Relations inside the agency"),
    "external_relations": _l("Relations outside the agency"),
    "authority": _l("Authority"),
    "working_conditions": _l("Working conditions"),
    "qualifications": _l("Required qualifications"),
    "experience": _l("Required experience"),
    "qualities": _l("Required qualities"),
    "tasks": _l("Tasks and outputs"),
    "requirements": _l("Competency requirements"),
    "rank_limits": _l("Rank-ratio limits"),
}
#: the position's own columns that a comparison of versions looks at, in display order
COMPARED_COLUMNS = (
    "code",
    "name",
    "grp",
    "rank_codes",
    "headcount",
    "education_code",
    "objective",
    "evaluation_criteria",
    "internal_relations",
    "external_relations",
    "authority",
    "working_conditions",
    "qualifications",
    "experience",
    "qualities",
)
#: plan states that count as "the unit's open version" (one at a time)
OPEN_STATES = (PlanState.DRAFT.value, PlanState.SUBMITTED.value, PlanState.RETURNED.value)


@dataclass(frozen=True)
class UnitRow:
    """What the positions feature knows of a unit (read through the light ``UNITS`` table)."""

    id: int
    path: str
    name: str
    code: str
    effective_to: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.effective_to is None


def _unit_rows(condition: ColumnElement[bool]) -> list[UnitRow]:
    rows = db.session.execute(
        select(UNITS.c.id, UNITS.c.path, UNITS.c.name, UNITS.c.code, UNITS.c.effective_to)
        .where(condition)
        .order_by(UNITS.c.path)
    )
    return [UnitRow(*row) for row in rows]


def unit_row(unit_id: int) -> UnitRow | None:
    rows = _unit_rows(UNITS.c.id == unit_id)
    return rows[0] if rows else None


def unit_rows(unit_ids: Iterable[int]) -> dict[int, UnitRow]:
    ids = set(unit_ids)
    if not ids:
        return {}
    return {row.id: row for row in _unit_rows(UNITS.c.id.in_(ids))}


def draftable_units(actor: Actor) -> list[UnitRow]:
    """Open units the actor may draft a plan for, in tree order."""
    return _unit_rows(
        and_(
            unit_scope(actor, Permission.POSITIONS_DRAFT).filter(UNITS.c.path),
            UNITS.c.effective_to.is_(None),
        )
    )


def units_with_plans(actor: Actor) -> list[UnitRow]:
    """Units in the actor's scope that have at least one plan (the list's unit filter)."""
    having_plans = select(PositionPlan.unit_id).distinct()
    return _unit_rows(and_(unit_scope(actor).filter(UNITS.c.path), UNITS.c.id.in_(having_plans)))


def _action_allowed(actor: Actor, path: str, action: PlanAction) -> bool:
    if action == "draft":
        return can_draft_plan(actor, path)
    if action == "approve":
        return can_approve_plan(actor, path)
    return True


def get_plan_for(actor: Actor, plan_id: int, action: PlanAction = "view") -> PositionPlan:
    """404 when absent or outside the actor's view scope, 403 when visible but ``action`` is not
    allowed (drafting needs the drafters' scope, approving the approvers')."""
    row = db.session.execute(
        select(PositionPlan, UNITS.c.path)
        .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
        .where(PositionPlan.id == plan_id)
    ).first()
    plan: PositionPlan | None = row[0] if row else None
    path: str | None = row[1] if row else None
    visible = path is not None and can_view_unit_positions(actor, path)
    allowed = path is not None and _action_allowed(actor, path, action)
    return authorize(plan, visible=visible, allowed=allowed)


def get_position_for(actor: Actor, position_id: int, action: PlanAction = "view") -> UnitPosition:
    """The loader of unit positions: the scope is the unit of the position's plan."""
    row = db.session.execute(
        select(UnitPosition, UNITS.c.path)
        .join(PositionPlan, PositionPlan.id == UnitPosition.plan_id)
        .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
        .options(contains_eager(UnitPosition.plan))
        .where(UnitPosition.id == position_id)
    ).first()
    position: UnitPosition | None = row[0] if row else None
    path: str | None = row[1] if row else None
    visible = path is not None and can_view_unit_positions(actor, path)
    allowed = path is not None and _action_allowed(actor, path, action)
    return authorize(position, visible=visible, allowed=allowed)


def list_plans(actor: Actor, filters: dict[str, Any]) -> Pagination:
    """Plans in scope, by unit and newest version first (filters: unit_id, state, page)."""
    query = plans_in_scope(
        actor, unit_id=filters.get("unit_id"), state=filters.get("state")
    ).order_by(UNITS.c.path, PositionPlan.number.desc())
    result: Pagination = db.paginate(
        query,
        page=filters.get("page", 1),
        per_page=filters.get("per_page", 50),
        error_out=False,
        count=True,
    )
    return result


def plans_awaiting(actor: Actor) -> list[PositionPlan]:
    """Submitted plans the actor may approve, oldest submission first (never their own)."""
    return list(
        db.session.scalars(
            select(PositionPlan)
            .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
            .where(
                unit_scope(actor, Permission.POSITIONS_APPROVE).filter(UNITS.c.path),
                PositionPlan.state == PlanState.SUBMITTED.value,
                or_(PositionPlan.submitted_by.is_(None), PositionPlan.submitted_by != actor.id),
            )
            .order_by(PositionPlan.submitted_at, PositionPlan.id)
        )
    )


def plan_versions(unit_id: int) -> list[PositionPlan]:
    """Every version of a unit's plan, newest first."""
    return list(
        db.session.scalars(
            select(PositionPlan)
            .where(PositionPlan.unit_id == unit_id)
            .order_by(PositionPlan.number.desc())
        )
    )


def open_plan(unit_id: int) -> PositionPlan | None:
    """The unit's version being drafted, submitted or returned, if any."""
    return db.session.scalars(
        select(PositionPlan).where(
            PositionPlan.unit_id == unit_id, PositionPlan.state.in_(OPEN_STATES)
        )
    ).first()


def latest_approved(unit_id: int) -> PositionPlan | None:
    """The unit's most recently approved version (in force now or from a later date)."""
    return db.session.scalars(
        select(PositionPlan)
        .where(PositionPlan.unit_id == unit_id, PositionPlan.state == PlanState.APPROVED.value)
        .order_by(PositionPlan.number.desc())
        .limit(1)
    ).first()


def last_plan_number(unit_id: int) -> int:
    found = db.session.scalar(
        select(func.max(PositionPlan.number)).where(PositionPlan.unit_id == unit_id)
    )
    return int(found or 0)


def plan_in_force(unit_id: int, on: dt.date) -> PositionPlan | None:
    """The unit's approved plan in force on ``on``, if any."""
    return plans_in_force([unit_id], on).get(unit_id)


def _full_position_options() -> list[Any]:
    return [
        selectinload(UnitPosition.tasks).selectinload(PositionTask.outputs),
        selectinload(UnitPosition.requirements)
        .selectinload(PositionRequirement.competency_version)
        .selectinload(CompetencyVersion.competency),
        selectinload(UnitPosition.rank_limits),
    ]


def plan_positions(plan_id: int, *, full: bool = False) -> list[UnitPosition]:
    """A plan's positions by code, with requirements (their competency and version) and rank
    limits; ``full`` adds the tasks and outputs. A fixed number of queries."""
    options = _full_position_options()
    if not full:
        options = options[1:]
    return list(
        db.session.scalars(
            select(UnitPosition)
            .where(UnitPosition.plan_id == plan_id)
            .options(*options)
            .order_by(UnitPosition.code)
        )
    )


def full_position(position_id: int) -> UnitPosition | None:
    """One position with its whole job description, in a fixed number of queries."""
    return db.session.scalars(
        select(UnitPosition)
        .where(UnitPosition.id == position_id)
        .options(joinedload(UnitPosition.plan), *_full_position_options())
        .execution_options(populate_existing=True)
    ).first()


def _in_force_plan_ids(on: dt.date) -> Select[tuple[int]]:
    ranked = (
        select(
            PositionPlan.id,
            func.row_number()
            .over(
                partition_by=PositionPlan.unit_id,
                order_by=(PositionPlan.effective_on.desc(), PositionPlan.number.desc()),
            )
            .label("rank"),
        )
        .where(
            PositionPlan.state == PlanState.APPROVED.value,
            PositionPlan.effective_on <= on,
        )
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def positions_in_scope(
    actor: Actor,
    *,
    unit_id: int | None = None,
    plan_id: int | None = None,
    in_force: bool = True,
    on: dt.date | None = None,
) -> Select[UnitPosition]:
    """Unit positions the actor may see, each with its plan loaded. By default only those of
    the approved plans in force (``on`` today); a ``plan_id`` names one version instead."""
    query = (
        select(UnitPosition)
        .join(PositionPlan, PositionPlan.id == UnitPosition.plan_id)
        .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
        .options(contains_eager(UnitPosition.plan))
        .where(unit_scope(actor).filter(UNITS.c.path))
    )
    if unit_id is not None:
        query = query.where(PositionPlan.unit_id == unit_id)
    if plan_id is not None:
        query = query.where(UnitPosition.plan_id == plan_id)
    elif in_force:
        query = query.where(PositionPlan.id.in_(_in_force_plan_ids(on or today())))
    return query.order_by(UNITS.c.path, PositionPlan.number.desc(), UnitPosition.code)


def list_positions(actor: Actor, filters: dict[str, Any]) -> Pagination:
    result: Pagination = db.paginate(
        positions_in_scope(
            actor,
            unit_id=filters.get("unit_id"),
            plan_id=filters.get("plan_id"),
            in_force=filters.get("in_force", True),
        ),
        page=filters.get("page", 1),
        per_page=filters.get("per_page", 50),
        error_out=False,
        count=True,
    )
    return result


def requirement_choices(on: dt.date) -> list[CompetencyVersion]:
    """The versions in force on ``on`` of the active competencies, in dictionary order: what a
    new requirement may point at."""
    current = versions_in_force(on)
    if not current:
        return []
    return list(
        db.session.scalars(
            select(CompetencyVersion)
            .join(Competency, Competency.id == CompetencyVersion.competency_id)
            .options(contains_eager(CompetencyVersion.competency))
            .where(
                CompetencyVersion.id.in_([v.id for v in current.values()]),
                Competency.active.is_(True),
            )
            .order_by(Competency.family, Competency.ordinal, Competency.code)
        )
    )


def competency_versions(version_ids: Iterable[int]) -> dict[int, CompetencyVersion]:
    """Versions by id, each with its competency."""
    ids = set(version_ids)
    if not ids:
        return {}
    found = db.session.scalars(
        select(CompetencyVersion)
        .where(CompetencyVersion.id.in_(ids))
        .options(joinedload(CompetencyVersion.competency))
    )
    return {version.id: version for version in found}


def catalogue_choices() -> list[FrameworkPosition]:
    """Active positions of the framework catalogue, by group and code."""
    return list(
        db.session.scalars(
            select(FrameworkPosition)
            .where(FrameworkPosition.active.is_(True))
            .order_by(FrameworkPosition.grp, FrameworkPosition.code)
        )
    )


def catalogue_position(framework_position_id: int) -> FrameworkPosition | None:
    """A catalogue position with its default tasks and requirements."""
    return db.session.scalars(
        select(FrameworkPosition)
        .where(FrameworkPosition.id == framework_position_id)
        .options(
            selectinload(FrameworkPosition.tasks), selectinload(FrameworkPosition.requirements)
        )
    ).first()


# Comparing two versions of a plan ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(POSITION_FIELD_LABELS[self.field])


@dataclass(frozen=True)
class PositionChange:
    """A position present in both versions (same lineage) whose content differs."""

    lineage_id: int
    old: UnitPosition
    new: UnitPosition
    fields: list[FieldChange]


@dataclass(frozen=True)
class HeadcountDelta:
    lineage_id: int
    code: str
    name: str
    old: int
    new: int

    @property
    def delta(self) -> int:
        return self.new - self.old


@dataclass(frozen=True)
class PlanComparison:
    older: PositionPlan
    newer: PositionPlan
    added: list[UnitPosition]
    removed: list[UnitPosition]
    changed: list[PositionChange]
    unchanged: list[UnitPosition]
    #: positions whose headcount differs (added ones from 0, removed ones to 0), by code
    headcounts: list[HeadcountDelta]
    total_old: int
    total_new: int

    @property
    def deltas(self) -> dict[int, int]:
        """Headcount change by lineage id (only where it changed)."""
        return {row.lineage_id: row.delta for row in self.headcounts}

    @property
    def total_delta(self) -> int:
        return self.total_new - self.total_old


def _number_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}"


def describe(position: UnitPosition, field: str) -> str:
    """A field of a position as plain text (lines for lists), for comparing versions."""
    if field == "grp":
        return position.group_label
    if field == "rank_codes":
        return ", ".join(position.rank_list)
    if field == "tasks":
        lines = []
        for number, task in enumerate(position.tasks, start=1):
            lines.append(f"{number}. {task.description}")
            lines.extend(
                f"   – {o.name} ({o.unit_of_measure}; ×{_number_text(o.conversion_factor)}; "
                f"{_number_text(o.monthly_quantity)}/tháng)"
                for o in task.outputs
            )
        return "\n".join(lines)
    if field == "requirements":
        return "\n".join(
            sorted(
                f"{r.competency_version.competency.code} {r.competency_version.name}: "
                f"{r.level} (v{r.competency_version.number})"
                for r in position.requirements
            )
        )
    if field == "rank_limits":
        return "\n".join(
            sorted(f"{limit.rank_code} ≤ {limit.max_percent}%" for limit in position.rank_limits)
        )
    value = getattr(position, field)
    return "" if value is None else str(value)


def _differences(old: UnitPosition, new: UnitPosition) -> list[FieldChange]:
    changes = []
    for field in (*COMPARED_COLUMNS, "tasks", "requirements", "rank_limits"):
        before, after = describe(old, field), describe(new, field)
        if before != after:
            changes.append(FieldChange(field, before, after))
    return changes


def compare_plans(older: PositionPlan, newer: PositionPlan) -> PlanComparison:
    """Two versions of a unit's plan side by side, positions matched by lineage: added,
    removed, changed (which fields, old and new) and the headcount deltas. Four queries per
    plan whatever its size."""
    before = {p.lineage_id or p.id: p for p in plan_positions(older.id, full=True)}
    after = {p.lineage_id or p.id: p for p in plan_positions(newer.id, full=True)}
    added = [after[k] for k in after.keys() - before.keys()]
    removed = [before[k] for k in before.keys() - after.keys()]
    changed, unchanged = [], []
    for lineage in before.keys() & after.keys():
        differences = _differences(before[lineage], after[lineage])
        if differences:
            changed.append(PositionChange(lineage, before[lineage], after[lineage], differences))
        else:
            unchanged.append(after[lineage])
    headcounts = []
    for lineage in before.keys() | after.keys():
        old, new = before.get(lineage), after.get(lineage)
        shown = new or old
        assert shown is not None
        old_count, new_count = (old.headcount if old else 0), (new.headcount if new else 0)
        if old_count != new_count:
            headcounts.append(HeadcountDelta(lineage, shown.code, shown.name, old_count, new_count))
    return PlanComparison(
        older=older,
        newer=newer,
        added=sorted(added, key=lambda p: p.code),
        removed=sorted(removed, key=lambda p: p.code),
        changed=sorted(changed, key=lambda c: c.new.code),
        unchanged=sorted(unchanged, key=lambda p: p.code),
        headcounts=sorted(headcounts, key=lambda h: h.code),
        total_old=sum(p.headcount for p in before.values()),
        total_new=sum(p.headcount for p in after.values()),
    )


# Competency dictionary and framework catalogue --------------------------------------------------

#: the dictionary's families and the catalogue's groups, in the order they are listed
FAMILY_ORDER: tuple[str, ...] = tuple(family.value for family in CompetencyFamily)
GROUP_ORDER: tuple[str, ...] = tuple(group.value for group in PositionGroup)


@dataclass(frozen=True)
class CompetencyRow:
    """A line of the dictionary: the competency, the wording shown (the version in force on
    the day, or the first one to come when none is in force yet) and how many versions it has."""

    competency: Competency
    version: CompetencyVersion | None
    in_force: bool
    version_count: int


def _dictionary_order(competency: Competency) -> tuple[int, int, str]:
    return (FAMILY_ORDER.index(competency.family), competency.ordinal, competency.code)


def competency_rows(on: dt.date, family: str | None = None) -> list[CompetencyRow]:
    """The dictionary's lines in family order, in at most four queries whatever its size."""
    query = select(Competency)
    if family is not None:
        query = query.where(Competency.family == family)
    competencies = sorted(db.session.scalars(query), key=_dictionary_order)
    if not competencies:
        return []
    current = versions_in_force(on)
    counts: dict[int, int] = {
        competency_id: count
        for competency_id, count in db.session.execute(
            select(CompetencyVersion.competency_id, func.count(CompetencyVersion.id)).group_by(
                CompetencyVersion.competency_id
            )
        )
    }
    waiting = [c.id for c in competencies if c.id not in current]
    upcoming: dict[int, CompetencyVersion] = {}
    if waiting:
        for version in db.session.scalars(
            select(CompetencyVersion)
            .where(CompetencyVersion.competency_id.in_(waiting))
            .order_by(CompetencyVersion.effective_from.desc())
        ):
            upcoming[version.competency_id] = version  # the earliest wins (read last)
    return [
        CompetencyRow(
            competency=c,
            version=current.get(c.id) or upcoming.get(c.id),
            in_force=c.id in current,
            version_count=counts.get(c.id, 0),
        )
        for c in competencies
    ]


def competency(competency_id: int) -> Competency | None:
    """A competency with all its versions (oldest first)."""
    return db.session.scalars(
        select(Competency)
        .where(Competency.id == competency_id)
        .options(selectinload(Competency.versions))
    ).first()


def version_of(competency: Competency, on: dt.date) -> CompetencyVersion | None:
    """The version of a loaded competency in force on ``on`` (None before its first)."""
    in_force = [v for v in competency.versions if v.effective_from <= on]
    return max(in_force, key=lambda v: v.effective_from) if in_force else None


def latest_version(competency: Competency) -> CompetencyVersion | None:
    """The version with the latest effective date (possibly still to come)."""
    return max(competency.versions, key=lambda v: v.effective_from, default=None)


def competency_version(version_id: int) -> CompetencyVersion | None:
    """One version, with its competency."""
    return db.session.scalars(
        select(CompetencyVersion)
        .where(CompetencyVersion.id == version_id)
        .options(joinedload(CompetencyVersion.competency))
    ).first()


def active_competencies_in_force(on: dt.date) -> list[tuple[Competency, CompetencyVersion]]:
    """The active competencies that have a version in force on ``on``, with that version, in
    dictionary order: what a new requirement may be made of. Two queries."""
    current = versions_in_force(on)
    if not current:
        return []
    active = db.session.scalars(
        select(Competency).where(Competency.active.is_(True), Competency.id.in_(list(current)))
    )
    return [(c, current[c.id]) for c in sorted(active, key=_dictionary_order)]


def version_is_current(version_id: int, on: dt.date) -> bool:
    """Whether the version is the one of its competency in force on ``on`` (not an older one
    superseded by then, nor one that starts later)."""
    version = db.session.get(CompetencyVersion, version_id)
    if version is None or version.effective_from > on:
        return False
    superseded = db.session.scalar(
        select(func.count(CompetencyVersion.id)).where(
            CompetencyVersion.competency_id == version.competency_id,
            CompetencyVersion.effective_from > version.effective_from,
            CompetencyVersion.effective_from <= on,
        )
    )
    return not superseded


def competency_by_code(code: str) -> Competency | None:
    return db.session.scalars(select(Competency).where(Competency.code == code)).first()


def competencies_by_code() -> dict[str, Competency]:
    """Every competency (active or not), by code."""
    return {c.code: c for c in db.session.scalars(select(Competency))}


def competencies_by_id(competency_ids: Iterable[int]) -> dict[int, Competency]:
    ids = set(competency_ids)
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(ids)))}


def _catalogue_order(position: FrameworkPosition) -> tuple[int, str]:
    return (GROUP_ORDER.index(position.grp), position.code)


def framework_positions(
    group: str | None = None, q: str | None = None, *, include_inactive: bool = True
) -> list[FrameworkPosition]:
    """Catalogue positions by group and code. ``q`` matches code and title ignoring case and
    diacritics; the catalogue is a few hundred rows, so it is matched in memory."""
    query = select(FrameworkPosition)
    if group is not None:
        query = query.where(FrameworkPosition.grp == group)
    if not include_inactive:
        query = query.where(FrameworkPosition.active.is_(True))
    found = list(db.session.scalars(query))
    if q:
        needle = fold(q)
        found = [p for p in found if needle in fold(f"{p.code} {p.title}")]
    return sorted(found, key=_catalogue_order)


@dataclass(frozen=True)
class CatalogueCounts:
    tasks: int = 0
    requirements: int = 0


def catalogue_counts(framework_position_ids: Iterable[int]) -> dict[int, CatalogueCounts]:
    """Number of default tasks and requirements per catalogue position (two queries)."""
    ids = list(set(framework_position_ids))
    if not ids:
        return {}
    tasks: dict[int, int] = {
        position_id: number
        for position_id, number in db.session.execute(
            select(FrameworkTask.framework_position_id, func.count(FrameworkTask.id))
            .where(FrameworkTask.framework_position_id.in_(ids))
            .group_by(FrameworkTask.framework_position_id)
        )
    }
    requirements: dict[int, int] = {
        position_id: number
        for position_id, number in db.session.execute(
            select(FrameworkRequirement.framework_position_id, func.count(FrameworkRequirement.id))
            .where(FrameworkRequirement.framework_position_id.in_(ids))
            .group_by(FrameworkRequirement.framework_position_id)
        )
    }
    return {i: CatalogueCounts(tasks.get(i, 0), requirements.get(i, 0)) for i in ids}


def _with_contents() -> list[Any]:
    return [selectinload(FrameworkPosition.tasks), selectinload(FrameworkPosition.requirements)]


def framework_position(framework_position_id: int) -> FrameworkPosition | None:
    """A catalogue position with its default tasks and requirements (three queries)."""
    return db.session.scalars(
        select(FrameworkPosition)
        .where(FrameworkPosition.id == framework_position_id)
        .options(*_with_contents())
    ).first()


def framework_position_by_code(code: str) -> FrameworkPosition | None:
    return db.session.scalars(
        select(FrameworkPosition).where(FrameworkPosition.code == code)
    ).first()


def framework_positions_by_code(codes: Iterable[str]) -> dict[str, FrameworkPosition]:
    """The catalogue positions a file names, with their tasks and requirements."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    found = db.session.scalars(
        select(FrameworkPosition)
        .where(FrameworkPosition.code.in_(wanted))
        .options(*_with_contents())
    )
    return {p.code: p for p in found}


def framework_positions_with_contents(
    positions: Iterable[FrameworkPosition],
) -> list[FrameworkPosition]:
    """The given positions again, with tasks and requirements loaded (three queries)."""
    ids = [p.id for p in positions]
    if not ids:
        return []
    loaded = {
        p.id: p
        for p in db.session.scalars(
            select(FrameworkPosition)
            .where(FrameworkPosition.id.in_(ids))
            .options(*_with_contents())
        )
    }
    return [loaded[i] for i in ids if i in loaded]
