"""User accounts and their role grants."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from hrms.core.security import Role
from hrms.org.models import Unit

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.PERSONNEL_OFFICER: _l("Personnel officer"),
    Role.UNIT_HEAD: _l("Unit head"),
    Role.STAFF: _l("Staff member"),
}

_ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


def new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("username = lower(username)", name="username_lower"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_positive"),
    )
    __audit_hidden__ = frozenset({"password_hash", "session_nonce"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: sign-in name, stored in lower case
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: full name as shown in the interface
    full_name: Mapped[str] = mapped_column(String(200))
    #: folded username, name and email, for search that ignores case and diacritics
    search_text: Mapped[str] = mapped_column(String(600), default="")
    #: contact address (optional, unique when given)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    #: scrypt hash of the password (werkzeug format)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: inactive accounts cannot sign in
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: consecutive failed sign-ins since the last success or lock
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    #: sign-in refused until this moment after too many failures
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: changes on password change, ending every other session of the account
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    #: last successful sign-in
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: the person's own dossier, for staff self-service
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), unique=True)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="RoleGrant.id",
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    # hrms.core.security.Actor protocol
    @property
    def role_grants(self) -> list[RoleGrant]:
        return self.grants

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


class RoleGrant(Audited, Base):
    """A role held over a unit's subtree (admins hold theirs over the whole system)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role"),
        CheckConstraint("role = 'admin' OR unit_id IS NOT NULL", name="unit_required"),
        CheckConstraint("role <> 'admin' OR unit_id IS NULL", name="admin_without_unit"),
        UniqueConstraint("user_id", "role", "unit_id", name="uq_role_grants_user_role_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: account holding the role
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: admin, personnel_officer, unit_head or staff
    role: Mapped[str] = mapped_column(String(30))
    #: the unit whose subtree the role covers; empty for admin
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def unit_path(self) -> str | None:
        return self.unit.path if self.unit else None

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)])
