"""Who may see salaries and change the salary rule data.

Personnel officers (and administrators) see the salaries of the people in their scope;
everyone sees their own; only administrators add or change rule data.
"""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope, has_permission


def is_own(actor: Actor, employee_id: int) -> bool:
    return actor.employee_id is not None and actor.employee_id == employee_id


def can_view_salary(actor: Actor, employee_id: int, unit_path: str) -> bool:
    """Officers in scope and administrators; the person themself."""
    return is_own(actor, employee_id) or Scope.for_actor(actor, Permission.SALARY_VIEW).covers(
        unit_path
    )


def can_manage_rules(actor: Actor) -> bool:
    return has_permission(actor, Permission.SALARY_RULES)
