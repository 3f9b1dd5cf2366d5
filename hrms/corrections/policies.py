"""Who may ask for and decide corrections."""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope
from hrms.employees.policies import is_own


def can_request(actor: Actor, employee_id: int) -> bool:
    """People ask for corrections of their own dossier."""
    return is_own(actor, employee_id)


def can_decide(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.EMPLOYEES_EDIT).covers(unit_path)
