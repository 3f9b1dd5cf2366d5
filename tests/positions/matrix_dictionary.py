"""The competency dictionary and the framework catalogue in the authorisation matrix
(tests/test_authorization_matrix.py).

Both are shared by the whole organisation: no record is out of anyone's scope, so each route has
one expectation (``competency_id`` and ``framework_position_id`` are rows of the seed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: reading the dictionary: every signed-in account
SIGNED_IN = everyone(OK)
#: reading the catalogue: those who see positions (officers, heads, admin)
POSITION_VIEWERS = everyone(403) | {"admin": OK, "officer": OK, "head": OK}
#: changing the dictionary or the catalogue: administrators only
MANAGERS = everyone(403) | {"admin": OK}

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "positions.competencies": {"GET": (SIGNED_IN, None)},
    "positions.competency_show": {"GET": (SIGNED_IN, None)},
    # an empty form is refused with messages (422): allowed, refused input
    "positions.competency_create": {"GET": (MANAGERS, None), "POST": (MANAGERS, None)},
    "positions.competency_add_version": {"GET": (MANAGERS, None), "POST": (MANAGERS, None)},
    # without the wanted state: a redirect with a message
    "positions.competency_set_active": {"POST": (MANAGERS, None)},
    "positions.catalogue": {"GET": (POSITION_VIEWERS, None)},
    "positions.catalogue_show": {"GET": (POSITION_VIEWERS, None)},
    "positions.catalogue_create": {"GET": (MANAGERS, None), "POST": (MANAGERS, None)},
    "positions.catalogue_edit": {"GET": (MANAGERS, None), "POST": (MANAGERS, None)},
    "positions.catalogue_set_active": {"POST": (MANAGERS, None)},
    "positions.catalogue_import_template": {"GET": (MANAGERS, None)},
    "positions.catalogue_export": {"GET": (POSITION_VIEWERS, None)},
    # a POST without a file answers 422 with a message
    "positions.catalogue_import": {"GET": (MANAGERS, None), "POST": (MANAGERS, None)},
    "positions_api.list_competencies": {"GET": (SIGNED_IN, None)},
    "positions_api.show_competency": {"GET": (SIGNED_IN, None)},
    "positions_api.list_framework_positions": {"GET": (POSITION_VIEWERS, None)},
    "positions_api.show_framework_position": {"GET": (POSITION_VIEWERS, None)},
}


def _competency_id(world: Any, in_scope: bool) -> int:
    from sqlalchemy import select

    from hrms.extensions import db
    from positions.models import Competency

    return int(db.session.scalar(select(Competency.id).where(Competency.code == "CHUNG-01")))


def _framework_position_id(world: Any, in_scope: bool) -> int:
    from sqlalchemy import select

    from hrms.extensions import db
    from positions.models import FrameworkPosition

    query = select(FrameworkPosition.id).where(FrameworkPosition.code == "VT-CM-02")
    return int(db.session.scalar(query))


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "competency_id": _competency_id,
    "framework_position_id": _framework_position_id,
}
