"""Issue 3's "done when", end to end: ``examples/api_tour.py`` (standard library and
``requests`` only) against a live server on its own SQLite file loaded with the demo data.

Each demo account lists exactly what the database says it may see; the officer creates and
updates a dossier, and a second update with the old version is a 409 in the error envelope; the
officer and a staff member (their own) read a finalised review's breakdown; a head of another
division gets a 404; revoked tokens answer 401. The whole tour (``main``) runs too.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests
from sqlalchemy import select

from hrms.accounts.models import User
from hrms.demo import DEMO_ACCOUNTS
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews.models import Review, ReviewState
from hrms.settings import DEFAULT_DEMO_PASSWORD
from tests.live_server import LiveServer, serve_demo

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "api_tour.py"
PASSWORD = DEFAULT_DEMO_PASSWORD


def _load_script() -> ModuleType:
    """The script as users run it, imported from its file (``examples`` is not a package)."""
    spec = importlib.util.spec_from_file_location("api_tour", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tour = _load_script()


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """Replaces the suite's per-test transaction: the live server uses its own database."""
    yield


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a fresh SQLite file with the demo data, served on a free local port."""
    # the module signs in some twenty times within a minute (the limit is tested elsewhere)
    limit = {"HRMS_SIGN_IN_RATE_LIMIT": "1000 per minute"}
    with serve_demo(tmp_path_factory.mktemp("api-tour"), limit) as server:
        yield server


@dataclass(frozen=True)
class Expected:
    """What the database says an account may list (None: the list is refused, 403)."""

    units: set[int] | None
    employees: set[int] | None
    reviews: set[int]
    own_reviews: set[int]
    employee_id: int | None


def expected_for(live: LiveServer, username: str) -> Expected:
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    with live.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        own = user.employee_id
        if account.grant_at is None:  # the administrator: everything
            within: Any = Unit.path.is_not(None)
        else:
            root = db.session.scalar(select(Unit).where(Unit.code == account.grant_at))
            assert root is not None
            within = Unit.path.startswith(root.path)
        staff = account.role == "staff"
        units = set(db.session.scalars(select(Unit.id).where(within, Unit.effective_to.is_(None))))
        employees = set(
            db.session.scalars(
                select(Employee.id).join(Unit, Unit.id == Employee.unit_id).where(within)
            )
        )
        reviewed = select(Review.id).join(Unit, Unit.id == Review.unit_id)
        own_reviews = set(db.session.scalars(select(Review.id).where(Review.employee_id == own)))
        reviews = own_reviews if staff else set(db.session.scalars(reviewed.where(within)))
        db.session.remove()
    return Expected(
        None if staff else units,
        None if staff else employees | ({own} if own else set()),
        reviews | own_reviews,
        own_reviews,
        own,
    )


def ids(items: list[dict[str, Any]] | None) -> set[int] | None:
    return None if items is None else {item["id"] for item in items}


def sign_in(live: LiveServer, username: str) -> Any:
    return tour.sign_in(live.url, username, PASSWORD)


def test_the_script_knows_every_demo_account() -> None:
    assert tuple(account.username for account in DEMO_ACCOUNTS) == tour.DEMO_USERNAMES
    assert f'or "{DEFAULT_DEMO_PASSWORD}"' in SCRIPT.read_text()  # the default password


@pytest.mark.parametrize("username", [account.username for account in DEMO_ACCOUNTS])
def test_each_account_lists_exactly_its_scope(live: LiveServer, username: str) -> None:
    session = sign_in(live, username)
    seen = tour.what_they_see(session)
    expected = expected_for(live, username)
    assert ids(seen.units) == expected.units
    assert ids(seen.employees) == expected.employees
    assert ids(seen.reviews) == expected.reviews
    assert ids(seen.own_reviews) == expected.own_reviews
    if expected.employee_id is not None:  # everyone with a dossier reads it, staff included
        assert len(expected.own_reviews) >= 3  # the finished months and the current one
        own = tour.show_employee(session, expected.employee_id)
        assert own["full_name"] == session.user["full_name"]
        assert "national_id" in own  # the person sees their identity number
    tour.revoke(session)


def test_staff_reach_nobody_elses_dossier(live: LiveServer) -> None:
    session = sign_in(live, "staff")
    expected = expected_for(live, "staff")
    division = expected_for(live, "head").employees  # the staff member's division
    assert division is not None
    colleague = min(division - {expected.employee_id})
    with pytest.raises(tour.ApiError) as refused:
        tour.show_employee(session, colleague)
    assert (refused.value.status, refused.value.code) == (404, "not_found")
    with pytest.raises(tour.ApiError) as refused:
        tour.list_employees(session)
    assert refused.value.status == 403
    tour.revoke(session)


def test_the_officer_creates_and_updates_a_dossier_with_optimistic_locking(
    live: LiveServer,
) -> None:
    session = sign_in(live, "officer")
    unit = next(u for u in tour.list_units(session) if u["name"] == "Phòng Công chức, viên chức")
    body = tour.new_dossier(unit["id"])
    created = tour.create_employee(session, body)
    assert (created["full_name"], created["hometown"], created["unit_id"]) == (
        "Hoàng Thị Thanh Xuân",
        "Kim Sơn, Ninh Bình",
        unit["id"],
    )
    assert created["national_id"] == body["national_id"]
    assert body["national_id"][3:6] == "196"  # a woman (1), born in the 1900s, in '96
    assert created["version"] == 1 and created["status"] == "working"
    assert created["id"] in ids(tour.list_employees(session, unit_id=unit["id"]))  # type: ignore[operator]

    updated = tour.update_employee(
        session, created["id"], created["version"], {"phone": "0912 345 678", "religion_code": "00"}
    )
    assert (updated["version"], updated["phone"], updated["religion"]) == (2, "0912 345 678", "00")
    # a second client still holding version 1
    stale = session.request(
        "PATCH",
        f"/employees/{created['id']}",
        json={"version": created["version"], "phone": "0987 654 321"},
    )
    assert stale.status_code == 409
    envelope = stale.json()
    assert set(envelope) == {"error"} and set(envelope["error"]) == {"code", "message", "fields"}
    assert envelope["error"]["code"] == "conflict" and envelope["error"]["message"]
    with pytest.raises(tour.ApiError) as refused:
        tour.update_employee(session, created["id"], created["version"], {"phone": "0987 654 321"})
    assert refused.value.status == 409
    assert tour.show_employee(session, created["id"])["phone"] == "0912 345 678"  # unchanged

    # the web form's validation: digit 4 says a man, the dossier says a woman
    wrong = body | {"national_id": "037096" + body["national_id"][6:]}
    with pytest.raises(tour.ApiError) as refused:
        tour.create_employee(session, wrong)
    assert refused.value.status == 422 and list(refused.value.fields) == ["national_id"]
    # a head reads dossiers but does not write them
    head = sign_in(live, "head")
    with pytest.raises(tour.ApiError) as refused:
        tour.update_employee(head, created["id"], updated["version"], {"phone": "0900 000 000"})
    assert refused.value.status == 403
    for each in (session, head):
        tour.revoke(each)


def test_finalised_reviews_show_their_breakdown(live: LiveServer) -> None:
    officer = sign_in(live, "officer")
    review = tour.finalised_review(officer)
    assert review is not None and review["state"] == ReviewState.FINALISED.value
    steps = review["breakdown"]
    assert steps["total"] == review["total"] and review["final_rating"]
    assert len(steps["outputs"]) == len(review["items"])
    assert {"quantity", "quality", "timeliness", "combined"} <= set(steps["outputs"][0])
    assert tour.describe_breakdown(review)[0].endswith(
        f"total {review['total']}, rating {review['final_rating']}"
    )

    staff = sign_in(live, "staff")
    expected = expected_for(live, "staff")
    mine = tour.finalised_review(staff, expected.employee_id)
    assert mine is not None and mine["own"] and mine["employee_id"] == expected.employee_id
    assert mine["breakdown"]["total"] == mine["total"]
    # someone else's review, even of the same division: absent for a staff member
    other = next(r for r in tour.list_reviews(officer) if r["employee_id"] != mine["employee_id"])
    with pytest.raises(tour.ApiError) as refused:
        tour.show_review(staff, other["id"])
    assert refused.value.status == 404

    # the head of another division: a review of Phòng Công chức, viên chức does not exist for them
    head2 = sign_in(live, "head2")
    ccvc = next(
        r for r in tour.list_reviews(officer) if r["unit_name"] == "Phòng Công chức, viên chức"
    )
    with pytest.raises(tour.ApiError) as refused:
        tour.show_review(head2, ccvc["id"])
    assert (refused.value.status, refused.value.code) == (404, "not_found")
    assert tour.list_reviews(head2, employee_id=ccvc["employee_id"]) == []
    assert tour.show_review(sign_in(live, "head"), ccvc["id"])["id"] == ccvc["id"]
    for each in (officer, staff, head2):
        tour.revoke(each)


def test_revoked_tokens_answer_401(live: LiveServer) -> None:
    session = sign_in(live, "head")
    assert tour.list_units(session)
    tour.revoke(session)
    for method, path in (
        ("GET", "/units"),
        ("GET", "/reviews"),
        ("DELETE", "/auth/tokens/current"),
    ):
        response = session.request(method, path)
        assert response.status_code == 401
        assert response.json()["error"]["code"]
    with pytest.raises(tour.ApiError) as refused:
        tour.sign_in(live.url, "head", "not the password")
    assert refused.value.status == 401


def test_the_whole_tour_runs(live: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert tour.main(["--base-url", live.url, "--password", PASSWORD]) == 0
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert f"{account.username} — {account.full_name}" in out
    assert "stale update refused: 409 conflict" in out
    assert "units: not allowed (403); dossiers: not allowed (403)" in out  # staff
    assert out.count("token revoked: the next request answers 401") == len(DEMO_ACCOUNTS)
    assert tour.main(["--base-url", "http://127.0.0.1:9", "--password", PASSWORD]) == 1


def test_the_documentation_covers_the_tour(live: LiveServer) -> None:
    spec = requests.get(f"{live.url}/api/v1/openapi.json", timeout=30).json()
    paths = spec["paths"]
    assert {"post"} <= set(paths["/auth/tokens"]) and "delete" in paths["/auth/tokens/current"]
    assert {"get", "post"} <= set(paths["/employees"])
    assert {"get", "patch"} <= set(paths["/employees/{employee_id}"])
    assert "409" in paths["/employees/{employee_id}"]["patch"]["responses"]
    assert "get" in paths["/units"] and "get" in paths["/reviews/{review_id}"]
    # the self-assessment, scoring and finalisation are POSTs on the review
    for action in ("self-assessment", "score", "finalisation"):
        assert set(paths[f"/reviews/{{review_id}}/{action}"]) == {"post"}
    docs = requests.get(f"{live.url}/api/v1/docs", timeout=30)
    assert docs.status_code == 200 and "/employees/{employee_id}" in docs.text
