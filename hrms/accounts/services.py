"""Sign-in, passwords and account administration. Services flush, never commit."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from hrms.accounts.models import RoleGrant, User, new_session_nonce
from hrms.accounts.policies import can_manage_accounts
from hrms.accounts.queries import count_active_admins, find_by_username
from hrms.core.audit import AuditActor, record_event
from hrms.core.db import utcnow
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor, Role
from hrms.core.text import fold, normalize_spaces
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.employees.queries import employee_exists
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.settings import current_settings

SIGN_IN_FAILED = _l(
    "Sign-in failed: the username or password is wrong, or the account is locked or disabled. "
    "After too many failed attempts an account is locked for a while."
)
STALE_ACCOUNT = _l(
    "Someone else changed this account after you opened it. Reload the page to see their change."
)


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


@cache
def _dummy_hash() -> str:
    # Checked against when the account does not exist, so both paths take the same time.
    return generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def check_password_policy(password: str, username: str, field: str = "password") -> None:
    minimum = current_settings().password_min_length
    if len(password) < minimum:
        raise DomainError(field, _l("Use at least %(count)s characters.", count=minimum))
    lowered = password.lower()
    if len(username) >= 3 and username.lower() in lowered:
        raise DomainError(field, _l("The password must not contain the username."))
    if lowered in _common_passwords() or fold(password) in _common_passwords():
        raise DomainError(
            field, _l("This password is too common and easy to guess. Choose another one.")
        )
    if len(set(password)) < 4:
        raise DomainError(field, _l("The password uses too few different characters."))


def _search_text(username: str, full_name: str, email: str | None) -> str:
    return " ".join(part for part in (username, fold(full_name), (email or "").lower()) if part)


def authenticate(username: str, password: str) -> User | None:
    """The account if the credentials are right and it may sign in; None otherwise.

    Failure is always reported the same way, so callers cannot tell a missing account from a
    wrong password, a locked or a disabled one. Counters are changed with plain UPDATEs so a
    sign-in attempt never conflicts with an administrator editing the account.
    """
    settings = current_settings()
    now = utcnow()
    user = find_by_username(username)
    attempt = AuditActor(id=user.id if user else None, name=username.strip().lower()[:64])
    if user is None or not user.active or user.is_locked(now):
        check_password_hash(_dummy_hash(), password)
        reason = "unknown" if user is None else "disabled" if not user.active else "locked"
        record_event(
            db.session,
            "login.refused",
            "users",
            user.id if user else None,
            {"reason": reason},
            actor=attempt,
        )
        return None
    if not check_password_hash(user.password_hash, password):
        failures = db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        ).scalar_one()
        record_event(
            db.session, "login.failed", "users", user.id, {"failures": failures}, actor=attempt
        )
        if failures >= settings.login_max_failures:
            until = now + dt.timedelta(minutes=settings.login_lock_minutes)
            db.session.execute(
                update(User).where(User.id == user.id).values(failed_logins=0, locked_until=until)
            )
            record_event(
                db.session, "login.locked", "users", user.id, {"until": until}, actor=attempt
            )
        db.session.expire(user)
        return None
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=0, locked_until=None, last_login_at=now)
    )
    record_event(db.session, "login.success", "users", user.id, actor=attempt)
    db.session.expire(user)
    return user


def _require_admin(actor: Actor) -> None:
    if not can_manage_accounts(actor):
        raise DomainError(FORM, _l("You may not manage accounts."))


def _check_email_free(email: str | None, user: User | None = None) -> None:
    if not email:
        return
    holder = db.session.scalar(select(User).where(User.email == email))
    if holder is not None and holder is not user:
        raise DomainError("email", _l("Another account already uses this email address."))


def _validated_grant(role: str, unit_id: int | None) -> tuple[str, int | None]:
    if role == Role.ADMIN:
        if unit_id is not None:
            raise DomainError(
                "unit_id",
                _l("The administrator role covers the whole system; leave the unit empty."),
            )
        return role, None
    if unit_id is None:
        raise DomainError("unit_id", _l("Choose the unit this role applies to."))
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise DomainError("unit_id", _l("This unit does not exist."))
    if not unit.is_open:
        raise DomainError("unit_id", _l("This unit is closed."))
    return role, unit.id


def create_user(actor: Actor, data: dict[str, Any]) -> User:
    _require_admin(actor)
    username = data["username"].lower()
    if find_by_username(username) is not None:
        raise DomainError("username", _l("This username is already taken."))
    email = data.get("email")
    email = email.lower() if email else None
    _check_email_free(email)
    check_password_policy(data["password"], username)
    role, unit_id = _validated_grant(data["role"], data.get("unit_id"))
    full_name = normalize_spaces(data["full_name"])
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        search_text=_search_text(username, full_name, email),
        password_hash=hash_password(data["password"]),
        active=True,
        failed_logins=0,
        grants=[RoleGrant(role=role, unit_id=unit_id)],
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(actor: Actor, user: User, data: dict[str, Any]) -> User:
    _require_admin(actor)
    check_version(user, data["version"], STALE_ACCOUNT)
    email = data.get("email")
    email = email.lower() if email else None
    _check_email_free(email, user)
    if user.active and not data["active"]:
        if user.id == actor.id:
            raise DomainError("active", _l("You cannot disable your own account."))
        if _is_admin(user) and count_active_admins() <= 1:
            raise DomainError("active", _l("This is the last active administrator account."))
    user.full_name = normalize_spaces(data["full_name"])
    user.email = email
    user.active = data["active"]
    user.search_text = _search_text(user.username, user.full_name, email)
    if not user.active:
        user.session_nonce = new_session_nonce()
    flush_or_conflict(STALE_ACCOUNT)
    return user


def _is_admin(user: User) -> bool:
    return any(grant.role == Role.ADMIN for grant in user.grants)


def add_grant(actor: Actor, user: User, data: dict[str, Any]) -> RoleGrant:
    _require_admin(actor)
    role, unit_id = _validated_grant(data["role"], data.get("unit_id"))
    if any(g.role == role and g.unit_id == unit_id for g in user.grants):
        raise DomainError("role", _l("The account already holds this role for this unit."))
    grant = RoleGrant(role=role, unit_id=unit_id)
    user.grants.append(grant)
    db.session.flush()
    return grant


def remove_grant(actor: Actor, user: User, grant_id: int) -> User:
    _require_admin(actor)
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        raise DomainError(FORM, _l("This role grant does not exist."))
    if grant.role == Role.ADMIN and user.active and count_active_admins(excluding_grant=grant) < 1:
        raise DomainError(FORM, _l("This is the last active administrator account."))
    user.grants.remove(grant)
    db.session.flush()
    return user


def reset_password(actor: Actor, user: User, data: dict[str, Any]) -> User:
    _require_admin(actor)
    check_password_policy(data["password"], user.username)
    user.password_hash = hash_password(data["password"])
    user.session_nonce = new_session_nonce()
    flush_or_conflict(STALE_ACCOUNT)
    return user


def link_employee(actor: Actor, user: User, data: dict[str, Any]) -> User:
    """Tie an account to the person's own dossier (staff self-service)."""
    _require_admin(actor)
    employee_id = data.get("employee_id")
    if employee_id is not None:
        if not employee_exists(employee_id):
            raise DomainError("employee_id", _l("This dossier does not exist."))
        holder = db.session.scalar(select(User).where(User.employee_id == employee_id))
        if holder is not None and holder is not user:
            raise DomainError(
                "employee_id",
                _l(
                    "This dossier is already linked to the account %(username)s.",
                    username=holder.username,
                ),
            )
    user.employee_id = employee_id
    flush_or_conflict(STALE_ACCOUNT)
    return user


def unlock(actor: Actor, user: User) -> User:
    _require_admin(actor)
    user.locked_until = None
    user.failed_logins = 0
    flush_or_conflict(STALE_ACCOUNT)
    record_event(db.session, "login.unlocked", "users", user.id)
    return user


def change_own_password(user: User, data: dict[str, Any]) -> User:
    if not check_password_hash(user.password_hash, data["current_password"]):
        raise DomainError("current_password", _l("The current password is wrong."))
    if data["new_password"] != data["confirm_password"]:
        raise DomainError("confirm_password", _l("The two new passwords differ."))
    if data["new_password"] == data["current_password"]:
        raise DomainError("new_password", _l("The new password must differ from the current one."))
    check_password_policy(data["new_password"], user.username, field="new_password")
    user.password_hash = hash_password(data["new_password"])
    # every other session of this account ends: their ids carry the old nonce
    user.session_nonce = new_session_nonce()
    flush_or_conflict(STALE_ACCOUNT)
    return user
