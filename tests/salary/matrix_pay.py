"""Helper A's salary routes in the authorisation matrix (tests/test_authorization_matrix.py):
a person's salary (officers in scope, administrators, the person: 404 for anyone else) and the
rule data (administrators).

Records: ``employee_id`` is the core matrix's (the person in team A, or the one outside);
``rule_table`` is the base-salary table and ``rule_id`` its first row (or an id no row has).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")
MISSING_ID = 987654


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


#: another person's salary: officers of the subtree and admin; unit heads see the dossier but
#: not the salary; staff see only their own (404 here)
SALARY = (
    everyone(404) | {"admin": OK, "officer": OK},
    everyone(404) | {"admin": OK},
)
#: one's own salary: accounts linked to a dossier (the staff member here)
OWN = (everyone(404) | {"staff": OK}, None)
ADMIN_ONLY = everyone(403) | {"admin": OK}
#: a version of the rule data: administrators (an absent one is 404 for them)
RULE_VERSION = (ADMIN_ONLY, everyone(403) | {"admin": 404})

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "salary.person_salary": {"GET": SALARY},
    "salary.my_salary": {"GET": OWN},
    "salary.rules_index": {"GET": (ADMIN_ONLY, None)},
    # an empty form is refused with messages (422): allowed, refused input
    "salary.add_rule_version": {"GET": (ADMIN_ONLY, None), "POST": (ADMIN_ONLY, None)},
    "salary.edit_rule_version": {"GET": RULE_VERSION, "POST": RULE_VERSION},
    "salary_api.employee_salary": {"GET": SALARY},
    "salary_api.employee_salary_history": {"GET": SALARY},
    "salary_api.salary_rules": {"GET": (ADMIN_ONLY, None)},
}


def _rule_id(world: Any, in_scope: bool) -> int:
    from sqlalchemy import select

    from hrms.extensions import db
    from hrms.salary.models import BaseSalary

    if not in_scope:
        return MISSING_ID
    return int(db.session.scalars(select(BaseSalary.id).order_by(BaseSalary.id)).first() or 0)


TARGETS: dict[str, Callable[[Any, bool], Any]] = {
    "rule_table": lambda world, in_scope: "base-salaries",
    "rule_id": _rule_id,
}
