"""Reads of the dictionary, the catalogue and the plans; lists are scoped by unit subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Select, func, select

from hrms.core.security import Actor, Permission, Scope
from hrms.extensions import db
from positions.models import (
    UNITS,
    CompetencyVersion,
    PlanState,
    PositionPlan,
    UnitPosition,
)


def unit_scope(actor: Actor, permission: Permission = Permission.POSITIONS_VIEW) -> Scope:
    return Scope.for_actor(actor, permission)


def plans_in_scope(actor: Actor) -> Select[PositionPlan]:
    """Plans of units the actor may see positions of."""
    return (
        select(PositionPlan)
        .join(UNITS, UNITS.c.id == PositionPlan.unit_id)
        .where(unit_scope(actor).filter(UNITS.c.path))
    )


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
