"""Who may read the audit log."""

from hrms.core.security import Actor, Permission, has_permission


def can_view_audit_log(actor: Actor) -> bool:
    return has_permission(actor, Permission.AUDIT_VIEW)
