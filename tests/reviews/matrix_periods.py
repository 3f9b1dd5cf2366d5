"""Closing a period, moving its deadlines, and the annual-rating actions of the API in the
authorisation matrix (tests/test_authorization_matrix.py).

Records: ``period_id`` is division A's period (in the officer's scope) or the other
department's; ``unit_id`` the core matrix's (team A, or the other department); ``annual_id`` an
annual rating of the person in team A or of the one outside (both made by the targets of
matrix_api.py and matrix_annual.py). An empty body is refused with messages (422): allowed,
refused input.
"""

from __future__ import annotations

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: personnel officers of the unit (REVIEWS_OPEN; heads and staff lack it: 403 before the record
#: is looked at), admin everywhere; out of the officer's scope: 404
MANAGE = (
    everyone(403) | {"admin": OK, "officer": OK},
    everyone(403) | {"admin": OK, "officer": 404},
)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "reviews.close_period": {"POST": MANAGE},
    "reviews.extend_deadlines": {"POST": MANAGE},
    "reviews_api.close_period": {"POST": MANAGE},
    "reviews_api.extend_deadlines": {"POST": MANAGE},
    "reviews_api.unit_annual_ratings": {"GET": MANAGE},
    "reviews_api.compute_annual": {"POST": MANAGE},
    "reviews_api.annual_cap": {"GET": MANAGE},
    "reviews_api.finalise_annual": {"POST": MANAGE},
    "reviews_api.decide_annual": {"POST": MANAGE},
    "reviews_api.adjust_annual": {"POST": MANAGE},
}
