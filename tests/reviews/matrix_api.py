"""The reviews API in the authorisation matrix (tests/test_authorization_matrix.py).

Records: ``review_id`` is the staff member's own review (division A, in the officer's and the
head's subtree) or one of a person of the other department; ``period_id`` is the period of
division A that review belongs to, or the other department's; ``employee_id`` is the core
matrix's (the person in team A or the one outside).
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
#: opening a period: personnel officers (an empty body is refused with messages: allowed)
OPEN = everyone(403) | {"admin": OK, "officer": OK}
#: a review: the person (staff here), and those who read the unit's reviews
READ = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK, "staff": OK},
    everyone(404) | {"admin": OK},
)
#: planning, opening the self-assessment, scoring, finalising: heads over the unit (officers
#: and staff lack the permission: 403 before the record is looked at)
SCORE = (
    everyone(403) | {"admin": OK, "head": OK},
    everyone(403) | {"admin": OK, "head": 404},
)
#: the self-assessment and its submission: the person only; others who see it get a 403
SELF = (
    everyone(404) | {"admin": 403, "officer": 403, "head": 403, "staff": OK},
    everyone(404) | {"admin": 403},
)
#: reopening: heads over the unit and personnel officers, never the person
REOPEN = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK, "staff": 403},
    everyone(404) | {"admin": OK},
)
#: comments need the permission (officers lack it); the person may reach their own review,
#: where the service refuses the comment with a message (422: allowed, refused input)
COMMENT = (
    everyone(403) | {"admin": OK, "head": OK, "staff": OK, "nobody": 403},
    everyone(403) | {"admin": OK, "head": 404, "staff": 404},
)
#: a person's annual ratings: those who read the unit's reviews, and the person
PERSON = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK},
    everyone(404) | {"admin": OK},
)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "reviews_api.list_periods": {"GET": (VIEW[0], None)},
    "reviews_api.open_period": {"POST": (OPEN, None)},
    "reviews_api.show_period": {"GET": VIEW},
    "reviews_api.period_dashboard": {"GET": VIEW},
    "reviews_api.list_reviews": {"GET": (everyone(OK), None)},
    "reviews_api.show_review": {"GET": READ},
    "reviews_api.save_plan": {"PUT": SCORE},
    "reviews_api.open_self_assessment": {"POST": SCORE},
    "reviews_api.save_self_assessment": {"POST": SELF},
    "reviews_api.submit": {"POST": SELF},
    "reviews_api.score": {"POST": SCORE},
    "reviews_api.finalise": {"POST": SCORE},
    "reviews_api.reopen": {"POST": REOPEN},
    "reviews_api.add_comment": {"POST": COMMENT},
    "reviews_api.annual_ratings": {"GET": PERSON},
}


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "review_id": lambda world, in_scope: world_review(world, in_scope).id,
    "period_id": lambda world, in_scope: world_review(world, in_scope).period_id,
}
