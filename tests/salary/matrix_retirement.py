"""The retirement routes in the authorisation matrix (tests/test_authorization_matrix.py).

The lists take their unit filter as a query parameter (a unit out of scope is a 404: see
tests/salary/test_retirement_list.py); one's own retirement date needs a dossier of one's own
(the staff member's here; the others have none: 404).
"""

from __future__ import annotations

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: salary lists: personnel officers (of their subtree) and administrators; unit heads see the
#: dashboard's counts but not the lists
SALARY_VIEWERS = everyone(403) | {"admin": OK, "officer": OK}
#: one's own retirement date: accounts linked to a dossier
OWN = everyone(404) | {"staff": OK}

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "salary.retirement_list": {"GET": (SALARY_VIEWERS, None)},
    "salary.retirement_xlsx": {"GET": (SALARY_VIEWERS, None)},
    "salary.my_retirement": {"GET": (OWN, None)},
    "salary_api.list_retirements": {"GET": (SALARY_VIEWERS, None)},
    "salary_api.my_retirement": {"GET": (OWN, None)},
}
