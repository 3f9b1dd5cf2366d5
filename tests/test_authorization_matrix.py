"""Every endpoint × every role × an in-scope and an out-of-scope record.

A route added without an expectation here fails the test, as does a route whose guard
answers differently from what is written below. Features with many routes keep their part in
``tests/<feature>/matrix_*.py``: a dict ``EXPECTED`` like the one below, and ``TARGETS``, which
maps a URL argument to ``(world, in_scope) -> value`` (creating the record when needed).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hrms.codes.models import CodeEntry
from hrms.core.audit import AuditEntry
from hrms.core.security import unguarded_endpoints
from hrms.extensions import db
from tests.conftest import issue_token

OK = "ok"  # allowed: neither 401/403/404 nor a redirect to sign-in, and no server error
LOGIN = "login"  # anonymous: sent to the sign-in page
ROLES = ("anonymous", "admin", "officer", "head", "staff", "nobody")


def everyone(value: object) -> dict[str, object]:
    return dict.fromkeys(ROLES, value) | {"anonymous": LOGIN}


PUBLIC = dict.fromkeys(ROLES, OK)
SIGNED_IN = everyone(OK)
ADMIN_ONLY = everyone(403) | {"admin": OK}
ORG_VIEWERS_IN = everyone(403) | {"admin": OK, "officer": OK, "head": OK}
ORG_VIEWERS_OUT = everyone(403) | {"admin": OK, "officer": 404, "head": 404}
ADMIN_ONLY_MISSING = everyone(403) | {"admin": 404}
DOSSIER_READERS = everyone(403) | {"admin": OK, "officer": OK, "head": OK}
DOSSIER_EDITORS = everyone(403) | {"admin": OK, "officer": OK}
#: another person's dossier in the reader's subtree (staff see only their own: 404 here)
DOSSIER_IN = everyone(404) | {"admin": OK, "officer": OK, "head": OK}
DOSSIER_OUT = everyone(404) | {"admin": OK}
#: pages about one's own dossier: only accounts linked to a dossier (the staff member here)
OWN_DOSSIER = everyone(404) | {"staff": OK}
#: a request on the staff member's own dossier: the person and the officers of the unit
REQUEST_IN = everyone(404) | {"admin": OK, "officer": OK, "staff": OK}
#: editing a dossier: the permission is checked first (403), then the scope (404)
EDIT = (
    everyone(403) | {"admin": OK, "officer": OK},
    everyone(403) | {"admin": OK, "officer": 404},
)

#: endpoint -> method -> (expectation for an in-scope record, for an out-of-scope one)
EXPECTED: dict[str, dict[str, tuple[dict[str, object], dict[str, object] | None]]] = {
    "home.index": {"GET": (SIGNED_IN, None)},
    "home.set_language": {"GET": (PUBLIC, None)},
    "accounts.login": {"GET": (PUBLIC | {"admin": OK}, None), "POST": (PUBLIC, None)},
    "accounts.logout": {"POST": (SIGNED_IN, None)},
    "accounts.change_password": {"GET": (SIGNED_IN, None), "POST": (SIGNED_IN, None)},
    "accounts.list_users": {"GET": (ADMIN_ONLY, None)},
    "accounts.create_user": {"GET": (ADMIN_ONLY, None), "POST": (ADMIN_ONLY, None)},
    "accounts.show_user": {"GET": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "accounts.update_user": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "accounts.add_grant": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "accounts.remove_grant": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "accounts.reset_password": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "accounts.unlock_user": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "org.list_units": {"GET": (ORG_VIEWERS_IN, None)},
    "org.create_unit": {"GET": (ADMIN_ONLY, None), "POST": (ADMIN_ONLY, None)},
    "org.show_unit": {"GET": (ORG_VIEWERS_IN, ORG_VIEWERS_OUT)},
    "org.rename_unit": {"POST": (ADMIN_ONLY, ADMIN_ONLY)},
    "org.move_unit": {"POST": (ADMIN_ONLY, ADMIN_ONLY)},
    "org.close_unit": {"POST": (ADMIN_ONLY, ADMIN_ONLY)},
    "audit.list_entries": {"GET": (ADMIN_ONLY, None)},
    "audit.show_entry": {"GET": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "api.create_token": {"POST": (PUBLIC, None)},
    "api.revoke_current_token": {"DELETE": (SIGNED_IN, None)},
    "api.openapi": {"GET": (PUBLIC, None)},
    "api.docs": {"GET": (PUBLIC, None)},
    "units_api.list_units": {"GET": (ORG_VIEWERS_IN, None)},
    "units_api.show_unit": {"GET": (ORG_VIEWERS_IN, ORG_VIEWERS_OUT)},
    "codes.list_lists": {"GET": (ADMIN_ONLY, None)},
    "codes.show_list": {"GET": (ADMIN_ONLY, None)},
    "codes.create_entry": {"POST": (ADMIN_ONLY, None)},
    "codes.show_entry": {"GET": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "codes.update_entry": {"POST": (ADMIN_ONLY, ADMIN_ONLY_MISSING)},
    "codes_api.list_entries": {"GET": (SIGNED_IN, None)},
    "employees.list_employees": {"GET": (DOSSIER_READERS, None)},
    "employees.create_employee": {"GET": (DOSSIER_EDITORS, None), "POST": (DOSSIER_EDITORS, None)},
    "employees.my_dossier": {"GET": (SIGNED_IN, None)},
    "employees.show_employee": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "employees.edit_section": {"GET": EDIT, "POST": EDIT},
    "employees.add_decision": {"GET": EDIT, "POST": EDIT},
    "employees.add_training": {"POST": EDIT},
    "employees.add_family_member": {"POST": EDIT},
    "employees.remove_training": {"POST": EDIT},
    "employees.remove_family_member": {"POST": EDIT},
    "employees_api.list_employees": {"GET": (DOSSIER_READERS, None)},
    "employees_api.create_employee": {"POST": (DOSSIER_EDITORS, None)},
    "employees_api.show_employee": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "employees_api.update_employee": {"PATCH": EDIT},
    "employees_api.list_decisions": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "employees_api.create_decision": {"POST": EDIT},
    "employees_api.employee_audit": {"GET": EDIT},
    "corrections.list_requests": {"GET": (DOSSIER_EDITORS, None)},
    "corrections.create_request": {"GET": (OWN_DOSSIER, None), "POST": (OWN_DOSSIER, None)},
    "corrections.my_requests": {"GET": (OWN_DOSSIER, None)},
    "corrections.show_request": {"GET": (REQUEST_IN, DOSSIER_OUT)},
    "corrections.decide": {"POST": EDIT},
    "corrections.withdraw": {"POST": (REQUEST_IN, DOSSIER_OUT)},
    "attachments.list_files": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "attachments.upload": {"POST": (DOSSIER_IN | {"head": 403}, DOSSIER_OUT)},
    "attachments.download": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "attachments.withdraw": {"POST": EDIT},
    "attachments.photo": {"GET": (DOSSIER_IN, DOSSIER_OUT)},
    "employees.download_import_template": {"GET": (DOSSIER_EDITORS, None)},
    # a POST without a file answers 422 with a message: allowed, refused input
    "employees.import_dossiers": {"GET": (DOSSIER_EDITORS, None), "POST": (DOSSIER_EDITORS, None)},
    "employees.export_dossiers": {"GET": (DOSSIER_READERS, None)},
    # form 2C holds sensitive items: a unit head who sees the dossier is refused (403)
    "employees.print_2c": {"GET": (DOSSIER_IN | {"head": 403}, DOSSIER_OUT)},
    "employees_api.employee_2c_pdf": {"GET": (DOSSIER_IN | {"head": 403}, DOSSIER_OUT)},
    # called without ?unit_id=: 422 with a message for those allowed
    "employees.print_2c_zip": {"GET": (DOSSIER_EDITORS, None)},
}

MISSING_ID = 987654


def _feature_matrices() -> tuple[dict[str, Any], dict[str, Callable[[Any, bool], Any]]]:
    expected: dict[str, Any] = {}
    targets: dict[str, Callable[[Any, bool], Any]] = {}
    for path in sorted(Path(__file__).parent.glob("*/matrix_*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        overlap = expected.keys() & module.EXPECTED.keys()
        assert not overlap, f"{path.name} repeats {overlap}"
        expected |= module.EXPECTED
        targets |= getattr(module, "TARGETS", {})
    return expected, targets


FEATURE_EXPECTED, FEATURE_TARGETS = _feature_matrices()
assert not FEATURE_EXPECTED.keys() & EXPECTED.keys()
EXPECTED |= FEATURE_EXPECTED


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.rsplit(".", 1)[-1] == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return routes


def test_every_route_has_an_expectation(app: Flask) -> None:
    routes = {(endpoint, method) for endpoint, method, _ in _routes(app)}
    written = {(endpoint, method) for endpoint, methods in EXPECTED.items() for method in methods}
    assert routes - written == set(), "routes without an entry in the authorisation matrix"
    assert written - routes == set(), "matrix entries for routes that no longer exist"
    assert unguarded_endpoints(app) == []


def _url(app: Flask, endpoint: str, world, in_scope: bool) -> str:  # type: ignore[no-untyped-def]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    audit_entry = db.session.query(AuditEntry).order_by(AuditEntry.id).first()
    code_entry = db.session.query(CodeEntry).filter_by(list_name="ethnicity", code="01").one()
    targets = {
        "unit_id": lambda: world.team_a.id if in_scope else world.other_department.id,
        "user_id": lambda: world.users["staff"].id if in_scope else MISSING_ID,
        "grant_id": lambda: world.staff_grant_id if in_scope else MISSING_ID,
        "entry_id": lambda: (
            (code_entry if endpoint.startswith("codes.") else audit_entry).id
            if in_scope
            else MISSING_ID
        ),
        "list_name": lambda: "ethnicity",
        "employee_id": lambda: (world.in_team if in_scope else world.outside).id,
        "section": lambda: "identity",
        "request_id": lambda: _request_id(world.own if in_scope else world.outside),
        "attachment_id": lambda: _attachment_id(world.in_team if in_scope else world.outside),
        "part_id": lambda: _part_id(endpoint, world.in_team if in_scope else world.outside),
        "code": lambda: "en",
    } | {name: (lambda make=make: make(world, in_scope)) for name, make in FEATURE_TARGETS.items()}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{arg: targets[arg]() for arg in rule.arguments})


def _api_call(client, method: str, url: str, world, role: str):  # type: ignore[no-untyped-def]
    """API calls carry a fresh bearer token of the role, from a client without cookies."""
    headers = (
        {} if role == "anonymous" else {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    )
    api_client = client.application.test_client(use_cookies=False)
    return api_client.open(
        url, method=method, headers=headers, json={} if method != "GET" else None
    )


def _attachment_id(employee) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hrms.attachments.models import Attachment

    query = select(Attachment.id).where(Attachment.employee_id == employee.id)
    return db.session.scalars(query).first() or MISSING_ID


def _request_id(employee) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hrms.corrections.models import CorrectionRequest

    query = select(CorrectionRequest.id).where(CorrectionRequest.employee_id == employee.id)
    return db.session.scalars(query).first() or MISSING_ID


def _part_id(endpoint: str, employee) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hrms.employees.models import FamilyMember, TrainingRecord

    model = TrainingRecord if "training" in endpoint else FamilyMember
    found = db.session.scalar(select(model.id).where(model.employee_id == employee.id))
    return found if found is not None else MISSING_ID


@pytest.mark.parametrize("role", ROLES)
def test_matrix(app: Flask, client, world, login_as, role: str) -> None:  # type: ignore[no-untyped-def]
    if role != "anonymous":
        login_as(role)
    world.staff_grant_id = world.users["staff"].grants[0].id  # removed by the matrix itself
    failures = []
    for endpoint, methods in sorted(EXPECTED.items()):
        for method, (inside, outside) in methods.items():
            for in_scope, table in ((True, inside), (False, outside)):
                if table is None:
                    continue
                url = _url(app, endpoint, world, in_scope)
                if url.startswith("/api/"):
                    response = _api_call(client, method, url, world, role)
                elif method == "POST":
                    response = client.post_form(url, {})
                else:
                    response = client.get(url)
                if endpoint == "accounts.logout" and role != "anonymous":
                    login_as(role)  # sign back in for the rest of the matrix
                expected = table[role]
                status = response.status_code
                location = response.headers.get("Location", "")
                if expected == OK:
                    good = (
                        status < 500 and status not in (401, 403, 404) and "/login" not in location
                    )
                    if endpoint == "accounts.logout":
                        good = status == 302  # to the sign-in page, as intended
                    if endpoint == "accounts.login":
                        good = status < 500 and status not in (403, 404)  # 401: wrong password
                elif expected == LOGIN and url.startswith("/api/"):
                    good = status == 401 and response.is_json
                elif expected == LOGIN:
                    good = status == 302 and "/login" in location
                else:
                    good = status == expected
                if not good:
                    where = f"{method} {url} ({endpoint}, in_scope={in_scope})"
                    failures.append(f"{where}: {status}, expected {expected}")
    assert failures == [], "\n".join(failures)
