"""Reads of dossiers, always scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    column,
    false,
    or_,
    select,
    table,
)
from sqlalchemy.orm import contains_eager

from hrms.core.audit import AuditEntry
from hrms.core.dates import today
from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.core.text import fold, prefix_upper_bound
from hrms.employees.models import (
    Decision,
    DecisionKind,
    Employee,
    FamilyMember,
    NameKey,
    TrainingRecord,
)
from hrms.employees.policies import can_edit_employee, can_view_employee, can_view_sensitive
from hrms.extensions import db
from hrms.org.models import Unit

SORTS = {
    "name": (Employee.search_name, Employee.id),
    "birth": (Employee.date_of_birth, Employee.id),
    "rank": (Employee.rank_code, Employee.search_name, Employee.id),
    "unit": (Unit.name, Employee.search_name, Employee.id),
}


def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """Rows the actor may list: the scope's subtrees, plus their own dossier."""
    scope = Scope.for_actor(actor, Permission.EMPLOYEES_VIEW)
    if actor.employee_id is None or scope.everything:
        return scope.filter(Unit.path)
    own_path = db.session.scalar(
        select(Unit.path)
        .join(Employee, Employee.unit_id == Unit.id)
        .where(Employee.id == actor.employee_id)
    )
    if own_path is not None and scope.covers(own_path):
        # the own dossier is in the scope already: an OR would only cost an index (both
        # databases scan every dossier for it)
        return scope.filter(Unit.path)
    return or_(scope.filter(Unit.path), Employee.id == actor.employee_id)


def scoped_employees(actor: Actor) -> Select[tuple[Employee]]:
    """Dossiers in scope, each with its unit loaded by the same query."""
    return (
        select(Employee)
        .join(Employee.unit)
        .options(contains_eager(Employee.unit))
        .where(visible_condition(actor))
    )


def _age_bounds(age_from: int | None, age_to: int | None) -> list[ColumnElement[bool]]:
    """People aged from..to (whole years, today): birth dates between two computed dates."""
    conditions: list[ColumnElement[bool]] = []
    now = today()
    if age_from is not None:
        conditions.append(Employee.date_of_birth <= _years_before(now, age_from))
    if age_to is not None:
        conditions.append(Employee.date_of_birth > _years_before(now, age_to + 1))
    return conditions


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def filtered(actor: Actor, filters: dict[str, Any]) -> Select[tuple[Employee]]:
    query = scoped_employees(actor)
    if filters.get("unit_id"):
        unit = db.session.get(Unit, filters["unit_id"])
        if unit is None:
            query = query.where(false())
        else:
            query = query.where(Unit.path >= unit.path, Unit.path < subtree_upper_bound(unit.path))
    for name in ("kind", "status", "sex", "rank_code"):
        if filters.get(name):
            query = query.where(getattr(Employee, name) == filters[name])
    query = query.where(*_age_bounds(filters.get("age_from"), filters.get("age_to")))
    if filters.get("q"):
        text = filters["q"].strip()
        if text.isdigit():
            query = query.where(Employee.national_id.startswith(text, autoescape=True))
        else:
            query = query.where(Employee.id.in_(_name_matches(fold(text) or text)))
    columns = SORTS.get(filters.get("sort") or "name", SORTS["name"])
    if filters.get("order") == "desc":
        return query.order_by(*(column.desc() for column in columns))
    return query.order_by(*columns)


def _name_matches(needle: str) -> Select[tuple[int]]:
    """Dossiers with a name that has a word starting ``needle``: one range on the key index."""
    return (
        select(NameKey.employee_id)
        .where(NameKey.key >= needle, NameKey.key < prefix_upper_bound(needle))
        .distinct()
    )


#: what a row of the list page shows (the API dumps whole dossiers instead)
LIST_COLUMNS = (
    Employee.full_name,
    Employee.date_of_birth,
    Employee.birth_year_only,
    Employee.unit_id,
    Employee.rank_code,
    Employee.salary_step,
    Employee.kind,
    Employee.status,
)


def list_employees(
    actor: Actor, filters: dict[str, Any], *, columns: tuple[Any, ...] = ()
) -> Pagination:
    """A page of the filtered list. The page is found on ids alone (sorted from narrow index
    entries), then its rows are loaded: whole dossiers (with their unit), or when ``columns``
    are given plain rows of the id, those columns and ``unit_name`` (no dossier objects to
    build and expire for a page that only shows a few columns). Skipping to a deep page never
    sorts whole dossiers."""
    query = filtered(actor, filters)
    result: Pagination = db.paginate(
        query.with_only_columns(Employee.id),
        page=filters.get("page", 1),
        per_page=filters.get("per_page", 50),
        error_out=False,
        count=True,
    )
    ids: list[int] = list(result.items)
    on_page = query.where(Employee.id.in_(ids)).order_by(None)
    found: dict[int, Any]
    if columns:
        rows = db.session.execute(
            on_page.with_only_columns(Employee.id, *columns, Unit.name.label("unit_name"))
        )
        found = {row.id: row for row in rows}
    else:
        found = {e.id: e for e in db.session.scalars(on_page)}
    result.items = [found[i] for i in ids]
    return result


@dataclass(frozen=True)
class Dossier:
    """A dossier as one actor may see it."""

    employee: Employee
    unit: Unit
    can_edit: bool
    sensitive: bool
    own: bool


def get_dossier_for(actor: Actor, employee_id: int, *, edit: bool = False) -> Dossier:
    """404 when absent or out of scope, 403 when visible but not editable and ``edit`` asked."""
    row = db.session.execute(
        select(Employee, Unit)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.id == employee_id)
    ).first()
    employee, unit = (row[0], row[1]) if row else (None, None)
    visible = unit is not None and can_view_employee(actor, employee_id, unit.path)
    editable = unit is not None and can_edit_employee(actor, unit.path)
    authorize(employee, visible=visible, allowed=editable or not edit)
    assert employee is not None and unit is not None
    return Dossier(
        employee=employee,
        unit=unit,
        can_edit=editable,
        sensitive=can_view_sensitive(actor, employee_id, unit.path),
        own=actor.employee_id == employee_id,
    )


def decisions_of(employee_id: int) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.employee_id == employee_id)
            .order_by(Decision.effective_on, Decision.signed_on, Decision.id)
        )
    )


def superseded_ids(decisions: list[Decision]) -> set[int]:
    return {d.supersedes_id for d in decisions if d.supersedes_id is not None}


def in_force(decisions: list[Decision]) -> list[Decision]:
    """The decisions that count: every one not corrected by a later one."""
    replaced = superseded_ids(decisions)
    return [d for d in decisions if d.id not in replaced]


@dataclass(frozen=True)
class Period:
    """A line of the work or salary history (2C items 28 and 31)."""

    start: dt.date
    end: dt.date | None
    text: str
    rank_code: str | None = None
    salary_step: int | None = None
    salary_coefficient: Decimal | None = None
    decision: Decision | None = None


_WORK_KINDS = {
    DecisionKind.RECRUITMENT,
    DecisionKind.TRANSFER_IN,
    DecisionKind.ROTATION,
    DecisionKind.APPOINTMENT,
    DecisionKind.POSITION_PLACEMENT,
    DecisionKind.SECONDMENT,
    DecisionKind.LEAVE,
    DecisionKind.RETURN_FROM_LEAVE,
    DecisionKind.TRANSFER_OUT,
    DecisionKind.RETIREMENT,
    DecisionKind.RESIGNATION,
    DecisionKind.DEATH,
}
_SALARY_KINDS = {DecisionKind.RECRUITMENT, DecisionKind.RANK_PLACEMENT, DecisionKind.SALARY_STEP}


def _periods(decisions: list[Decision], kinds: set[DecisionKind], text: Any) -> list[Period]:
    chosen = [d for d in in_force(decisions) if d.kind in kinds]
    periods = []
    for index, decision in enumerate(chosen):
        following = chosen[index + 1] if index + 1 < len(chosen) else None
        end = following.effective_on - dt.timedelta(days=1) if following else None
        periods.append(
            Period(
                start=decision.effective_on,
                end=end if end is None or end >= decision.effective_on else decision.effective_on,
                text=text(decision),
                rank_code=decision.rank_code,
                salary_step=decision.salary_step,
                salary_coefficient=decision.salary_coefficient,
                decision=decision,
            )
        )
    return periods


def work_history(decisions: list[Decision], unit_names: dict[int, str]) -> list[Period]:
    def describe(decision: Decision) -> str:
        parts = [decision.kind_label]
        if decision.title:
            parts.append(decision.title)
        if decision.unit_id:
            parts.append(unit_names.get(decision.unit_id, ""))
        return " — ".join(part for part in parts if part)

    return _periods(decisions, _WORK_KINDS, describe)


def salary_history(decisions: list[Decision]) -> list[Period]:
    """Item 31: each salary period with the rank then held (a step raise keeps the rank)."""
    periods = _periods(decisions, _SALARY_KINDS, lambda d: d.kind_label)
    carried: list[Period] = []
    rank: str | None = None
    for period in periods:
        rank = period.rank_code or rank
        if period.salary_coefficient is not None or period.rank_code:
            carried.append(replace(period, rank_code=rank))
    return carried


def unit_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
    return {unit_id: name for unit_id, name in rows}


def training_of(employee_id: int) -> list[TrainingRecord]:
    return list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.employee_id == employee_id)
            .order_by(TrainingRecord.started_on, TrainingRecord.id)
        )
    )


def family_of(employee_id: int) -> list[FamilyMember]:
    return list(
        db.session.scalars(
            select(FamilyMember)
            .where(FamilyMember.employee_id == employee_id)
            .order_by(FamilyMember.side, FamilyMember.sort_order, FamilyMember.id)
        )
    )


def trail_of(employee_id: int, *, views: bool, limit: int | None = 200) -> list[AuditEntry]:
    """Changes to the dossier and its parts (``views``: who opened it), newest first."""
    action = AuditEntry.action == "dossier.view"
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.subject == f"employees:{employee_id}",
                action if views else ~action,
            )
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


def employee_exists(employee_id: int) -> bool:
    return db.session.scalar(select(Employee.id).where(Employee.id == employee_id)) is not None


def employee_by_national_id(national_id: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.national_id == national_id))


def unit_for_decision(unit_id: int, on: dt.date) -> Unit | None:
    """The unit if it existed on that date."""
    return db.session.scalar(
        select(Unit).where(
            Unit.id == unit_id,
            Unit.effective_from <= on,
            or_(Unit.effective_to.is_(None), Unit.effective_to >= on),
        )
    )


# Form 2C (the printed personal-history form) ------------------------------------------------


@dataclass(frozen=True)
class DossierParts:
    """The child rows of some dossiers, by employee id, each list in the order the form prints."""

    decisions: dict[int, list[Decision]]
    training: dict[int, list[TrainingRecord]]
    family: dict[int, list[FamilyMember]]


def parts_of(employee_ids: list[int]) -> DossierParts:
    """Decisions, training and family of many dossiers in three queries, whatever their size."""
    parts = DossierParts(
        decisions={i: [] for i in employee_ids},
        training={i: [] for i in employee_ids},
        family={i: [] for i in employee_ids},
    )
    if not employee_ids:
        return parts
    for decision in db.session.scalars(
        select(Decision)
        .where(Decision.employee_id.in_(employee_ids))
        .order_by(Decision.effective_on, Decision.signed_on, Decision.id)
    ):
        parts.decisions[decision.employee_id].append(decision)
    for record in db.session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.employee_id.in_(employee_ids))
        .order_by(TrainingRecord.started_on, TrainingRecord.id)
    ):
        parts.training[record.employee_id].append(record)
    for member in db.session.scalars(
        select(FamilyMember)
        .where(FamilyMember.employee_id.in_(employee_ids))
        .order_by(FamilyMember.side, FamilyMember.sort_order, FamilyMember.id)
    ):
        parts.family[member.employee_id].append(member)
    return parts


#: the documents filed with dossiers, by table name (the attachments feature builds on this one)
_ATTACHMENTS = table(
    "attachments",
    column("id", Integer),
    column("employee_id", Integer),
    column("kind", String),
    column("stored_name", String),
    column("sha256", String),
    column("content_type", String),
    column("withdrawn", Boolean),
)


@dataclass(frozen=True)
class Photo:
    """The 4×6 photo filed with a dossier: the latest one not withdrawn."""

    attachment_id: int
    stored_name: str
    sha256: str
    content_type: str


def photos_of(employee_ids: list[int]) -> dict[int, Photo]:
    """Each dossier's current photo, in one query."""
    if not employee_ids:
        return {}
    a = _ATTACHMENTS.c
    rows = db.session.execute(
        select(a.employee_id, a.id, a.stored_name, a.sha256, a.content_type)
        .where(a.employee_id.in_(employee_ids), a.kind == "photo", a.withdrawn.is_(False))
        .order_by(a.employee_id, a.id)
    )
    # ordered by id: the last row of each person is their latest photo
    return {row[0]: Photo(row[1], row[2], row[3], row[4]) for row in rows}


def sensitive_in_unit(actor: Actor, unit_id: int, limit: int) -> list[Employee]:
    """Dossiers of a unit's subtree whose sensitive parts the actor may see, by name, at most
    ``limit`` of them (each with its unit loaded)."""
    condition = Scope.for_actor(actor, Permission.EMPLOYEES_EDIT).filter(Unit.path)
    if actor.employee_id is not None:
        condition = or_(condition, Employee.id == actor.employee_id)
    query = filtered(actor, {"unit_id": unit_id, "sort": "name"}).where(condition).limit(limit)
    return list(db.session.scalars(query))
