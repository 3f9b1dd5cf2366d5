"""The raise routes in the authorisation matrix (tests/test_authorization_matrix.py).

Records: ``employee_id`` is the core matrix's (the person in team A or the one outside);
``batch_id`` is a draft raise batch of team A (in the officer's department) or of the other
department. Empty posts are refused with messages (422) for those allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: lists of the scope: officers and admin (SALARY_VIEW / SALARY_RAISE)
LIST = (everyone(403) | {"admin": OK, "officer": OK}, None)
#: a batch: permission first (403), then the scope (404)
BATCH = (
    everyone(403) | {"admin": OK, "officer": OK},
    everyone(403) | {"admin": OK, "officer": 404},
)
#: a person's next raise: officers in scope and the person (404 otherwise)
PERSON = (
    everyone(404) | {"admin": OK, "officer": OK},
    everyone(404) | {"admin": OK},
)
#: one's own next raise: accounts linked to a dossier (the staff member here)
OWN = (everyone(404) | {"staff": OK}, None)

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "salary.raise_list": {"GET": LIST},
    "salary.export_raises": {"GET": LIST},
    "salary.create_batch": {"POST": LIST},
    "salary.list_batches": {"GET": LIST},
    "salary.show_batch": {"GET": BATCH},
    "salary.confirm_batch": {"POST": BATCH},
    "salary.discard_batch": {"POST": BATCH},
    "salary.early_raises": {"GET": LIST},
    "salary.employee_raise": {"GET": PERSON},
    "salary.my_raise": {"GET": OWN},
    "salary_api.list_raises": {"GET": LIST},
    "salary_api.early_raises": {"GET": LIST},
    "salary_api.employee_raise": {"GET": PERSON},
    "salary_api.create_batch": {"POST": LIST},
    "salary_api.show_batch": {"GET": BATCH},
    "salary_api.confirm_batch": {"POST": BATCH},
    "salary_api.discard_batch": {"POST": BATCH},
}


def _batch_id(world: Any, in_scope: bool) -> int:
    key = f"_raise_batch_{in_scope}"
    if key not in world.__dict__:
        from hrms.extensions import db
        from hrms.salary.raise_models import RaiseBatch

        batch = RaiseBatch(
            unit_id=(world.team_a if in_scope else world.other_department).id,
            number_suffix="/QĐ-SNV",
            first_number=1,
            signed_on=dt.date(2026, 1, 5),
            issuer="Sở Nội vụ",
            state="draft",
            created_by=world.users["admin"].id,
        )
        db.session.add(batch)
        db.session.commit()
        world.__dict__[key] = batch.id
    return int(world.__dict__[key])


TARGETS: dict[str, Callable[[Any, bool], Any]] = {"batch_id": _batch_id}
