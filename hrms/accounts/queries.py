"""Reads of accounts (administrators see all of them)."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from hrms.accounts.models import RoleGrant, User
from hrms.accounts.policies import can_manage_accounts
from hrms.core.security import Actor, Role, authorize
from hrms.core.text import fold
from hrms.extensions import db

PER_PAGE = 50


def find_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def load_session_user(session_id: str) -> User | None:
    """The user behind a session id "<id>:<nonce>"; a stale nonce (password changed) is None."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_nonce != nonce or not user.active:
        return None
    return user


def list_users(
    actor: Actor, *, q: str = "", role: str = "", active: bool | None = None, page: int = 1
) -> Pagination:
    authorize(actor, visible=True, allowed=can_manage_accounts(actor))
    query = select(User).order_by(User.username)
    if q:
        query = query.where(User.search_text.contains(fold(q), autoescape=True))
    if role:
        query = query.where(User.grants.any(RoleGrant.role == role))
    if active is not None:
        query = query.where(User.active.is_(active))
    result: Pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    return result


def get_user_for(actor: Actor, user_id: int) -> User:
    user = db.session.get(User, user_id)
    return authorize(user, visible=can_manage_accounts(actor))


def count_active_admins(excluding_grant: RoleGrant | None = None) -> int:
    query = (
        select(User.id)
        .join(RoleGrant)
        .where(User.active.is_(True), RoleGrant.role == Role.ADMIN)
        .distinct()
    )
    if excluding_grant is not None:
        query = query.where(RoleGrant.id != excluding_grant.id)
    return len(db.session.scalars(query).all())
