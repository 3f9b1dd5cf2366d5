"""Placing people in positions and assessing their competencies. Services flush, never commit.

A placement is a decision in the person's ledger (kind ``position_placement``), written through
the dossier's own rules, plus a ``Placement`` row that says which position is held until when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hrms.core.dates import format_date, today
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.employees import services as dossiers
from hrms.employees.models import DecisionKind, Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.staffing import queries
from hrms.staffing.models import AssessmentKind, CompetencyAssessment, Placement
from hrms.staffing.policies import can_assess_in, can_place, can_self_assess
from positions.models import (
    PLAN_STATE_LABELS,
    Competency,
    PlanState,
    PositionPlan,
    UnitPosition,
)
from positions.queries import plans_in_force

STALE = _l(
    "Someone else changed this person's dossier or placements in the meantime; nothing was "
    "saved. Reload the page."
)
#: the Vietnamese words decisions use for a concurrent position and for ending one
CONCURRENT_SUFFIX = " (kiêm nhiệm)"
END_PREFIX = "Thôi kiêm nhiệm: "
TITLE_LENGTH = 255


def _title(position: UnitPosition, prefix: str = "", suffix: str = "") -> str:
    """What the work history shows: "<code> — <name>"."""
    text = f"{prefix}{position.code} — {position.name}"
    return text[: TITLE_LENGTH - len(suffix)] + suffix


def _unit_of(employee: Employee) -> Unit:
    unit = db.session.get(Unit, employee.unit_id)
    assert unit is not None
    return unit


def _check_position(position: UnitPosition | None, unit: Unit, on: dt.date) -> UnitPosition:
    """The position must be one of the unit's approved plan in force on ``on``."""
    if position is None:
        raise DomainError("position_id", _l("Choose a position of the unit's approved plan."))
    plan = db.session.get(PositionPlan, position.plan_id)
    assert plan is not None
    if plan.unit_id != unit.id:
        other = db.session.get(Unit, plan.unit_id)
        raise DomainError(
            "position_id",
            _l(
                "This is a position of another unit (%(unit)s); people are placed in positions "
                "of their own unit (%(own)s).",
                unit=other.name if other else "?",
                own=unit.name,
            ),
        )
    if plan.state != PlanState.APPROVED.value:
        raise DomainError(
            "position_id",
            _l(
                "This position belongs to a plan that is not approved (%(state)s); only "
                "positions of an approved plan can be filled.",
                state=PLAN_STATE_LABELS[PlanState(plan.state)],
            ),
        )
    in_force = plans_in_force([unit.id], on).get(unit.id)
    if in_force is None or in_force.id != plan.id:
        assert plan.effective_on is not None
        if plan.effective_on > on:
            raise DomainError(
                "position_id",
                _l(
                    "This position's plan takes effect on %(date)s, after the placement date.",
                    date=format_date(plan.effective_on),
                ),
            )
        assert in_force is not None
        raise DomainError(
            "position_id",
            _l(
                "This position's plan was replaced by version %(number)s from %(date)s; choose "
                "a position of the plan in force.",
                number=in_force.number,
                date=format_date(in_force.effective_on),
            ),
        )
    return position


def place(actor: Actor, employee: Employee, data: dict[str, Any]) -> Placement:
    """Place the person in a position of their unit's approved plan in force, as their main
    position (ending the previous one) or a concurrent one, with a decision in their ledger.

    Placing beyond the approved headcount is allowed: the staffing table shows it as "over"
    (people already at work must all be placed in the 2027 exercise; the plan or the people
    then move). ``version`` is the dossier's version the user saw (a stale one: 409); the
    schema requires it of forms and the API, seeding code may leave it out."""
    unit = _unit_of(employee)
    if not can_place(actor, unit.path):
        raise DomainError(FORM, _l("You may place people only in units you manage."))
    if data.get("version") is not None:  # always sent by the form and the API (schema)
        check_version(employee, data["version"], STALE)
    if employee.status not in queries.IN_SERVICE:
        raise DomainError(FORM, _l("Only people in service can be placed in a position."))
    effective: dt.date = data["effective_on"]
    position = _check_position(db.session.get(UnitPosition, data["position_id"]), unit, effective)
    lineage = queries.lineage_of(position)
    main: bool = data["main"]
    current = queries.open_placements(employee.id)
    same = next((p for p in current if p.lineage_id == lineage), None)
    if same is not None and same.main and not main:
        raise DomainError(
            "position_id",
            _l("This is the person's main position; a concurrent one must be another position."),
        )
    if same is not None and same.main == main:
        raise DomainError(
            "position_id",
            _l(
                "The person already holds this position (since %(date)s).",
                date=format_date(same.started_on),
            ),
        )
    if same is not None:
        raise DomainError(
            "position_id",
            _l(
                "The person holds this position concurrently; end that placement before making "
                "it their main position."
            ),
        )
    previous = next((p for p in current if p.main), None) if main else None
    if previous is not None and effective <= previous.started_on:
        raise DomainError(
            "effective_on",
            _l(
                "The person holds their current main position since %(date)s; the new placement "
                "must take effect after that.",
                date=format_date(previous.started_on),
            ),
        )
    decision = dossiers.add_authorised_decision(
        employee,
        {
            "kind": DecisionKind.POSITION_PLACEMENT.value,
            "number": data["number"],
            "signed_on": data["signed_on"],
            "issuer": data["issuer"],
            "effective_on": effective,
            "title": _title(position, suffix="" if main else CONCURRENT_SUFFIX),
            "note": data.get("note"),
        },
    )
    if previous is not None:
        previous.ended_on = effective - dt.timedelta(days=1)
        previous.ended_by_decision_id = decision.id
        db.session.flush()  # one open main placement at a time: end the old one first
    placement = Placement(
        employee_id=employee.id,
        position_id=position.id,
        lineage_id=lineage,
        unit_id=unit.id,
        main=main,
        decision_id=decision.id,
        started_on=effective,
    )
    db.session.add(placement)
    if main:
        employee.position_id = position.id
    flush_or_conflict(STALE)
    return placement


def end_placement(actor: Actor, placement: Placement, data: dict[str, Any]) -> Placement:
    """End a concurrent placement with a decision; ``effective_on`` is the first day the person
    no longer holds the position. A main position ends only with the next placement."""
    unit = db.session.get(Unit, placement.unit_id)
    if unit is None or not can_place(actor, unit.path):
        raise DomainError(FORM, _l("You may end placements only in units you manage."))
    if placement.ended_on is not None:
        raise DomainError(FORM, _l("This placement has already ended."))
    if placement.main:
        raise DomainError(
            FORM, _l("A main position ends when the person is placed in another one.")
        )
    effective: dt.date = data["effective_on"]
    if effective <= placement.started_on:
        raise DomainError(
            "effective_on",
            _l(
                "The placement started on %(date)s; it can end only after that.",
                date=format_date(placement.started_on),
            ),
        )
    employee = db.session.get(Employee, placement.employee_id)
    position = db.session.get(UnitPosition, placement.position_id)
    assert employee is not None and position is not None
    decision = dossiers.add_authorised_decision(
        employee,
        {
            "kind": DecisionKind.POSITION_PLACEMENT.value,
            "number": data["number"],
            "signed_on": data["signed_on"],
            "issuer": data["issuer"],
            "effective_on": effective,
            "title": _title(position, prefix=END_PREFIX),
            "note": data.get("note"),
        },
    )
    placement.ended_on = effective - dt.timedelta(days=1)
    placement.ended_by_decision_id = decision.id
    flush_or_conflict(STALE)
    return placement


def assess(actor: Actor, employee: Employee, data: dict[str, Any]) -> CompetencyAssessment:
    """Record a level (1-5) in one competency, against the version in force on the date: the
    unit head's assessment, or the person's own (``kind`` self). Never edits an earlier one."""
    kind = AssessmentKind(data["kind"])
    if kind is AssessmentKind.HEAD:
        if not can_assess_in(actor, _unit_of(employee).path):
            raise DomainError(FORM, _l("You may assess only the people of units you head."))
        if actor.employee_id == employee.id:
            raise DomainError(
                FORM,
                _l(
                    "Your own competencies are assessed by your superior; record a "
                    "self-assessment instead."
                ),
            )
    elif not can_self_assess(actor, employee.id):
        raise DomainError(FORM, _l("Only the person themself records a self-assessment."))
    on: dt.date = data["assessed_on"]
    if on > today():
        raise DomainError("assessed_on", _l("The assessment date is in the future."))
    competency = db.session.get(Competency, data["competency_id"])
    if competency is None:
        raise DomainError("competency_id", _l("Choose a competency of the dictionary."))
    if not competency.active:
        raise DomainError(
            "competency_id", _l("This competency is retired; it is no longer assessed.")
        )
    version = queries.version_in_force(competency.id, on)
    if version is None:
        first = queries.first_version(competency.id)
        raise DomainError(
            "assessed_on",
            _l(
                "This competency is in force only from %(date)s.",
                date=format_date(first.effective_from) if first else "?",
            ),
        )
    asked = data.get("competency_version_id")
    if asked is not None and asked != version.id:
        raise DomainError(
            "competency_version_id",
            _l(
                "This is not the version of the competency in force on %(date)s (version "
                "%(number)s is); levels are judged against the version in force.",
                date=format_date(on),
                number=version.number,
            ),
        )
    assessment = CompetencyAssessment(
        employee_id=employee.id,
        competency_id=competency.id,
        competency_version_id=version.id,
        kind=kind.value,
        level=data["level"],
        assessed_on=on,
        evidence=data.get("evidence"),
        assessed_by=actor.id,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def follow_new_plan(plan: PositionPlan, **_signal: Any) -> None:
    """When a new plan version of a unit is approved, the open placements of the unit follow
    their positions into it (same lineage), and so does each person's main position.

    Connected to ``positions.services.plan_approved``; runs in the approval's transaction.
    Placements whose position the new version no longer has stay as they are: their holders
    show as not yet placed in the staffing table until placed again."""
    successors = {
        queries.lineage_of(position): position
        for position in db.session.scalars(
            select(UnitPosition).where(UnitPosition.plan_id == plan.id)
        )
    }
    if not successors:
        return
    moving = db.session.scalars(
        select(Placement).where(
            Placement.unit_id == plan.unit_id,
            Placement.ended_on.is_(None),
            Placement.lineage_id.in_(list(successors)),
        )
    ).all()
    main_moves: dict[int, int] = {}
    for placement in moving:
        successor = successors[placement.lineage_id]
        if placement.position_id == successor.id:
            continue
        placement.position_id = successor.id
        if placement.main:
            main_moves[placement.employee_id] = successor.id
    if main_moves:
        for employee in db.session.scalars(
            select(Employee).where(Employee.id.in_(list(main_moves)))
        ):
            employee.position_id = main_moves[employee.id]
    db.session.flush()
