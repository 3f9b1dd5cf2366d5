"""The statistics routes in the authorisation matrix (tests/test_authorization_matrix.py).

Officers and unit heads see the statistics of their subtree, administrators everything, staff
and accounts without roles nothing (403). The routes take no record in their path: a unit
outside the scope, given as the ``unit_id`` filter, is a 404 (tests/reports/test_statistics.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OK = "ok"
LOGIN = "login"
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


READERS = everyone(403) | {"admin": OK, "officer": OK, "head": OK}

EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "reports.dashboard": {"GET": (READERS, None)},
    "reports.export_table": {"GET": (READERS, None)},
    "reports.personnel_xlsx": {"GET": (READERS, None)},
    "reports.personnel_pdf": {"GET": (READERS, None)},
    "reports_api.statistics": {"GET": (READERS, None)},
}

TARGETS: dict[str, Callable[[Any, bool], Any]] = {"table_name": lambda world, in_scope: "kind"}
