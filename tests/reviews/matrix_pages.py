"""The pages of the review cycle in the authorisation matrix (tests/test_authorization_matrix.py).

Records: ``review_id`` is the staff member's own review (division A, in the officer's and the
head's subtree; self-assessment open) or the outside person's in the other department;
``period_id`` the period each belongs to (the same records as matrix_api.py and matrix_annual.py
make, whichever module's maker runs). Empty posts are refused with messages (422): allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

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


def _review(world: Any, in_scope: bool) -> Any:
    """Made once per world, under the same key as the API's and the year's matrices."""
    key = f"_reviews_api_review_{in_scope}"
    if key not in world.__dict__:
        from hrms.extensions import db
        from hrms.reviews.models import Review, ReviewItem, ReviewState
        from tests.reviews import factories

        unit = world.division_a if in_scope else world.other_department
        person = world.own if in_scope else world.outside
        period = factories.period(
            unit, world.users["admin"], dt.date(2026, 3, 1), dt.date(2026, 3, 31)
        )
        review = Review(
            period_id=period.id,
            employee_id=person.id,
            unit_id=person.unit_id,
            scheme_id=factories.scheme("ND335-2025").id,
            state=ReviewState.SELF_ASSESSMENT.value,
        )
        review.items = [
            ReviewItem(title="Thẩm định hồ sơ", assigned_quantity=Decimal(10), weight=Decimal(100))
        ]
        db.session.add(review)
        db.session.commit()
        world.__dict__[key] = review
    return world.__dict__[key]


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "review_id": lambda world, in_scope: _review(world, in_scope).id,
    "period_id": lambda world, in_scope: _review(world, in_scope).period_id,
}
