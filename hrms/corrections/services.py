"""Asking for and deciding corrections. An approved request is applied through the dossier's
own service, so it passes the same rules as any other change and is audited the same way."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hrms.attachments import queries as attachments
from hrms.core.db import utcnow
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Actor
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.corrections.models import CorrectionRequest, RequestStatus
from hrms.corrections.policies import can_request
from hrms.corrections.queries import Loaded
from hrms.employees import services as dossiers
from hrms.employees.models import Employee
from hrms.employees.schemas import EmployeePatch
from hrms.extensions import db

STALE = _l("This request was decided or changed by someone else. Reload the page.")


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    return str(value)


def _checked_value(employee: Employee, field: str, raw: str | None) -> dict[str, Any]:
    """The proposed value through the dossier's schema: what the officer would be asked to save."""
    try:
        return load(
            EmployeePatch(only=(field, "version")), {field: raw, "version": employee.version}
        )
    except ValidationFailed as failure:
        raise ValidationFailed({"requested_value": failure.errors.get(field, [])}) from None


def create_request(actor: Actor, employee: Employee, data: dict[str, Any]) -> CorrectionRequest:
    if not can_request(actor, employee.id):
        raise DomainError(FORM, _l("You may ask for corrections of your own dossier only."))
    field = data["field"]
    _checked_value(employee, field, data.get("requested_value"))
    pending = db.session.scalar(
        select(CorrectionRequest.id).where(
            CorrectionRequest.employee_id == employee.id,
            CorrectionRequest.field == field,
            CorrectionRequest.status == RequestStatus.PENDING.value,
        )
    )
    if pending is not None:
        raise DomainError(
            "field", _l("A request for this field is already waiting for a decision.")
        )
    if _as_text(getattr(employee, field)) == _as_text(data.get("requested_value")):
        raise DomainError("requested_value", _l("This is already the value on record."))
    if data.get("evidence_id") is not None and not attachments.is_filed_with(
        data["evidence_id"], employee.id
    ):
        raise DomainError("evidence_id", _l("Choose one of the documents of your dossier."))
    request = CorrectionRequest(
        employee_id=employee.id,
        requested_by=actor.id,
        field=field,
        current_value=_as_text(getattr(employee, field)),
        requested_value=data.get("requested_value"),
        reason=data["reason"],
        evidence_id=data.get("evidence_id"),
        status=RequestStatus.PENDING.value,
    )
    db.session.add(request)
    db.session.flush()
    return request


def decide(actor: Actor, loaded: Loaded, data: dict[str, Any]) -> CorrectionRequest:
    request = loaded.request
    if not loaded.can_decide:
        raise DomainError(FORM, _l("You may not decide on this request."))
    check_version(request, data["version"], STALE)
    if request.status != RequestStatus.PENDING.value:
        raise DomainError(FORM, _l("This request has already been decided."))
    if data["outcome"] == "reject":
        if not data.get("note"):
            raise DomainError("note", _l("Say why the request is rejected."))
        request.status = RequestStatus.REJECTED.value
    else:
        values = _checked_value(loaded.employee, request.field, request.requested_value)
        dossiers.patch_employee(actor, loaded.employee, loaded.unit, values)
        request.status = RequestStatus.APPROVED.value
    request.decided_by = actor.id
    request.decided_at = utcnow()
    request.decision_note = data.get("note")
    flush_or_conflict(STALE)
    return request


def withdraw(actor: Actor, request: CorrectionRequest) -> CorrectionRequest:
    if request.requested_by != actor.id or request.status != RequestStatus.PENDING.value:
        raise DomainError(FORM, _l("Only a pending request of your own can be withdrawn."))
    request.status = RequestStatus.WITHDRAWN.value
    flush_or_conflict(STALE)
    return request
