"""Reads of correction requests, scoped: officers see their subtree's, people their own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from hrms.attachments.models import Attachment
from hrms.core.security import Actor, Permission, Scope, authorize
from hrms.corrections.models import CorrectionRequest, RequestStatus
from hrms.corrections.policies import can_decide
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit


def _visible(actor: Actor) -> Select[tuple[CorrectionRequest, Employee, Unit]]:
    condition = Scope.for_actor(actor, Permission.EMPLOYEES_EDIT).filter(Unit.path)
    if actor.employee_id is not None:
        condition = or_(condition, CorrectionRequest.employee_id == actor.employee_id)
    return (
        select(CorrectionRequest, Employee, Unit)
        .join(Employee, Employee.id == CorrectionRequest.employee_id)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(condition)
    )


def to_decide(actor: Actor) -> list[tuple[CorrectionRequest, Employee, Unit]]:
    """Pending requests of dossiers the actor may change (never the actor's own)."""
    query = (
        _visible(actor)
        .where(
            CorrectionRequest.status == RequestStatus.PENDING.value,
            Scope.for_actor(actor, Permission.EMPLOYEES_EDIT).filter(Unit.path),
        )
        .order_by(CorrectionRequest.created_at)
    )
    if actor.employee_id is not None:
        query = query.where(CorrectionRequest.employee_id != actor.employee_id)
    return [(r, e, u) for r, e, u in db.session.execute(query)]


def of_employee(employee_id: int) -> list[CorrectionRequest]:
    return list(
        db.session.scalars(
            select(CorrectionRequest)
            .where(CorrectionRequest.employee_id == employee_id)
            .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc())
        )
    )


@dataclass(frozen=True)
class Loaded:
    request: CorrectionRequest
    employee: Employee
    unit: Unit
    can_decide: bool


def get_for(actor: Actor, request_id: int, *, decide: bool = False) -> Loaded:
    row = db.session.execute(_visible(actor).where(CorrectionRequest.id == request_id)).first()
    request, employee, unit = (row[0], row[1], row[2]) if row else (None, None, None)
    # nobody decides on their own dossier, even an officer whose scope covers it
    deciding = (
        unit is not None
        and employee is not None
        and can_decide(actor, unit.path)
        and actor.employee_id != employee.id
    )
    authorize(request, visible=row is not None, allowed=deciding or not decide)
    assert request is not None and employee is not None and unit is not None
    return Loaded(request, employee, unit, deciding)


def evidence_of(loaded: Loaded) -> Attachment | None:
    """The supporting document, while it is still filed with the dossier."""
    if loaded.request.evidence_id is None:
        return None
    document = db.session.get(Attachment, loaded.request.evidence_id)
    return None if document is None or document.withdrawn else document
