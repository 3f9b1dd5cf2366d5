"""Who may do what with units."""

from hrms.core.security import Actor, Permission, Scope, has_permission
from hrms.org.models import Unit


def can_view_unit(actor: Actor, unit: Unit) -> bool:
    return Scope.for_actor(actor, Permission.ORG_VIEW).covers(unit.path)


def can_manage_units(actor: Actor) -> bool:
    return has_permission(actor, Permission.ORG_MANAGE)
