"""The pages of the review cycle in the authorisation matrix (tests/test_authorization_matrix.py).

Records: ``review_id`` is the staff member's own review (division A, in the officer's and the
head's subtree; self-assessment open) or the outside person's in the other department;
``period_id`` the period each belongs to (tests.reviews.api_support.world_review makes them once
for the three review matrix modules). Empty posts are refused with messages (422): allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.reviews.api_support import world_review

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: periods and their dashboards: officers and heads of the subtree, admin everywhere
VIEW = (
    everyone(403) | {"admin": OK, "officer": OK, "head": OK},
    everyone(403) | {"admin": OK, "officer": 404, "head": 404},
)
#: opening a period: personnel officers and admin
OPEN = (everyone(403) | {"admin": OK, "officer": OK}, None)
#: the review page: the person, and those who read the unit (colleagues of the unit comment)
READ = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK, "staff": OK},
    everyone(404) | {"admin": OK},
)
#: planning, scoring, finalising: heads over the unit (REVIEWS_SCORE), admin; never the person
SCORE = (
    everyone(403) | {"admin": OK, "head": OK},
    everyone(403) | {"admin": OK, "head": 404},
)
#: the self-assessment: the person only (others who see the review: 403)
SELF = (
    everyone(403) | {"staff": OK, "nobody": 404},
    everyone(404) | {"admin": 403},
)
#: reopening: heads and personnel officers of the unit, admin; the person may not (403)
REOPEN = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK, "staff": 403},
    everyone(404) | {"admin": OK},
)
#: comments: colleagues of the unit and those who score (REVIEWS_COMMENT); not the person
COMMENT = (
    everyone(403) | {"admin": OK, "head": OK},
    everyone(403) | {"admin": OK, "head": 404, "staff": 404},
)
#: one's own reviews: accounts linked to a dossier (the staff member here)
OWN = (everyone(404) | {"staff": OK}, None)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "reviews.list_periods": {"GET": (VIEW[0], None)},
    "reviews.open_period": {"GET": OPEN, "POST": OPEN},
    "reviews.show_period": {"GET": VIEW},
    "reviews.my_reviews": {"GET": OWN},
    "reviews.show_review": {"GET": READ},
    "reviews.save_plan": {"POST": SCORE},
    "reviews.open_self_assessment": {"POST": SCORE},
    "reviews.save_self_assessment": {"POST": SELF},
    "reviews.score": {"POST": SCORE},
    "reviews.finalise": {"POST": SCORE},
    "reviews.reopen": {"POST": REOPEN},
    "reviews.add_comment": {"POST": COMMENT},
}


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "review_id": lambda world, in_scope: world_review(world, in_scope).id,
    "period_id": lambda world, in_scope: world_review(world, in_scope).period_id,
}
