"""The staffing routes in the authorisation matrix (tests/test_authorization_matrix.py).

Records: ``employee_id`` and ``unit_id`` are the core matrix's (the person in team A or the one
outside; team A or the other department); ``placement_id`` is a concurrent placement of that
same person in their unit's approved plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: staffing tables and gaps of a unit: officers and heads of the subtree, admin everywhere
VIEW = (
    everyone(403) | {"admin": OK, "officer": OK, "head": OK},
    everyone(403) | {"admin": OK, "officer": 404, "head": 404},
)
#: placing people (and ending placements): the same audience, with POSITIONS_PLACE
PLACE = VIEW
#: a person's position and competencies: those who see the unit, and the person (404 otherwise)
PERSON = (
    everyone(404) | {"admin": OK, "officer": OK, "head": OK},
    everyone(404) | {"admin": OK},
)
#: the unit head's assessment: heads of the subtree and admin (officers do not assess)
ASSESS = (
    everyone(403) | {"admin": OK, "head": OK},
    everyone(403) | {"admin": OK, "head": 404},
)
#: pages about one's own competencies: accounts linked to a dossier (the staff member here)
OWN = (everyone(404) | {"staff": OK}, None)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "staffing.index": {"GET": (VIEW[0], None)},
    "staffing.unit_table": {"GET": VIEW},
    "staffing.unit_gaps": {"GET": VIEW},
    "staffing.person_competencies": {"GET": PERSON},
    "staffing.my_competencies": {"GET": OWN},
    "staffing.self_assess": {"POST": OWN},
    # an empty form is refused with messages (422): allowed, refused input
    "staffing.assess": {"POST": ASSESS},
    "staffing.place": {"GET": PLACE, "POST": PLACE},
    "staffing.end_placement": {"GET": PLACE, "POST": PLACE},
    "staffing_api.competency_gaps": {"GET": PERSON},
    "staffing_api.unit_staffing": {"GET": VIEW},
    "staffing_api.list_placements": {"GET": PERSON},
    "staffing_api.create_placement": {"POST": PLACE},
    "staffing_api.end_placement": {"POST": PLACE},
    # the kind (head or self) is in the body: an empty one is refused (422) for those who see
    # the person
    "staffing_api.create_assessment": {"POST": PERSON},
}


def _placement_id(world: Any, in_scope: bool) -> int:
    key = f"_staffing_placement_{in_scope}"
    if key not in world.__dict__:
        from tests.staffing import factories

        unit = world.team_a if in_scope else world.other_department
        person = world.in_team if in_scope else world.outside
        plan = factories.plan(unit)
        main = factories.position(plan, "VT-01", headcount=2)
        other = factories.position(plan, "VT-02", "Văn thư")
        factories.placement(person, main)
        world.__dict__[key] = factories.placement(person, other, main=False).id
    return int(world.__dict__[key])


TARGETS: dict[str, Callable[[Any, bool], Any]] = {"placement_id": _placement_id}
