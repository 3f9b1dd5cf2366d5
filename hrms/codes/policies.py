"""Who may do what with the code lists: everyone reads them, administrators keep them."""

from hrms.core.security import Actor, Permission, has_permission


def can_manage_codes(actor: Actor) -> bool:
    return has_permission(actor, Permission.CODES_MANAGE)
