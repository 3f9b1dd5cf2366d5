"""Who may see, plan, fill in, score, finalise and comment on reviews.

Staff see their own reviews; unit heads those of their subtree, which they plan and score;
personnel officers read all in scope, open periods and rate the year. Nobody scores, finalises or
reopens their own review.
"""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Role, Scope, has_permission


def is_own(actor: Actor, employee_id: int) -> bool:
    return actor.employee_id is not None and actor.employee_id == employee_id


def can_view_review(actor: Actor, employee_id: int, unit_path: str) -> bool:
    return is_own(actor, employee_id) or Scope.for_actor(actor, Permission.REVIEWS_VIEW).covers(
        unit_path
    )


def can_open_periods(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.REVIEWS_OPEN).covers(unit_path)


def parent_path(path: str) -> str | None:
    """The path of the unit above ("/1/5/12/" -> "/1/5/"); None for a root unit."""
    parts = [part for part in path.strip("/").split("/") if part]
    return "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else None


def heads_unit_at(actor: Actor, path: str | None) -> bool:
    """The actor holds a unit-head role on exactly this unit (not only above it)."""
    return path is not None and any(
        grant.role == Role.UNIT_HEAD.value and grant.unit_path == path
        for grant in actor.role_grants
    )


def can_score(
    actor: Actor, employee_id: int, unit_path: str, leads_unit_path: str | None = None
) -> bool:
    """Plan, score and finalise: heads over the person's unit, never the person themself. The
    review of a unit's head (``leads_unit_path``: the unit they head) is scored by a head of the
    parent unit (domain §5: "the level above, for heads"), or an administrator; not by a deputy
    of the same unit nor by a head further up."""
    if is_own(actor, employee_id):
        return False
    scope = Scope.for_actor(actor, Permission.REVIEWS_SCORE)
    if leads_unit_path is not None:
        return scope.everything or heads_unit_at(actor, parent_path(leads_unit_path))
    return scope.covers(unit_path)


def can_reopen(
    actor: Actor, employee_id: int, unit_path: str, leads_unit_path: str | None = None
) -> bool:
    return can_score(actor, employee_id, unit_path, leads_unit_path) or (
        not is_own(actor, employee_id) and can_open_periods(actor, unit_path)
    )


def can_self_assess(actor: Actor, employee_id: int) -> bool:
    return is_own(actor, employee_id)


def can_comment(
    actor: Actor,
    employee_id: int,
    review_unit_id: int,
    unit_path: str,
    actor_unit_id: int | None,
    leads_unit_path: str | None = None,
) -> bool:
    """Colleagues of the same unit, and those who score it; never on one's own review."""
    if is_own(actor, employee_id):
        return False
    colleague = (
        has_permission(actor, Permission.REVIEWS_COMMENT)
        and actor_unit_id is not None
        and actor_unit_id == review_unit_id
    )
    return colleague or can_score(actor, employee_id, unit_path, leads_unit_path)


def can_see_comment_authors(actor: Actor, employee_id: int, unit_path: str) -> bool:
    """The person reads the comments without their authors' names."""
    return not is_own(actor, employee_id) and Scope.for_actor(
        actor, Permission.REVIEWS_VIEW
    ).covers(unit_path)


def can_manage_schemes(actor: Actor) -> bool:
    return has_permission(actor, Permission.REVIEWS_SCHEMES)
