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


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of related items, so the bar stays one line in Vietnamese."""

    label: Any
    items: tuple[NavItem, ...]


NAVIGATION: tuple[NavItem | NavGroup, ...] = (
    NavItem(_l("Home"), "home.index", Permission.SIGNED_IN),
    NavGroup(
        _l("Records"),
        (
            NavItem(
                _l("My dossier"), "employees.my_dossier", Permission.SIGNED_IN, own_dossier=True
            ),
            NavItem(_l("Dossiers"), "employees.list_employees", Permission.EMPLOYEES_VIEW),
            NavItem(
                _l("My requests"), "corrections.my_requests", Permission.SIGNED_IN, own_dossier=True
            ),
            NavItem(
                _l("Correction requests"), "corrections.list_requests", Permission.EMPLOYEES_EDIT
            ),
            NavItem(_l("Statistics"), "reports.dashboard", Permission.REPORTS_VIEW),
        ),
    ),
    NavGroup(
        _l("Job positions"),
        (
            NavItem(
                _l("My competencies"),
                "staffing.my_competencies",
                Permission.SIGNED_IN,
                own_dossier=True,
            ),
            NavItem(_l("Position plans"), "positions.list_plans", Permission.POSITIONS_VIEW),
            NavItem(_l("Staffing"), "staffing.index", Permission.POSITIONS_VIEW),
            NavItem(_l("Position catalogue"), "positions.catalogue", Permission.POSITIONS_VIEW),
            NavItem(_l("Competencies"), "positions.competencies", Permission.POSITIONS_VIEW),
        ),
    ),
    NavGroup(
        _l("Reviews"),
        (
            NavItem(_l("My reviews"), "reviews.my_reviews", Permission.SIGNED_IN, own_dossier=True),
            NavItem(_l("Review periods"), "reviews.list_periods", Permission.REVIEWS_VIEW),
            NavItem(_l("Annual ratings"), "reviews.annual_index", Permission.REVIEWS_OPEN),
        ),
    ),
    NavGroup(
        _l("Salary"),
        (
            NavItem(_l("My salary"), "salary.my_salary", Permission.SIGNED_IN, own_dossier=True),
            NavItem(
                _l("My retirement date"),
                "salary.my_retirement",
                Permission.SIGNED_IN,
                own_dossier=True,
            ),
            NavItem(_l("My next raise"), "salary.my_raise", Permission.SIGNED_IN, own_dossier=True),
            NavItem(_l("Raises due"), "salary.raise_list", Permission.SALARY_VIEW),
            NavItem(_l("Early raises"), "salary.early_raises", Permission.SALARY_VIEW),
            NavItem(_l("Retirements"), "salary.retirement_list", Permission.SALARY_VIEW),
            NavItem(_l("Salary rule data"), "salary.rules_index", Permission.SALARY_RULES),
        ),
    ),
    NavItem(_l("Organisation"), "org.list_units", Permission.ORG_VIEW),
    NavGroup(
        _l("Administration"),
        (
            NavItem(_l("Accounts"), "accounts.list_users", Permission.ACCOUNTS_MANAGE),
            NavItem(_l("Audit log"), "audit.list_entries", Permission.AUDIT_VIEW),
            NavItem(_l("Code lists"), "codes.list_lists", Permission.CODES_MANAGE),
            NavItem(_l("Evaluation schemes"), "reviews.scheme_list", Permission.REVIEWS_SCHEMES),
        ),
    ),
)


def _visible(user: Any, item: NavItem) -> bool:
    return has_permission(user, item.permission) and (not item.own_dossier or user.employee_id)


def navigation_for(user: Any) -> list[NavItem | NavGroup]:
    """The entries the user may open; a group with one visible item collapses to that item."""
    if not user.is_authenticated:
        return []
    entries: list[NavItem | NavGroup] = []
    for entry in NAVIGATION:
        if isinstance(entry, NavItem):
            if _visible(user, entry):
                entries.append(entry)
            continue
        items = tuple(item for item in entry.items if _visible(user, item))
        if len(items) == 1:
            entries.append(items[0])
        elif items:
            entries.append(NavGroup(entry.label, items))
    return entries
