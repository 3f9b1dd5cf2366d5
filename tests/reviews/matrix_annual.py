"""The routes of the year, the documents and the scheme administration in the authorisation
matrix (tests/test_authorization_matrix.py).

Records: ``unit_id`` is the core matrix's (team A, or the other department); ``annual_id`` an
annual rating of the person in team A or of the one outside; ``period_id`` and ``review_id`` the
staff member's own review in division A's period, or the outside person's in the other
department's (made once by tests.reviews.api_support.world_review);
``scheme_id`` a shipped scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.reviews.api_support import world_review

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: the year of a unit: personnel officers of the subtree (REVIEWS_OPEN) and admin
RATE = (
    everyone(403) | {"admin": OK, "officer": OK},
    everyone(403) | {"admin": OK, "officer": 404},
)
#: documents of a period: those who read reviews of the unit or of a unit under it
VIEW = (
    everyone(403) | {"admin": OK, "officer": OK, "head": OK},
    everyone(403) | {"admin": OK, "officer": 404, "head": 404},
)
#: a review's form: whoever sees the review (here the staff member's own)
READ = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK, "staff": OK},
    everyone(404) | {"admin": OK},
)
ADMIN = everyone(403) | {"admin": OK}

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "reviews.annual_index": {"GET": (RATE[0], None)},
    "reviews.annual_unit": {"GET": RATE},
    "reviews.annual_compute": {"POST": RATE},
    "reviews.annual_finalise": {"POST": RATE},
    # an empty form is refused with messages (422): allowed, refused input
    "reviews.annual_decide": {"POST": RATE},
    "reviews.annual_adjust": {"POST": RATE},
    "reviews.export_annual": {"GET": RATE},
    "reviews.print_period_summary": {"GET": VIEW},
    "reviews.export_period_results": {"GET": VIEW},
    "reviews.print_review": {"GET": READ},
    "reviews.scheme_list": {"GET": (ADMIN, None)},
    "reviews.scheme_assign": {"POST": (ADMIN, None)},
    "reviews.scheme_create": {"GET": (ADMIN, None), "POST": (ADMIN, None)},
    "reviews.scheme_show": {"GET": (ADMIN, None)},
    "reviews.scheme_add_version": {"GET": (ADMIN, None), "POST": (ADMIN, None)},
}


def _annual_id(world: Any, in_scope: bool) -> int:
    key = f"_reviews_annual_{in_scope}"
    if key not in world.__dict__:
        from hrms.extensions import db
        from hrms.reviews.models import AnnualRating
        from tests.reviews import factories

        person = world.in_team if in_scope else world.outside
        annual = AnnualRating(
            employee_id=person.id,
            year=2026,
            scheme_id=factories.scheme("ND335-2025").id,
            unit_id=person.unit_id,
            agency_id=(world.department if in_scope else world.other_department).id,
            task_group="professional",
            average=Decimal("86.50"),
            periods=3,
            band="good",
            rating="good",
        )
        db.session.add(annual)
        db.session.commit()
        world.__dict__[key] = annual.id
    return int(world.__dict__[key])


def _scheme_id(world: Any, in_scope: bool) -> int:
    from tests.reviews import factories

    return int(factories.scheme("ND335-2025").id)


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "annual_id": _annual_id,
    "year": lambda world, in_scope: 2026,
    "scheme_id": _scheme_id,
    "review_id": lambda world, in_scope: world_review(world, in_scope).id,
    "period_id": lambda world, in_scope: world_review(world, in_scope).period_id,
}
