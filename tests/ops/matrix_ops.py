"""The operations routes in the authorisation matrix (tests/test_authorization_matrix.py)."""

from __future__ import annotations

OK = "ok"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")

#: the health check answers everyone, signed in or not (a load balancer has no account)
PUBLIC = dict.fromkeys(ROLES, OK)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "ops.healthz": {"GET": (PUBLIC, None)},
}
