"""Roles, permissions, the deny-by-default route guard and scoping helpers.

Every view carries ``@requires(Permission.X)`` or ``@public``; ``audit_routes`` refuses an app
that has an endpoint with neither. Records are fetched through ``authorize`` (404 when the actor
may not see the record, 403 when they may see but not act) and lists through ``Scope``.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import Flask, abort, request
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_, true

from hrms.core.text import prefix_upper_bound

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

ACCESS_RULE_ATTR = "_hrms_access_rule"
PUBLIC = "public"
#: endpoints that only serve static assets shipped with the code
STATIC_ENDPOINT_SUFFIX = "static"


class Role(enum.StrEnum):
    ADMIN = "admin"
    PERSONNEL_OFFICER = "personnel_officer"
    UNIT_HEAD = "unit_head"
    STAFF = "staff"


class Permission(enum.StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_VIEW = "audit.view"
    CODES_MANAGE = "codes.manage"
    EMPLOYEES_VIEW = "employees.view"
    EMPLOYEES_EDIT = "employees.edit"
    #: see the unit positions, plans, staffing tables and gaps of units in scope
    POSITIONS_VIEW = "positions.view"
    #: draft a unit's position plan and submit it
    POSITIONS_DRAFT = "positions.draft"
    #: approve or return submitted plans of units in scope
    POSITIONS_APPROVE = "positions.approve"
    #: place people in approved positions (writes a placement decision)
    POSITIONS_PLACE = "positions.place"
    #: edit the competency dictionary and the framework catalogue
    COMPETENCIES_MANAGE = "competencies.manage"
    #: assess the competencies of people in scope
    COMPETENCIES_ASSESS = "competencies.assess"
    #: read the reviews, periods and annual ratings of people in scope (own reviews need none)
    REVIEWS_VIEW = "reviews.view"
    #: open review periods and compute, adjust and finalise annual ratings for units in scope
    REVIEWS_OPEN = "reviews.open"
    #: plan, score, finalise and reopen the reviews of people in scope (never one's own)
    REVIEWS_SCORE = "reviews.score"
    #: comment on the reviews of colleagues in one's unit
    REVIEWS_COMMENT = "reviews.comment"
    #: add versions of the evaluation schemes and choose an agency's schemes
    REVIEWS_SCHEMES = "reviews.schemes"
    #: headcount statistics and the statistical reports of units in scope
    REPORTS_VIEW = "reports.view"
    #: salaries, salary histories, raise and retirement schedules of people in scope
    SALARY_VIEW = "salary.view"
    #: draft and confirm raise decisions in bulk for people in scope
    SALARY_RAISE = "salary.raise"
    #: edit the salary rule data (scales, ranks, base salary, allowances, pay rules, ages)
    SALARY_RULES = "salary.rules"
    #: any signed-in user: own profile, own password, home page
    SIGNED_IN = "signed_in"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.PERSONNEL_OFFICER: frozenset(
        {
            Permission.SIGNED_IN,
            Permission.ORG_VIEW,
            Permission.EMPLOYEES_VIEW,
            Permission.EMPLOYEES_EDIT,
            Permission.POSITIONS_VIEW,
            Permission.POSITIONS_APPROVE,
            Permission.POSITIONS_PLACE,
            Permission.REVIEWS_VIEW,
            Permission.REVIEWS_OPEN,
            Permission.REPORTS_VIEW,
            Permission.SALARY_VIEW,
            Permission.SALARY_RAISE,
        }
    ),
    Role.UNIT_HEAD: frozenset(
        {
            Permission.SIGNED_IN,
            Permission.ORG_VIEW,
            Permission.EMPLOYEES_VIEW,
            Permission.POSITIONS_VIEW,
            Permission.POSITIONS_DRAFT,
            Permission.POSITIONS_PLACE,
            Permission.COMPETENCIES_ASSESS,
            Permission.REVIEWS_VIEW,
            Permission.REVIEWS_SCORE,
            Permission.REVIEWS_COMMENT,
            Permission.REPORTS_VIEW,
        }
    ),
    Role.STAFF: frozenset({Permission.SIGNED_IN, Permission.REVIEWS_COMMENT}),
}


class Grant(Protocol):
    @property
    def role(self) -> str: ...

    @property
    def unit_path(self) -> str | None: ...


class Actor(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def role_grants(self) -> Sequence[Grant]: ...

    @property
    def employee_id(self) -> int | None:
        """The actor's own dossier, if any: staff see their own records through it."""
        ...


def roles_of(actor: Actor) -> set[Role]:
    return {Role(grant.role) for grant in actor.role_grants}


def has_permission(actor: Actor, permission: Permission) -> bool:
    if permission is Permission.SIGNED_IN:
        return True  # an account without roles may still open its home page and password
    return any(permission in ROLE_PERMISSIONS[role] for role in roles_of(actor))


def subtree_upper_bound(path: str) -> str:
    """Smallest string greater than every path that starts with ``path``.

    Paths look like ``/1/5/12/``: every descendant's path starts with the ancestor's.
    """
    return prefix_upper_bound(path)


@dataclass(frozen=True)
class Scope:
    """The units an actor reaches for one permission: everything, or a set of subtrees."""

    everything: bool
    subtree_paths: tuple[str, ...] = ()

    @classmethod
    def for_actor(cls, actor: Actor, permission: Permission) -> Scope:
        paths: list[str] = []
        for grant in actor.role_grants:
            if permission not in ROLE_PERMISSIONS[Role(grant.role)]:
                continue
            if grant.role == Role.ADMIN:
                return cls(everything=True)
            if grant.role != Role.STAFF and grant.unit_path:
                paths.append(grant.unit_path)
        return cls(everything=False, subtree_paths=_outermost(paths))

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(root) for root in self.subtree_paths)

    def filter(self, path_column: Any) -> ColumnElement[bool]:
        """SQL condition: the row's unit path lies in the scope (one index range per subtree)."""
        if self.everything:
            return true()
        if not self.subtree_paths:
            return false()
        return or_(
            *(
                and_(path_column >= root, path_column < subtree_upper_bound(root))
                for root in self.subtree_paths
            )
        )


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths inside another one, so overlapping grants do not repeat ranges."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return tuple(kept)


def requires(permission: Permission) -> Callable[[F], F]:
    """Allow the view to signed-in users whose roles carry ``permission``; 403 otherwise."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return _unauthenticated()
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, ACCESS_RULE_ATTR, permission)
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view as open to anyone, signed in or not."""
    setattr(view, ACCESS_RULE_ATTR, PUBLIC)
    return view


def _unauthenticated() -> Any:
    from hrms.extensions import login_manager

    return login_manager.unauthorized()


def access_rule(view: Callable[..., Any]) -> Permission | str | None:
    rule: Permission | str | None = getattr(view, ACCESS_RULE_ATTR, None)
    return rule


class UnguardedRouteError(RuntimeError):
    pass


def unguarded_endpoints(app: Flask) -> list[str]:
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if access_rule(view) is None and endpoint.rsplit(".", 1)[-1] != STATIC_ENDPOINT_SUFFIX
    )


def audit_routes(app: Flask) -> None:
    """Refuse to start when any endpoint has no access rule."""
    missing = unguarded_endpoints(app)
    if missing:
        raise UnguardedRouteError("endpoints without @requires or @public: " + ", ".join(missing))


def authorize(record: T | None, *, visible: bool, allowed: bool = True) -> T:
    """The loader rule: absent or invisible records are 404, visible but forbidden are 403."""
    if record is None or not visible:
        abort(404)
    if not allowed:
        abort(403)
    return record


def wants_json() -> bool:
    return request.path.startswith("/api/")


@dataclass(frozen=True)
class _SystemGrant:
    role: str = Role.ADMIN.value
    unit_path: str | None = None


@dataclass(frozen=True)
class SystemActor:
    """The actor of command-line jobs (set-up, seeding): administrator rights, no account."""

    id: int = 0
    username: str = "system"
    role_grants: tuple[_SystemGrant, ...] = (_SystemGrant(),)
    employee_id: int | None = None
