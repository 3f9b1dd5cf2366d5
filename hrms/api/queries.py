"""Finding the token behind a request."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from hrms.api.models import ApiToken
from hrms.core.db import utcnow
from hrms.extensions import db

BEARER = "Bearer "


def token_hash(token: str) -> str:
    # tokens carry 256 random bits, so a plain SHA-256 is enough to keep stored ones useless
    return hashlib.sha256(token.encode()).hexdigest()


def valid_token(authorization: str | None) -> ApiToken | None:
    """The live token named by an ``Authorization: Bearer …`` header, or None."""
    if not authorization or not authorization.startswith(BEARER):
        return None
    raw = authorization[len(BEARER) :].strip()
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))
    if token is None or not token.is_valid(utcnow()) or not token.user.active:
        return None
    return token
