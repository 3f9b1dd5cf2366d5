"""Who may do what with the dictionary, the catalogue and the units' position plans.

Scopes are unit subtrees (``hrms.core.security.Scope``); plans and positions are reached
through their unit's path.
"""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope, has_permission


def can_view_unit_positions(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.POSITIONS_VIEW).covers(unit_path)


def can_draft_plan(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.POSITIONS_DRAFT).covers(unit_path)


def can_approve_plan(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.POSITIONS_APPROVE).covers(unit_path)


def can_manage_dictionary(actor: Actor) -> bool:
    return has_permission(actor, Permission.COMPETENCIES_MANAGE)
