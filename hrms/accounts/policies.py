"""Who may manage accounts."""

from hrms.core.security import Actor, Permission, has_permission


def can_manage_accounts(actor: Actor) -> bool:
    return has_permission(actor, Permission.ACCOUNTS_MANAGE)
