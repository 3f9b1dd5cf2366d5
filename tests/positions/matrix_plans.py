"""Position plans and unit positions in the authorisation matrix
(tests/test_authorization_matrix.py).

Records: ``plan_id`` is a draft plan of division A (in scope: its head drafts, the department's
officer approves) or of the other department (out of everyone's scope but the admin's);
``position_id`` is a fresh position of that plan for each URL, since the matrix really removes
the one it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: officers and heads of the subtree, admin everywhere; the permission first (403), then the
#: scope (404)
VIEW = (
    everyone(403) | {"admin": OK, "officer": OK, "head": OK},
    everyone(403) | {"admin": OK, "officer": 404, "head": 404},
)
#: drafting (unit heads of the subtree, admin): officers lack the permission
DRAFT = (
    everyone(403) | {"admin": OK, "head": OK},
    everyone(403) | {"admin": OK, "head": 404},
)
#: approving or returning (officers of the subtree, admin): heads lack the permission
APPROVE = (
    everyone(403) | {"admin": OK, "officer": OK},
    everyone(403) | {"admin": OK, "officer": 404},
)
VIEWERS = VIEW[0]
DRAFTERS = DRAFT[0]

# an empty form or body is refused with messages (422): allowed, refused input
EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "positions.list_plans": {"GET": (VIEWERS, None)},
    "positions.create_plan": {"GET": (DRAFTERS, None), "POST": (DRAFTERS, None)},
    "positions.show_plan": {"GET": VIEW},
    "positions.compare_plan": {"GET": VIEW},
    "positions.plan_pdf": {"GET": VIEW},
    "positions.plan_export": {"GET": VIEW},
    # a POST without a file answers 422 with a message
    "positions.plan_import": {"GET": DRAFT, "POST": DRAFT},
    "positions.submit_plan": {"POST": DRAFT},
    "positions.approve_plan": {"POST": APPROVE},
    "positions.return_plan": {"POST": APPROVE},
    # the unit already has an open version: refused (422)
    "positions.start_plan_version": {"POST": DRAFT},
    "positions.add_position": {"GET": DRAFT, "POST": DRAFT},
    "positions.add_catalogue_position": {"GET": DRAFT, "POST": DRAFT},
    "positions.show_position": {"GET": VIEW},
    "positions.job_description_pdf": {"GET": VIEW},
    "positions.edit_position": {"GET": DRAFT, "POST": DRAFT},
    "positions.remove_position": {"POST": DRAFT},
    "positions_api.list_plans": {"GET": (VIEWERS, None)},
    "positions_api.show_plan": {"GET": VIEW},
    "positions_api.create_plan": {"POST": (DRAFTERS, None)},
    "positions_api.list_positions": {"GET": (VIEWERS, None)},
    "positions_api.show_position": {"GET": VIEW},
    "positions_api.add_position": {"POST": DRAFT},
    "positions_api.update_position": {"PATCH": DRAFT},
}

_codes = count(1)


def _plan(world: Any, in_scope: bool) -> Any:
    key = f"_positions_plan_{in_scope}"
    if key not in world.__dict__:
        from tests.positions import factories

        world.__dict__[key] = factories.plan(
            world.division_a if in_scope else world.other_department
        )
    return world.__dict__[key]


def _plan_id(world: Any, in_scope: bool) -> int:
    return int(_plan(world, in_scope).id)


def _position_id(world: Any, in_scope: bool) -> int:
    from tests.positions import factories

    return int(factories.unit_position(_plan(world, in_scope), f"MX-{next(_codes)}").id)


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "plan_id": _plan_id,
    "position_id": _position_id,
}
