"""Rows for review tests: positions with outputs, accounts linked to dossiers, finalised reviews
written straight with the models (for the annual rating), and the plan as the head's form would
post it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hrms.core.security import Role
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews.models import (
    EvaluationScheme,
    Review,
    ReviewItem,
    ReviewPeriod,
    ReviewState,
)
from positions.models import PositionOutput, PositionPlan, PositionTask, UnitPosition
from tests import factories as common
from tests.staffing import factories as staffing

#: (task, output, unit of measure, monthly quantity, conversion factor)
Output = tuple[str, str, str, str, str]


def position_with_outputs(
    plan: PositionPlan,
    code: str,
    name: str,
    outputs: list[Output],
    *,
    grp: str = "professional",
) -> UnitPosition:
    made = staffing.position(plan, code, name, grp=grp)
    for ordinal, (task, output, measure, monthly, factor) in enumerate(outputs):
        row = PositionTask(position_id=made.id, ordinal=ordinal, description=task)
        db.session.add(row)
        db.session.flush()
        db.session.add(
            PositionOutput(
                task_id=row.id,
                name=output,
                unit_of_measure=measure,
                monthly_quantity=Decimal(monthly) if monthly else None,
                conversion_factor=Decimal(factor),
            )
        )
    db.session.commit()
    return made


def person(unit: Any, name: str, **fields: Any) -> Employee:
    return staffing.person(unit, name, **fields)


def account(employee: Employee, role: Role = Role.STAFF, unit: Any = None) -> Any:
    """An account for the person, with one role grant (on their unit by default)."""
    grant_unit = unit if unit is not None else db.session.get(Unit, employee.unit_id)
    user = common.UserFactory(grants=[(role, grant_unit)])
    user.employee_id = employee.id
    db.session.commit()
    return user


def scheme(code: str) -> EvaluationScheme:
    found = db.session.scalar(select(EvaluationScheme).where(EvaluationScheme.code == code))
    assert found is not None
    return found


def period(
    unit: Any,
    opener: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    kind: str = "month",
) -> ReviewPeriod:
    made = ReviewPeriod(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        unit_id=unit.id,
        self_deadline=ends_on + dt.timedelta(days=3),
        scoring_deadline=ends_on + dt.timedelta(days=10),
        opened_by=opener.id,
    )
    db.session.add(made)
    db.session.commit()
    return made


def finalised_review(
    employee: Employee,
    in_period: ReviewPeriod,
    total: str,
    rating: str,
    *,
    by: Any,
    scheme_code: str = "ND335-2025",
    position: UnitPosition | None = None,
    disciplined: bool = False,
) -> Review:
    """A finalised review with its total, as the scoring would have left it."""
    made = Review(
        period_id=in_period.id,
        employee_id=employee.id,
        unit_id=employee.unit_id,
        position_id=position.id if position else employee.position_id,
        scheme_id=scheme(scheme_code).id,
        state=ReviewState.FINALISED.value,
        total=Decimal(total),
        band=rating,
        rating=rating,
        disciplined=disciplined,
        finalised_by=by.id,
    )
    made.items = [
        ReviewItem(
            title="Công việc thường xuyên",
            assigned_quantity=Decimal(1),
            weight=Decimal(100),
            delivered_quantity=Decimal(1),
        )
    ]
    db.session.add(made)
    db.session.commit()
    return made


def plan_rows(review: Review, **changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The review's items as the head's plan form posts them; ``changes`` keyed by title."""
    return [
        {
            "id": item.id,
            "title": item.title,
            "expected_output": item.expected_output,
            "unit_of_measure": item.unit_of_measure,
            "assigned_quantity": item.assigned_quantity,
            "deadline": item.deadline,
            "weight": item.weight,
        }
        | changes.get(item.title, {})
        for item in review.items
    ]
