"""Writes of the positions feature: the rules, the refusals (next to the field at fault) and the
audit (every model is ``Audited``). Services never commit: the request wrapper does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hrms.core.dates import format_date, today
from hrms.core.db import utcnow
from hrms.core.errors import FORM, ConflictError, DomainError, ValidationFailed
from hrms.core.security import Actor
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.extensions import db
from positions import queries
from positions.models import (
    LEVELS,
    Competency,
    CompetencyVersion,
    FrameworkPosition,
    FrameworkRequirement,
    FrameworkTask,
    PlanState,
    PositionOutput,
    PositionPlan,
    PositionRequirement,
    PositionTask,
    RankLimit,
    UnitPosition,
)
from positions.policies import can_approve_plan, can_draft_plan, can_manage_dictionary

# Competency dictionary and framework catalogue ---------------------------------------------------

STALE_COMPETENCY = _l(
    "Someone added a version of this competency meanwhile. Reload the page and read it first."
)
STALE_FRAMEWORK = _l(
    "This catalogue position was changed by someone else meanwhile. Reload the page and make "
    "your changes again."
)
#: the fields that make up what a competency version says
WORDING = ("name", "definition", "level_1", "level_2", "level_3", "level_4", "level_5")


def _must_manage(actor: Actor) -> None:
    if not can_manage_dictionary(actor):
        raise DomainError(
            FORM, _l("Only administrators may change the competency dictionary and the catalogue.")
        )


def _code(value: str) -> str:
    return value.strip().upper()


def _flush(field: str, message: Any, *, conflict: bool = False) -> None:
    """Flush in a savepoint: a uniqueness race refused by the database becomes a refusal (the
    session stays usable to show it)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise (ConflictError if conflict else DomainError)(field, message) from None


def create_competency(actor: Actor, data: dict[str, Any]) -> Competency:
    """A new competency with its first version (number 1)."""
    _must_manage(actor)
    code = _code(data["code"])
    taken = _l("Another competency already has this code.")
    if queries.competency_by_code(code) is not None:
        raise DomainError("code", taken)
    last = db.session.scalar(select(func.max(Competency.ordinal)))
    competency = Competency(code=code, family=data["family"], ordinal=(last or 0) + 1, active=True)
    competency.versions.append(
        CompetencyVersion(
            number=1,
            effective_from=data["effective_from"],
            change_note=data.get("change_note"),
            **{name: data[name] for name in WORDING},
        )
    )
    db.session.add(competency)
    _flush("code", taken)
    return competency


def add_competency_version(
    actor: Actor, competency: Competency, data: dict[str, Any]
) -> CompetencyVersion:
    """A new wording of a competency, in force from a date after the latest version's. Older
    versions are never changed: requirements and assessments keep pointing at them."""
    _must_manage(actor)
    latest = queries.latest_version(competency)
    if latest is not None:
        if data.get("based_on") is not None and data["based_on"] != latest.number:
            raise ConflictError(FORM, STALE_COMPETENCY)
        if data["effective_from"] <= latest.effective_from:
            raise DomainError(
                "effective_from",
                _l(
                    "A new version must take effect after the latest one (%(date)s).",
                    date=format_date(latest.effective_from),
                ),
            )
        if all(getattr(latest, name) == data[name] for name in WORDING):
            raise DomainError(
                FORM, _l("This wording is the same as the latest version's; change something.")
            )
    version = CompetencyVersion(
        competency_id=competency.id,
        number=(latest.number if latest else 0) + 1,
        effective_from=data["effective_from"],
        change_note=data.get("change_note"),
        **{name: data[name] for name in WORDING},
    )
    db.session.add(version)
    _flush(FORM, STALE_COMPETENCY, conflict=True)
    return version


def set_competency_active(actor: Actor, competency: Competency, active: bool) -> Competency:
    """Retire a competency (it stays for history, no new requirement may use it) or bring it
    back."""
    _must_manage(actor)
    competency.active = active
    db.session.flush()
    return competency


def framework_stamp(position: FrameworkPosition) -> str:
    """The last-change time of a catalogue position, which an editor sends back: a save over a
    change made meanwhile is a conflict, never a silent overwrite."""
    return position.updated_at.isoformat() if position.updated_at else ""


def _requirements(
    data: dict[str, Any], position: FrameworkPosition | None
) -> list[tuple[int, int]]:
    """The required (competency id, level) pairs, every problem reported beside its line."""
    wanted = data.get("requirements") or []
    known = queries.competencies_by_id(r["competency_id"] for r in wanted)
    already = {r.competency_id for r in position.requirements} if position is not None else set()
    errors: dict[str, list[Any]] = {}
    seen: set[int] = set()
    result = []
    for index, requirement in enumerate(wanted):
        field = f"requirements.{index}.competency_id"
        competency = known.get(requirement["competency_id"])
        if competency is None:
            errors[field] = [_l("There is no such competency.")]
        elif not competency.active and competency.id not in already:
            errors[field] = [_l("This competency is retired: new requirements may not use it.")]
        elif competency.id in seen:
            errors[field] = [_l("This competency is already required above.")]
        if requirement["level"] not in LEVELS:
            errors[f"requirements.{index}.level"] = [
                _l("Choose a level from 1 (lowest) to 5 (highest).")
            ]
        if competency is not None:
            seen.add(competency.id)
        result.append((requirement["competency_id"], requirement["level"]))
    if errors:
        raise ValidationFailed(errors)
    return result


def _fill(
    position: FrameworkPosition, data: dict[str, Any], required: list[tuple[int, int]]
) -> None:
    position.code = _code(data["code"])
    position.grp = data["group"]
    position.title = data["title"]
    position.rank_codes = ",".join(data["rank_codes"])
    position.objective = data.get("objective")
    position.source = data.get("source")
    tasks = data.get("tasks") or []
    for ordinal, (task, given) in enumerate(zip(position.tasks, tasks, strict=False), start=1):
        task.ordinal = ordinal
        task.description = given["description"]
        task.output_name = given.get("output_name")
        task.unit_of_measure = given.get("unit_of_measure")
    for ordinal, given in enumerate(tasks[len(position.tasks) :], start=len(position.tasks) + 1):
        position.tasks.append(
            FrameworkTask(
                ordinal=ordinal,
                description=given["description"],
                output_name=given.get("output_name"),
                unit_of_measure=given.get("unit_of_measure"),
            )
        )
    del position.tasks[len(tasks) :]
    # requirements are kept by competency (one row each): changed in place, never re-inserted
    levels = dict(required)
    for requirement in list(position.requirements):
        if requirement.competency_id in levels:
            requirement.level = levels.pop(requirement.competency_id)
        else:
            position.requirements.remove(requirement)
    for competency_id, level in levels.items():
        position.requirements.append(FrameworkRequirement(competency_id=competency_id, level=level))


def _check_code(code: str, position: FrameworkPosition | None) -> None:
    other = queries.framework_position_by_code(code)
    if other is not None and (position is None or other.id != position.id):
        raise DomainError("code", _l("Another catalogue position already has this code."))


def create_framework_position(actor: Actor, data: dict[str, Any]) -> FrameworkPosition:
    """A catalogue position with its default tasks and required levels."""
    _must_manage(actor)
    _check_code(_code(data["code"]), None)
    required = _requirements(data, None)
    position = FrameworkPosition(active=True, tasks=[], requirements=[])
    _fill(position, data, required)
    db.session.add(position)
    _flush("code", _l("Another catalogue position already has this code."))
    return position


def update_framework_position(
    actor: Actor, position: FrameworkPosition, data: dict[str, Any]
) -> FrameworkPosition:
    """Change a catalogue position; its tasks and required levels become those given. Unit
    positions already taken from it keep their own copies."""
    _must_manage(actor)
    if data.get("stamp") is not None and data["stamp"] != framework_stamp(position):
        raise ConflictError(FORM, STALE_FRAMEWORK)
    _check_code(_code(data["code"]), position)
    required = _requirements(data, position)
    _fill(position, data, required)
    position.updated_at = utcnow()  # a change of tasks alone is a change of the position
    _flush("code", _l("Another catalogue position already has this code."))
    return position


def set_framework_position_active(
    actor: Actor, position: FrameworkPosition, active: bool
) -> FrameworkPosition:
    """Withdraw a catalogue position (it is no longer offered) or bring it back."""
    _must_manage(actor)
    position.active = active
    position.updated_at = utcnow()
    db.session.flush()
    return position


@dataclass(frozen=True)
class DefaultRequirement:
    competency: Competency
    #: the competency's version in force on the day asked for
    version: CompetencyVersion
    level: int


@dataclass(frozen=True)
class FrameworkDefaults:
    """What a unit position taken from the catalogue starts with."""

    position: FrameworkPosition
    tasks: list[FrameworkTask]
    requirements: list[DefaultRequirement]
    #: default requirements left out: their competency is retired, or has no version in force
    left_out: list[Competency]


def framework_defaults(framework_position_id: int, on: dt.date) -> FrameworkDefaults | None:
    """A catalogue position's default tasks and required levels, each requirement resolved to
    its competency's version in force on ``on`` (None when there is no such position). A fixed
    number of queries."""
    position = queries.framework_position(framework_position_id)
    if position is None:
        return None
    current = queries.versions_in_force(on)
    competencies = queries.competencies_by_id(r.competency_id for r in position.requirements)
    requirements: list[DefaultRequirement] = []
    left_out: list[Competency] = []
    for requirement in position.requirements:
        competency = competencies[requirement.competency_id]
        version = current.get(competency.id)
        if version is None or not competency.active:
            left_out.append(competency)
        else:
            requirements.append(DefaultRequirement(competency, version, requirement.level))
    order = queries.FAMILY_ORDER
    requirements.sort(
        key=lambda r: (order.index(r.competency.family), r.competency.ordinal, r.competency.code)
    )
    return FrameworkDefaults(position, list(position.tasks), requirements, left_out)


# Position plans and unit positions --------------------------------------------------------------

#: key in ``current_app.extensions`` of the occupancy counter registered by the staffing feature:
#: a callable taking a list of lineage ids and answering ``{lineage_id: people placed}``
OCCUPANCY = "positions.occupancy"

signals = Namespace()
#: sent after a plan is approved (and flushed): ``plan_approved.send(plan, previous=...)``, where
#: ``previous`` is the approved version it replaces, or None for a unit's first plan
plan_approved = signals.signal("plan-approved")

STALE_PLAN = _l("This plan was changed by someone else meanwhile. Reload the page and try again.")
STALE_POSITION = _l(
    "This position was changed by someone else meanwhile. Reload the page and try again."
)
#: a position's own columns that the input sets as they are
POSITION_COLUMNS = (
    "code",
    "name",
    "grp",
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


def placed_counts(lineage_ids: Iterable[int | None]) -> dict[int, int]:
    """People placed now in each position lineage, as the staffing feature counts them (this
    package knows nothing of people); empty when no counter is registered."""
    ids = sorted({lineage for lineage in lineage_ids if lineage is not None})
    counter = current_app.extensions.get(OCCUPANCY)
    if counter is None or not ids:
        return {}
    return {int(lineage): int(count) for lineage, count in counter(ids).items()}


def _unit_of(plan: PositionPlan) -> queries.UnitRow:
    unit = queries.unit_row(plan.unit_id)
    assert unit is not None  # a plan's unit is a foreign key
    return unit


def _check_drafter(actor: Actor, plan: PositionPlan) -> None:
    if not can_draft_plan(actor, _unit_of(plan).path):
        raise DomainError(FORM, _l("You may not draft the position plan of this unit."))


def _check_approver(actor: Actor, plan: PositionPlan) -> None:
    if not can_approve_plan(actor, _unit_of(plan).path):
        raise DomainError(FORM, _l("You may not approve or return the plans of this unit."))


def _check_editable(plan: PositionPlan) -> None:
    if plan.state == PlanState.APPROVED.value:
        raise DomainError(
            FORM,
            _l("This plan is approved and can no longer be changed: start a new version."),
        )
    if plan.state == PlanState.SUBMITTED.value:
        raise DomainError(
            FORM,
            _l("This plan is waiting for approval: it can be changed only if it is returned."),
        )


def _touch(record: PositionPlan | UnitPosition) -> None:
    """Mark the row changed so its version moves on (and a concurrent save is a conflict), also
    when only its child rows changed."""
    record.updated_at = utcnow()


def create_plan(actor: Actor, unit_id: int, data: dict[str, Any]) -> PositionPlan:
    """A draft plan for the unit; when the unit has an approved plan, its next version, with a
    copy of every position (same lineage) to change."""
    unit = queries.unit_row(unit_id)
    if unit is None or not can_draft_plan(actor, unit.path):
        raise DomainError("unit_id", _l("Choose a unit whose position plan you may draft."))
    if not unit.is_open:
        raise DomainError("unit_id", _l("This unit is closed: it takes no new position plan."))
    if queries.open_plan(unit_id) is not None:
        raise DomainError(
            "unit_id",
            _l(
                "This unit already has a plan version being drafted or waiting for approval: "
                "finish that one first."
            ),
        )
    previous = queries.latest_approved(unit_id)
    plan = PositionPlan(
        unit_id=unit_id,
        number=queries.last_plan_number(unit_id) + 1,
        previous_id=previous.id if previous else None,
        state=PlanState.DRAFT.value,
        note=data.get("note"),
    )
    db.session.add(plan)
    if previous is not None:
        for source in queries.plan_positions(previous.id, full=True):
            plan.positions.append(_copy_position(source))
    db.session.flush()
    return plan


def _copy_position(source: UnitPosition) -> UnitPosition:
    copy = UnitPosition(
        lineage_id=source.lineage_id or source.id,
        framework_position_id=source.framework_position_id,
        rank_codes=source.rank_codes,
        **{name: getattr(source, name) for name in POSITION_COLUMNS},
    )
    for task in source.tasks:
        new_task = PositionTask(ordinal=task.ordinal, description=task.description)
        new_task.outputs = [
            PositionOutput(
                name=output.name,
                unit_of_measure=output.unit_of_measure,
                conversion_factor=output.conversion_factor,
                monthly_quantity=output.monthly_quantity,
            )
            for output in task.outputs
        ]
        copy.tasks.append(new_task)
    copy.requirements = [
        PositionRequirement(
            competency_id=requirement.competency_id,
            competency_version_id=requirement.competency_version_id,
            level=requirement.level,
        )
        for requirement in source.requirements
    ]
    copy.rank_limits = [
        RankLimit(rank_code=limit.rank_code, max_percent=limit.max_percent)
        for limit in source.rank_limits
    ]
    return copy


def _add_error(errors: dict[str, list[Any]], field: str, message: Any) -> None:
    errors.setdefault(field, []).append(message)


def _check_requirements(
    items: list[dict[str, Any]], errors: dict[str, list[Any]]
) -> dict[int, CompetencyVersion]:
    """Each requirement points at the version in force today of an active competency, one
    requirement per competency. Returns the versions by id."""
    versions = queries.competency_versions(item["competency_version_id"] for item in items)
    in_force = queries.versions_in_force(today())
    seen: set[int] = set()
    for index, item in enumerate(items):
        field = f"requirements.{index}.competency_version_id"
        version = versions.get(item["competency_version_id"])
        if version is None:
            _add_error(errors, field, _l("Choose a competency of the dictionary."))
            continue
        current = in_force.get(version.competency_id)
        if not version.competency.active:
            _add_error(
                errors, field, _l("This competency is retired: it may not be required any more.")
            )
        elif current is None or current.id != version.id:
            _add_error(
                errors,
                field,
                _l(
                    "A competency from another version: a requirement must refer to the "
                    "version in force today."
                ),
            )
        if version.competency_id in seen:
            _add_error(
                errors,
                field,
                _l("This competency is already required above: give one level per competency."),
            )
        seen.add(version.competency_id)
    return versions


def _check_rank_limits(
    items: list[dict[str, Any]], rank_codes: list[str], errors: dict[str, list[Any]]
) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        field = f"rank_limits.{index}.rank_code"
        code = item["rank_code"].upper()
        if code not in rank_codes:
            _add_error(errors, field, _l("Only a rank listed for the position can be limited."))
        if code in seen:
            _add_error(errors, field, _l("This rank is already limited above."))
        seen.add(code)


def _validate_position(
    plan: PositionPlan, position: UnitPosition | None, data: dict[str, Any]
) -> dict[int, CompetencyVersion]:
    """Every rule on a position's input at once: refusals beside each field, nothing saved."""
    errors: dict[str, list[Any]] = {}
    if "code" in data:
        taken = db.session.scalar(
            select(UnitPosition.id).where(
                UnitPosition.plan_id == plan.id,
                UnitPosition.code == data["code"],
                UnitPosition.id != (position.id if position else -1),
            )
        )
        if taken is not None:
            _add_error(errors, "code", _l("Another position of this plan has this code."))
    if position is not None and "headcount" in data:
        placed = placed_counts([position.lineage_id]).get(position.lineage_id or 0, 0)
        if data["headcount"] < placed:
            _add_error(
                errors,
                "headcount",
                _l(
                    "%(placed)s people are placed in this position: the headcount cannot be "
                    "lower than that.",
                    placed=placed,
                ),
            )
    versions = _check_requirements(data["requirements"], errors) if "requirements" in data else {}
    if "rank_limits" in data:
        rank_codes = data.get("rank_codes", position.rank_list if position else [])
        _check_rank_limits(data["rank_limits"], [c.upper() for c in rank_codes], errors)
    elif "rank_codes" in data and position is not None:
        kept = {limit.rank_code for limit in position.rank_limits}
        if kept - {c.upper() for c in data["rank_codes"]}:
            _add_error(
                errors,
                "rank_codes",
                _l("A rank with a rank-ratio limit must stay listed; remove its limit first."),
            )
    if errors:
        raise ValidationFailed(errors)
    return versions


def _apply(
    position: UnitPosition, data: dict[str, Any], versions: dict[int, CompetencyVersion]
) -> None:
    for name in POSITION_COLUMNS:
        if name in data:
            setattr(position, name, data[name])
    if "rank_codes" in data:
        position.rank_codes = ",".join(code.upper() for code in data["rank_codes"])
    if "tasks" in data:
        _replace_tasks(position, data["tasks"])
    if "requirements" in data:
        _replace_requirements(position, data["requirements"], versions)
    if "rank_limits" in data:
        _replace_rank_limits(position, data["rank_limits"])


def _replace_tasks(position: UnitPosition, items: list[dict[str, Any]]) -> None:
    """Tasks in the order given; rows are reused in place so the audit shows what changed."""
    existing = list(position.tasks)
    for index, item in enumerate(items):
        if index < len(existing):
            task = existing[index]
        else:
            task = PositionTask()
            position.tasks.append(task)
        task.ordinal = index + 1
        task.description = item["description"]
        outputs = list(task.outputs)
        for number, values in enumerate(item.get("outputs") or []):
            if number < len(outputs):
                output = outputs[number]
            else:
                output = PositionOutput()
                task.outputs.append(output)
            output.name = values["name"]
            output.unit_of_measure = values["unit_of_measure"]
            output.conversion_factor = values.get("conversion_factor") or Decimal(1)
            output.monthly_quantity = values.get("monthly_quantity")
        for output in outputs[len(item.get("outputs") or []) :]:
            task.outputs.remove(output)
    for task in existing[len(items) :]:
        position.tasks.remove(task)


def _replace_requirements(
    position: UnitPosition, items: list[dict[str, Any]], versions: dict[int, CompetencyVersion]
) -> None:
    """One row per competency, kept in place when the competency stays required."""
    by_competency = {r.competency_id: r for r in position.requirements}
    wanted: set[int] = set()
    for item in items:
        version = versions[item["competency_version_id"]]
        requirement = by_competency.get(version.competency_id)
        if requirement is None:
            requirement = PositionRequirement(competency_id=version.competency_id)
            position.requirements.append(requirement)
        requirement.competency_version = version
        requirement.level = item["level"]
        wanted.add(version.competency_id)
    for requirement in list(position.requirements):
        if requirement.competency_id not in wanted:
            position.requirements.remove(requirement)


def _replace_rank_limits(position: UnitPosition, items: list[dict[str, Any]]) -> None:
    by_rank = {limit.rank_code: limit for limit in position.rank_limits}
    wanted: set[str] = set()
    for item in items:
        code = item["rank_code"].upper()
        limit = by_rank.get(code)
        if limit is None:
            limit = RankLimit(rank_code=code)
            position.rank_limits.append(limit)
        limit.max_percent = item["max_percent"]
        wanted.add(code)
    for limit in list(position.rank_limits):
        if limit.rank_code not in wanted:
            position.rank_limits.remove(limit)


def _create_position(
    actor: Actor,
    plan: PositionPlan,
    data: dict[str, Any],
    framework_position_id: int | None = None,
) -> UnitPosition:
    _check_drafter(actor, plan)
    _check_editable(plan)
    versions = _validate_position(plan, None, data)
    position = UnitPosition(plan_id=plan.id, framework_position_id=framework_position_id)
    _apply(position, data, versions)
    plan.positions.append(position)
    _touch(plan)
    flush_or_conflict(STALE_PLAN)
    position.lineage_id = position.id  # a new position starts its own lineage
    db.session.flush()
    return position


def add_position(actor: Actor, plan: PositionPlan, data: dict[str, Any]) -> UnitPosition:
    """A position defined locally in a draft (or returned) plan."""
    return _create_position(actor, plan, data)


def add_from_catalogue(
    actor: Actor, plan: PositionPlan, framework_position_id: int, data: dict[str, Any]
) -> UnitPosition:
    """A position taken from the framework catalogue: its title, group, ranks, objective, tasks
    (with their usual output) and required levels, resolved to the competency versions in force
    today (retired competencies are left out); the unit gives the code and headcount."""
    defaults = framework_defaults(framework_position_id, today())
    if defaults is None or not defaults.position.active:
        raise DomainError("framework_position_id", _l("Choose a position of the catalogue."))
    framework = defaults.position
    tasks = [
        {
            "description": task.description,
            "outputs": (
                [
                    {
                        "name": task.output_name,
                        "unit_of_measure": task.unit_of_measure or "sản phẩm",
                        "conversion_factor": Decimal(1),
                        "monthly_quantity": None,
                    }
                ]
                if task.output_name
                else []
            ),
        }
        for task in defaults.tasks
    ]
    payload = {
        "code": data["code"],
        "headcount": data["headcount"],
        "name": framework.title,
        "grp": framework.grp,
        "rank_codes": framework.rank_list,
        "objective": framework.objective,
        "tasks": tasks,
        "requirements": [
            {"competency_version_id": r.version.id, "level": r.level} for r in defaults.requirements
        ],
    }
    return _create_position(actor, plan, payload, framework_position_id=framework.id)


def update_position(actor: Actor, position: UnitPosition, data: dict[str, Any]) -> UnitPosition:
    """Change a position of a draft (or returned) plan: the fields given replace the stored ones,
    lists (tasks with their outputs, requirements, rank limits) as a whole."""
    plan = position.plan
    _check_drafter(actor, plan)
    _check_editable(plan)
    check_version(position, data["version"], STALE_POSITION)
    versions = _validate_position(plan, position, data)
    _apply(position, data, versions)
    _touch(position)
    _touch(plan)
    flush_or_conflict(STALE_POSITION)
    return position


def remove_position(actor: Actor, position: UnitPosition) -> PositionPlan:
    """Take a position out of a draft (or returned) plan; refused while people are placed in
    it (its lineage)."""
    plan = position.plan
    _check_drafter(actor, plan)
    _check_editable(plan)
    placed = placed_counts([position.lineage_id]).get(position.lineage_id or 0, 0)
    if placed:
        raise DomainError(
            FORM,
            _l(
                "%(placed)s people are placed in this position: move them before removing it.",
                placed=placed,
            ),
        )
    plan.positions.remove(position)
    _touch(plan)
    flush_or_conflict(STALE_PLAN)
    return plan


def _check_placed(plan: PositionPlan) -> None:
    """No position may end below the people placed in it, nor disappear with people in it."""
    if current_app.extensions.get(OCCUPANCY) is None:
        return
    positions = queries.plan_positions(plan.id)
    replaced = queries.plan_positions(plan.previous_id) if plan.previous_id else []
    by_lineage = {p.lineage_id or p.id: p for p in positions}
    names = {p.lineage_id or p.id: p for p in replaced} | by_lineage
    problems = []
    for lineage, placed in sorted(placed_counts(names).items()):
        if placed <= 0 or lineage not in names:
            continue
        position = by_lineage.get(lineage)
        if position is None:
            problems.append(
                _(
                    "%(code)s %(name)s is removed but %(placed)s people are placed in it",
                    code=names[lineage].code,
                    name=names[lineage].name,
                    placed=placed,
                )
            )
        elif position.headcount < placed:
            problems.append(
                _(
                    "%(code)s %(name)s has a headcount of %(headcount)s for %(placed)s "
                    "people placed",
                    code=position.code,
                    name=position.name,
                    headcount=position.headcount,
                    placed=placed,
                )
            )
    if problems:
        raise DomainError(
            FORM,
            _(
                "The headcount cannot fall below the people already placed: %(problems)s.",
                problems="; ".join(problems),
            ),
        )


def submit_plan(actor: Actor, plan: PositionPlan, data: dict[str, Any]) -> PositionPlan:
    """Send a draft (or returned) plan for approval."""
    _check_drafter(actor, plan)
    check_version(plan, data["version"], STALE_PLAN)
    if not plan.editable:
        raise DomainError(FORM, _l("Only a draft or a returned plan can be submitted."))
    if not plan.positions:
        raise DomainError(FORM, _l("Add at least one position before submitting the plan."))
    _check_placed(plan)
    plan.state = PlanState.SUBMITTED.value
    plan.submitted_by = actor.id
    plan.submitted_at = utcnow()
    flush_or_conflict(STALE_PLAN)
    return plan


def _check_decidable(actor: Actor, plan: PositionPlan, data: dict[str, Any]) -> None:
    _check_approver(actor, plan)
    check_version(plan, data["version"], STALE_PLAN)
    if plan.state != PlanState.SUBMITTED.value:
        raise DomainError(FORM, _l("Only a submitted plan can be approved or returned."))


def approve_plan(actor: Actor, plan: PositionPlan, data: dict[str, Any]) -> PositionPlan:
    """Approve a submitted plan from ``effective_on``; it is then immutable. Signals
    ``plan_approved`` so placements can follow their positions to the new version."""
    _check_decidable(actor, plan, data)
    if plan.submitted_by == actor.id:
        raise DomainError(
            FORM, _l("You submitted this plan: approving one's own submission is not allowed.")
        )
    previous = db.session.get(PositionPlan, plan.previous_id) if plan.previous_id else None
    if (
        previous is not None
        and previous.effective_on is not None
        and data["effective_on"] < previous.effective_on
    ):
        raise DomainError(
            "effective_on",
            _l(
                "The plan cannot take effect before the version it replaces (%(date)s).",
                date=format_date(previous.effective_on),
            ),
        )
    _check_placed(plan)
    plan.state = PlanState.APPROVED.value
    plan.effective_on = data["effective_on"]
    plan.approval_number = data.get("approval_number")
    plan.decision_comment = data.get("comment")
    plan.decided_by = actor.id
    plan.decided_at = utcnow()
    flush_or_conflict(STALE_PLAN)
    plan_approved.send(plan, previous=previous)
    return plan


def return_plan(actor: Actor, plan: PositionPlan, data: dict[str, Any]) -> PositionPlan:
    """Send a submitted plan back to its drafters with the approver's comments."""
    _check_decidable(actor, plan, data)
    if not (data.get("comment") or "").strip():
        raise DomainError("comment", _l("Say what must be changed before approval."))
    plan.state = PlanState.RETURNED.value
    plan.decision_comment = data["comment"]
    plan.decided_by = actor.id
    plan.decided_at = utcnow()
    flush_or_conflict(STALE_PLAN)
    return plan
