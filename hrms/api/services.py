"""Issuing and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_babel import lazy_gettext as _l

from hrms.accounts.services import SIGN_IN_FAILED, authenticate
from hrms.api.models import ApiToken
from hrms.api.queries import token_hash
from hrms.core.db import utcnow
from hrms.core.errors import FORM, DomainError
from hrms.extensions import db
from hrms.settings import current_settings

TOKEN_PREFIX = "hrms_"  # noqa: S105 - a marker that makes leaked tokens easy to spot


class SignInFailed(DomainError):
    """Wrong credentials, or an account that may not sign in: always the same message."""

    def __init__(self) -> None:
        super().__init__(FORM, SIGN_IN_FAILED)


def issue_token(data: dict[str, Any]) -> tuple[str, ApiToken]:
    """A new token for valid credentials; the plain token is returned once, only here."""
    user = authenticate(data["username"], data["password"])
    if user is None:
        raise SignInFailed()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        token_hash=token_hash(raw),
        user_id=user.id,
        created_at=now,
        expires_at=now + dt.timedelta(hours=current_settings().api_token_hours),
    )
    db.session.add(token)
    db.session.flush()
    return raw, token


def revoke(token: ApiToken) -> None:
    if token.revoked_at is not None:
        raise DomainError(FORM, _l("This token is already revoked."))
    token.revoked_at = utcnow()
    db.session.flush()
