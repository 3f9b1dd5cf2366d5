"""Who may see and change a dossier, and which parts.

Personnel officers (and administrators) read and edit the dossiers of their subtree; unit heads
read the work-related part of theirs; everyone reads their own dossier. Sensitive parts
(identity numbers, family, health, discipline notes, personal history) are shown only to
personnel officers in scope, administrators and the person.
"""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope, has_permission
from hrms.employees.models import SECTIONS

#: sections shown only to personnel officers in scope, administrators and the person
SENSITIVE_SECTIONS = frozenset({"health", "history"})
#: fields of other sections that are sensitive too
SENSITIVE_FIELDS = frozenset(
    {
        "national_id",
        "national_id_issued_on",
        "social_insurance_number",
        "permanent_address",
        "current_address",
        "phone",
    }
    | set(SECTIONS["health"])
    | set(SECTIONS["history"])
)


def is_own(actor: Actor, employee_id: int) -> bool:
    return actor.employee_id is not None and actor.employee_id == employee_id


def can_view_employee(actor: Actor, employee_id: int, unit_path: str) -> bool:
    return is_own(actor, employee_id) or Scope.for_actor(actor, Permission.EMPLOYEES_VIEW).covers(
        unit_path
    )


def can_edit_employee(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.EMPLOYEES_EDIT).covers(unit_path)


def can_view_sensitive(actor: Actor, employee_id: int, unit_path: str) -> bool:
    return is_own(actor, employee_id) or can_edit_employee(actor, unit_path)


def can_place_in_unit(actor: Actor, unit_path: str) -> bool:
    """Decisions may move people only into units the actor manages."""
    return can_edit_employee(actor, unit_path)


def can_create_employees(actor: Actor) -> bool:
    return has_permission(actor, Permission.EMPLOYEES_EDIT)
