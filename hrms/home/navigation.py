"""The navigation each role sees: only what its permissions open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from hrms.core.security import Permission, has_permission


@dataclass(frozen=True)
class NavItem:
    label: Any
    endpoint: str
    permission: Permission
    #: shown only to accounts linked to a dossier of their own
    own_dossier: bool = False


NAVIGATION = (
    NavItem(_l("Home"), "home.index", Permission.SIGNED_IN),
    NavItem(_l("My dossier"), "employees.my_dossier", Permission.SIGNED_IN, own_dossier=True),
    NavItem(_l("Dossiers"), "employees.list_employees", Permission.EMPLOYEES_VIEW),
    NavItem(_l("My requests"), "corrections.my_requests", Permission.SIGNED_IN, own_dossier=True),
    NavItem(_l("Correction requests"), "corrections.list_requests", Permission.EMPLOYEES_EDIT),
    NavItem(_l("Organisation"), "org.list_units", Permission.ORG_VIEW),
    NavItem(_l("Accounts"), "accounts.list_users", Permission.ACCOUNTS_MANAGE),
    NavItem(_l("Audit log"), "audit.list_entries", Permission.AUDIT_VIEW),
    NavItem(_l("Code lists"), "codes.list_lists", Permission.CODES_MANAGE),
)


def navigation_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [
        item
        for item in NAVIGATION
        if has_permission(user, item.permission) and (not item.own_dossier or user.employee_id)
    ]
