"""Who may see staffing tables and gaps, place people, and assess competencies.

Scopes are unit subtrees (``hrms.core.security.Scope``): officers and unit heads reach their
subtree, administrators everything; everyone reaches their own competencies.
"""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope
from hrms.employees.policies import is_own


def can_view_staffing(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.POSITIONS_VIEW).covers(unit_path)


def can_view_competencies(actor: Actor, employee_id: int, unit_path: str) -> bool:
    """A person's position, assessments and gaps: the person, and those who see the unit."""
    return is_own(actor, employee_id) or can_view_staffing(actor, unit_path)


def can_place(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.POSITIONS_PLACE).covers(unit_path)


def can_assess_in(actor: Actor, unit_path: str) -> bool:
    """Unit heads (and administrators) assess the people of their subtree..."""
    return Scope.for_actor(actor, Permission.COMPETENCIES_ASSESS).covers(unit_path)


def can_assess(actor: Actor, employee_id: int, unit_path: str) -> bool:
    """...but never themselves: a head's own dossier is assessed by their superior."""
    return can_assess_in(actor, unit_path) and not is_own(actor, employee_id)


def can_self_assess(actor: Actor, employee_id: int) -> bool:
    return is_own(actor, employee_id)
