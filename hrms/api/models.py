"""Bearer tokens of the JSON API, stored hashed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.accounts.models import User
from hrms.core.audit import Audited
from hrms.core.db import Base, UTCDateTime, utcnow


class ApiToken(Audited, Base):
    __tablename__ = "api_tokens"
    __audit_hidden__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: SHA-256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: account the token acts for (its role grants apply, as they stand at each request)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: when the token was issued
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the token is refused from this moment
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: when the token was revoked; empty while valid
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")

    def is_valid(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
