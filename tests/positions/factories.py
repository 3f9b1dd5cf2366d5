"""Rows for positions tests, written straight with the models (shared by the helpers of the
positions feature: append only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hrms.extensions import db
from positions.models import (
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

# Position plans and unit positions (helper B) ---------------------------------------------------

PLAN_FROM = dt.date(2025, 1, 1)


def plan_competency(
    code: str,
    name: str,
    *,
    family: str = "general",
    ordinal: int = 0,
    effective_from: dt.date = dt.date(2024, 1, 1),
    active: bool = True,
) -> CompetencyVersion:
    """A competency with one version in force since ``effective_from``; returns the version."""
    competency = Competency(code=code, family=family, ordinal=ordinal, active=active)
    db.session.add(competency)
    db.session.flush()
    version = CompetencyVersion(
        competency_id=competency.id,
        number=1,
        effective_from=effective_from,
        name=name,
        definition=f"Định nghĩa: {name}",
        **{f"level_{n}": f"{name}: mức {n}" for n in range(1, 6)},
    )
    db.session.add(version)
    db.session.commit()
    return version


def plan_version(
    competency_version: CompetencyVersion, effective_from: dt.date
) -> CompetencyVersion:
    """The next version of a competency, in force from ``effective_from``."""
    previous = competency_version
    version = CompetencyVersion(
        competency_id=previous.competency_id,
        number=previous.number + 1,
        effective_from=effective_from,
        name=f"{previous.name} (sửa đổi)",
        definition=previous.definition,
        **{f"level_{n}": f"{previous.name}: mức {n} mới" for n in range(1, 6)},
    )
    db.session.add(version)
    db.session.commit()
    return version


def plan(
    unit: Any,
    *,
    state: str = PlanState.DRAFT.value,
    number: int | None = None,
    previous: PositionPlan | None = None,
    effective_on: dt.date | None = None,
    submitted_by: int | None = None,
) -> PositionPlan:
    """A plan of ``unit`` in ``state`` (an approved one in force from PLAN_FROM by default)."""
    if number is None:
        number = db.session.query(PositionPlan).filter_by(unit_id=unit.id).count() + 1
    approved = state == PlanState.APPROVED.value
    made = PositionPlan(
        unit_id=unit.id,
        number=number,
        previous_id=previous.id if previous else None,
        state=state,
        effective_on=effective_on or (PLAN_FROM if approved else None),
        approval_number="12/QĐ-SNV" if approved else None,
        submitted_by=submitted_by,
    )
    db.session.add(made)
    db.session.commit()
    return made


def unit_position(
    plan: PositionPlan,
    code: str = "VT-01",
    name: str = "Chuyên viên quản lý công chức",
    *,
    headcount: int = 2,
    grp: str = "professional",
    rank_codes: str = "01.003,01.002",
    requirements: Sequence[tuple[CompetencyVersion, int]] = (),
    tasks: int = 1,
    lineage_id: int | None = None,
) -> UnitPosition:
    """A position with ``tasks`` tasks (one output each), the given requirements and a rank
    limit on its first rank."""
    position = UnitPosition(
        plan_id=plan.id,
        code=code,
        name=name,
        grp=grp,
        rank_codes=rank_codes,
        headcount=headcount,
        objective="Tham mưu quản lý đội ngũ công chức của Sở.",
        evaluation_criteria="Đúng hạn, đúng quy định.",
        internal_relations="Các phòng thuộc Sở",
        external_relations="Sở Nội vụ",
        authority="Đề xuất, kiến nghị",
        working_conditions="Làm việc tại trụ sở",
        qualifications="Đại học trở lên",
        experience="03 năm",
        qualities="Trung thực, cẩn thận",
    )
    for ordinal in range(1, tasks + 1):
        task = PositionTask(ordinal=ordinal, description=f"Thẩm định hồ sơ nhóm {ordinal}")
        task.outputs.append(
            PositionOutput(
                name="Tờ trình thẩm định",
                unit_of_measure="hồ sơ",
                conversion_factor=Decimal("1.5"),
                monthly_quantity=Decimal(10),
            )
        )
        position.tasks.append(task)
    for version, level in requirements:
        position.requirements.append(
            PositionRequirement(
                competency_id=version.competency_id, competency_version_id=version.id, level=level
            )
        )
    if position.rank_list:
        position.rank_limits.append(RankLimit(rank_code=position.rank_list[0], max_percent=50))
    db.session.add(position)
    db.session.flush()
    position.lineage_id = lineage_id or position.id
    db.session.commit()
    return position


def catalogue_entry(
    code: str = "CM-NV-01",
    title: str = "Chuyên viên về tổ chức bộ máy",
    *,
    requirements: Sequence[tuple[CompetencyVersion, int]] = (),
    active: bool = True,
) -> FrameworkPosition:
    """A catalogue position with two default tasks (one with an output) and levels."""
    position = FrameworkPosition(
        code=code,
        grp="professional",
        title=title,
        rank_codes="01.003",
        objective="Tham mưu về tổ chức bộ máy.",
        source="Nghị định 361/2025/NĐ-CP",
        active=active,
    )
    position.tasks = [
        FrameworkTask(
            ordinal=1,
            description="Xây dựng đề án tổ chức",
            output_name="Đề án",
            unit_of_measure="đề án",
        ),
        FrameworkTask(ordinal=2, description="Tổng hợp báo cáo"),
    ]
    position.requirements = [
        FrameworkRequirement(competency_id=version.competency_id, level=level)
        for version, level in requirements
    ]
    db.session.add(position)
    db.session.commit()
    return position
