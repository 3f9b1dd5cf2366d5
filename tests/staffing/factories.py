"""Rows for staffing tests, written straight with the models (approved plans included), so these
tests do not depend on the positions feature's services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hrms.employees.models import Decision, DecisionKind, Employee
from hrms.extensions import db
from hrms.staffing.models import CompetencyAssessment, Placement
from positions.models import (
    Competency,
    CompetencyVersion,
    PlanState,
    PositionPlan,
    PositionRequirement,
    RankLimit,
    UnitPosition,
)

PLAN_FROM = dt.date(2025, 1, 1)


def descriptors(name: str) -> dict[str, str]:
    return {f"level_{n}": f"{name}: mức {n}" for n in range(1, 6)}


def competency(
    code: str,
    name: str,
    *,
    family: str = "general",
    ordinal: int = 0,
    effective_from: dt.date = dt.date(2024, 1, 1),
    active: bool = True,
) -> Competency:
    """A competency with its first version."""
    found = Competency(code=code, family=family, ordinal=ordinal, active=active)
    db.session.add(found)
    db.session.flush()
    version(found, effective_from, name)
    db.session.commit()
    return found


def version(competency: Competency, effective_from: dt.date, name: str) -> CompetencyVersion:
    number = len(db.session.query(CompetencyVersion).filter_by(competency_id=competency.id).all())
    made = CompetencyVersion(
        competency_id=competency.id,
        number=number + 1,
        effective_from=effective_from,
        name=name,
        definition=f"Định nghĩa: {name}",
        **descriptors(name),
    )
    db.session.add(made)
    db.session.commit()
    return made


def version_of(competency: Competency, on: dt.date) -> CompetencyVersion:
    versions = (
        db.session.query(CompetencyVersion)
        .filter(
            CompetencyVersion.competency_id == competency.id,
            CompetencyVersion.effective_from <= on,
        )
        .order_by(CompetencyVersion.effective_from.desc())
        .all()
    )
    return versions[0]


def plan(
    unit: Any,
    *,
    state: str = PlanState.APPROVED.value,
    effective_on: dt.date | None = PLAN_FROM,
    number: int | None = None,
    previous: PositionPlan | None = None,
) -> PositionPlan:
    if number is None:
        number = db.session.query(PositionPlan).filter_by(unit_id=unit.id).count() + 1
    made = PositionPlan(
        unit_id=unit.id,
        number=number,
        previous_id=previous.id if previous else None,
        state=state,
        effective_on=effective_on if state == PlanState.APPROVED.value else None,
        approval_number=f"{number}/QĐ-UBND" if state == PlanState.APPROVED.value else None,
    )
    db.session.add(made)
    db.session.commit()
    return made


def position(
    plan: PositionPlan,
    code: str,
    name: str = "Chuyên viên",
    *,
    headcount: int = 1,
    ranks: str = "01.003",
    education_code: str | None = None,
    grp: str = "professional",
    lineage: UnitPosition | None = None,
    requires: dict[Competency, int] | None = None,
    limits: dict[str, int] | None = None,
) -> UnitPosition:
    """A position of ``plan``; ``lineage`` is its earlier version in a previous plan."""
    made = UnitPosition(
        plan_id=plan.id,
        code=code,
        name=name,
        grp=grp,
        rank_codes=ranks,
        headcount=headcount,
        education_code=education_code,
        lineage_id=(lineage.lineage_id or lineage.id) if lineage else None,
    )
    db.session.add(made)
    db.session.flush()
    if made.lineage_id is None:
        made.lineage_id = made.id
    on = plan.effective_on or PLAN_FROM
    for required, level in (requires or {}).items():
        db.session.add(
            PositionRequirement(
                position_id=made.id,
                competency_id=required.id,
                competency_version_id=version_of(required, on).id,
                level=level,
            )
        )
    for rank_code, percent in (limits or {}).items():
        db.session.add(RankLimit(position_id=made.id, rank_code=rank_code, max_percent=percent))
    db.session.commit()
    return made


def placement(
    employee: Employee,
    held: UnitPosition,
    *,
    main: bool = True,
    started_on: dt.date = dt.date(2025, 2, 1),
) -> Placement:
    """A placement with its ledger decision, as the service would write it (no checks)."""
    unit_id = db.session.get(PositionPlan, held.plan_id).unit_id  # type: ignore[union-attr]
    decision = Decision(
        employee_id=employee.id,
        kind=DecisionKind.POSITION_PLACEMENT.value,
        number=f"{employee.id}/QĐ-BT",
        signed_on=started_on,
        issuer="Giám đốc Sở",
        effective_on=started_on,
        title=f"{held.code} — {held.name}",
    )
    db.session.add(decision)
    db.session.flush()
    made = Placement(
        employee_id=employee.id,
        position_id=held.id,
        lineage_id=held.lineage_id or held.id,
        unit_id=unit_id,
        main=main,
        decision_id=decision.id,
        started_on=started_on,
    )
    db.session.add(made)
    if main:
        employee.position_id = held.id
    db.session.commit()
    return made


def assessment(
    employee: Employee,
    assessed: Competency,
    level: int,
    *,
    by: Any,
    on: dt.date = dt.date(2025, 6, 1),
    kind: str = "head",
) -> CompetencyAssessment:
    made = CompetencyAssessment(
        employee_id=employee.id,
        competency_id=assessed.id,
        competency_version_id=version_of(assessed, on).id,
        kind=kind,
        level=level,
        assessed_on=on,
        evidence="Sản phẩm công việc quý II",
        assessed_by=by.id,
    )
    db.session.add(made)
    db.session.commit()
    return made


def person(unit: Any, name: str, **fields: Any) -> Employee:
    from tests.factories import EmployeeFactory

    return EmployeeFactory(unit=unit, full_name=name, **fields)  # type: ignore[no-any-return]


def recruit(employee: Employee, on: dt.date = dt.date(2015, 3, 1)) -> Decision:
    """The recruitment decision of a dossier (the ledger's rules then date everything after it)."""
    made = Decision(
        employee_id=employee.id,
        kind=DecisionKind.RECRUITMENT.value,
        number=f"{employee.id}/QĐ-TD",
        signed_on=on,
        issuer="Giám đốc Sở Nội vụ",
        effective_on=on,
        unit_id=employee.unit_id,
    )
    db.session.add(made)
    employee.recruited_on = on
    db.session.commit()
    return made
