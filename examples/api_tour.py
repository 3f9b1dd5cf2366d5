"""A tour of the HRMS JSON API (v1) with nothing but the standard library and ``requests``.

It signs in as each demo account (``flask seed-demo``), shows what that account may see and
nothing more, and — as the personnel officer — creates a dossier, updates it with optimistic
locking (a second update carrying the old ``version`` is refused with a 409), and reads the score
breakdown of a finalised review. Each token is revoked at the end.

Run it against a server loaded with the demo data::

    flask --app wsgi seed-demo && flask --app wsgi run          # in one terminal
    python examples/api_tour.py --base-url http://127.0.0.1:5000  # in another

The conventions it relies on (tokens, the error envelope, paged lists, ``version`` on writes)
are described at ``/api/v1/docs`` and in ``/api/v1/openapi.json``. The functions below are
small on purpose: copy them into an integration.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
#: the demo password unless the server was seeded with another (HRMS_DEMO_PASSWORD)
DEFAULT_PASSWORD = os.environ.get("HRMS_DEMO_PASSWORD") or "Demo@HRMS-2026"
#: the demo accounts, as hrms/demo.py creates them (the script imports nothing from the app)
DEMO_USERNAMES = ("admin", "officer", "head", "staff", "officer2", "head2", "staff2")
#: the largest page the API serves
PER_PAGE = 200
TIMEOUT = 30  # seconds for each request


class ApiError(Exception):
    """A refusal in the API's error envelope: ``{"error": {"code", "message", "fields"}}``."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        error = body.get("error", {})
        self.status = status
        self.code: str = error.get("code", "")
        self.message: str = error.get("message", "")
        self.fields: dict[str, list[str]] = error.get("fields", {})
        super().__init__(f"{status} {self.code}: {self.message} {self.fields or ''}".strip())


@dataclass
class Session:
    """A signed-in account: the bearer token and who it belongs to."""

    base_url: str
    token: str
    user: dict[str, Any]
    expires_at: str
    http: requests.Session = field(default_factory=requests.Session, repr=False)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request to ``/api/v1<path>`` with the token (messages in English)."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        return self.http.request(
            method, f"{self.base_url}/api/v1{path}", headers=headers, timeout=TIMEOUT, **kwargs
        )

    def call(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        """The JSON answer of a request; :class:`ApiError` unless it answers ``expected``."""
        return answer(self.request(method, path, **kwargs), expected)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params)


def answer(response: requests.Response, expected: int) -> Any:
    """The body of ``response`` if its status is ``expected`` (None for an empty 204)."""
    if response.status_code != expected:
        raise ApiError(response.status_code, response.json())
    return response.json() if response.content else None


# Tokens ----------------------------------------------------------------------------------------


def sign_in(base_url: str, username: str, password: str) -> Session:
    """``POST /api/v1/auth/tokens``: 201 with the token, its expiry and its owner's grants; a
    wrong username or password is a 401 with the same message either way."""
    http = requests.Session()
    response = http.post(
        f"{base_url.rstrip('/')}/api/v1/auth/tokens",
        json={"username": username, "password": password},
        headers={"Accept-Language": "en"},
        timeout=TIMEOUT,
    )
    body = answer(response, 201)
    return Session(base_url.rstrip("/"), body["token"], body["user"], body["expires_at"], http)


def revoke(session: Session) -> None:
    """``DELETE /api/v1/auth/tokens/current``: the token stops working at once (then 401)."""
    session.call("DELETE", "/auth/tokens/current", expected=204)


# Lists -----------------------------------------------------------------------------------------


def pages(session: Session, path: str, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every item of a paged list (``{"items", "total", "page", "per_page"}``), page by page."""
    page = 1
    while True:
        body = session.get(path, page=page, per_page=PER_PAGE, **filters)
        yield from body["items"]
        if page * body["per_page"] >= body["total"] or not body["items"]:
            return
        page += 1


def list_units(session: Session) -> list[dict[str, Any]]:
    """``GET /api/v1/units``: the open units in the account's scope, in tree order."""
    return list(pages(session, "/units"))


def list_employees(session: Session, **filters: Any) -> list[dict[str, Any]]:
    """``GET /api/v1/employees``: dossiers in scope (filters ``q``, ``unit_id``, ``kind``,
    ``status``); the identity number only where the account may see it."""
    return list(pages(session, "/employees", **filters))


def list_reviews(session: Session, **filters: Any) -> list[dict[str, Any]]:
    """``GET /api/v1/reviews``: the account's own reviews and those of the units in scope,
    latest period first (filters ``period_id``, ``employee_id``, ``state``, ``unit_id``)."""
    return list(pages(session, "/reviews", **filters))


@dataclass
class Seen:
    """What one account sees: None where the API refuses the list itself (403)."""

    units: list[dict[str, Any]] | None
    employees: list[dict[str, Any]] | None
    reviews: list[dict[str, Any]]
    own_reviews: list[dict[str, Any]]


def optional(read: Any, *args: Any) -> Any:
    """The list, or None when the account has no right to it at all (403)."""
    try:
        return read(*args)
    except ApiError as refusal:
        if refusal.status == 403:
            return None
        raise


def what_they_see(session: Session) -> Seen:
    """The units, dossiers and reviews of one account. Its own reviews are those of the same
    person, confirmed by ``own`` on the review itself."""
    reviews = list_reviews(session)
    me = session.user["full_name"]
    own = [
        review
        for review in reviews
        if review["full_name"] == me and show_review(session, review["id"])["own"]
    ]
    return Seen(optional(list_units, session), optional(list_employees, session), reviews, own)


# Dossiers --------------------------------------------------------------------------------------


def national_id(sex: str, born: dt.date, province: str = "037") -> str:
    """A 12-digit CCCD number as the validation expects: a province code (037: Ninh Bình), a
    digit for century and sex (0/1: 1900s man/woman, 2/3: 2000s), the year of birth's last
    two digits, and a random six-digit serial."""
    century_and_sex = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    return f"{province}{century_and_sex}{born.year % 100:02d}{secrets.randbelow(10**6):06d}"


def new_dossier(unit_id: int) -> dict[str, Any]:
    """The body of a new civil servant's dossier (the required identity, and a little more)."""
    born = dt.date(1996, 4, 12)
    return {
        "full_name": "Hoàng Thị Thanh Xuân",
        "sex": "female",
        "date_of_birth": born.isoformat(),
        "national_id": national_id("female", born),
        "kind": "cong_chuc",
        "unit_id": unit_id,
        "place_of_birth": "Hoa Lư, Ninh Bình",
        "hometown": "Kim Sơn, Ninh Bình",
        "ethnicity_code": "01",  # Kinh
        "permanent_address": "Số 18, phường Hoa Lư, tỉnh Ninh Bình",
    }


def create_employee(session: Session, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /api/v1/employees``: 201 with the dossier (its ``version`` and ``id``) and its
    address in ``Location``; 422 with messages per field (the web form's validation)."""
    response = session.request("POST", "/employees", json=body)
    created: dict[str, Any] = answer(response, 201)
    assert response.headers["Location"].endswith(f"/api/v1/employees/{created['id']}")
    return created


def update_employee(
    session: Session, employee_id: int, version: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """``PATCH /api/v1/employees/{id}`` with the ``version`` read: the dossier as it now stands
    (a new version); :class:`ApiError` 409 when someone saved it in between."""
    updated: dict[str, Any] = session.call(
        "PATCH", f"/employees/{employee_id}", json={"version": version, **changes}
    )
    return updated


def show_employee(session: Session, employee_id: int) -> dict[str, Any]:
    """``GET /api/v1/employees/{id}`` (a 404 outside the account's scope)."""
    shown: dict[str, Any] = session.get(f"/employees/{employee_id}")
    return shown


# Reviews ---------------------------------------------------------------------------------------


def show_review(session: Session, review_id: int) -> dict[str, Any]:
    """``GET /api/v1/reviews/{id}``: the work plan, what was delivered, the points and, once
    scored, the breakdown (a 404 when the account may not see it)."""
    review: dict[str, Any] = session.get(f"/reviews/{review_id}")
    return review


def finalised_review(session: Session, employee_id: int | None = None) -> dict[str, Any] | None:
    """The latest finalised review (of one person, or any in scope) with its breakdown."""
    filters: dict[str, Any] = {"state": "finalised", "per_page": 1}
    if employee_id is not None:
        filters["employee_id"] = employee_id
    found = session.get("/reviews", **filters)["items"]
    return show_review(session, found[0]["id"]) if found else None


def describe_breakdown(review: dict[str, Any]) -> list[str]:
    """The score breakdown as lines of text: each output's quantity, quality and timeliness."""
    steps = review["breakdown"] or {}
    lines = [
        f"{review['full_name']}, {review['period_title']}: total {review['total']}, "
        f"rating {review['final_rating']}"
    ]
    for item, output in zip(review["items"], steps.get("outputs", []), strict=False):
        title = textwrap.shorten(item["title"], 60, placeholder="…")
        lines.append(
            f"  {title}: quantity {output['quantity']} %, quality {output['quality']} %, "
            f"timeliness {output['timeliness']} % -> {output['combined']} %"
        )
    if "task_points" in steps:
        lines.append(
            f"  outputs {steps['outputs_percent']} % -> task points {steps['task_points']}; "
            f"general criteria {steps['general_points']}; total {steps['total']}"
        )
    return lines


# The tour --------------------------------------------------------------------------------------


def report(username: str, session: Session, seen: Seen) -> list[str]:
    def count(items: list[dict[str, Any]] | None) -> str:
        return "not allowed (403)" if items is None else str(len(items))

    grants = ", ".join(g["role"] for g in session.user["grants"])
    return [
        f"{username} — {session.user['full_name']} ({grants})",
        f"  units: {count(seen.units)}; dossiers: {count(seen.employees)}; "
        f"reviews: {len(seen.reviews)} (own: {len(seen.own_reviews)})",
    ]


def officer_tour(session: Session, units: list[dict[str, Any]]) -> list[str]:
    """Create a dossier, update it, show the stale update refused, read a breakdown."""
    unit = next(u for u in units if u["kind"] == "division")
    created = create_employee(session, new_dossier(unit["id"]))
    lines = [f"  created dossier {created['id']} {created['full_name']} in {unit['name']}"]
    updated = update_employee(session, created["id"], created["version"], {"phone": "0912 345 678"})
    lines.append(f"  updated: version {created['version']} -> {updated['version']}")
    try:
        update_employee(session, created["id"], created["version"], {"phone": "0987 654 321"})
        lines.append("  !! the stale update was accepted")
    except ApiError as refusal:
        lines.append(f"  stale update refused: {refusal.status} {refusal.code}: {refusal.message}")
    review = finalised_review(session)
    if review is not None:
        lines.extend("  " + line for line in describe_breakdown(review))
    return lines


def tour(base_url: str, password: str, usernames: tuple[str, ...] = DEMO_USERNAMES) -> list[str]:
    lines: list[str] = []
    for username in usernames:
        session = sign_in(base_url, username, password)
        try:
            seen = what_they_see(session)
            lines.extend(report(username, session, seen))
            if username == "officer" and seen.units:
                lines.extend(officer_tour(session, seen.units))
            elif seen.own_reviews and seen.employees is None:
                review = finalised_review(session, seen.own_reviews[0]["employee_id"])
                if review is not None:
                    lines.extend("  " + line for line in describe_breakdown(review))
        finally:
            revoke(session)
        after = session.request("GET", "/reviews").status_code
        lines.append(f"  token revoked: the next request answers {after}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="the server's address")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the demo accounts' password")
    args = parser.parse_args(argv)
    try:
        for line in tour(args.base_url, args.password):
            print(line)
    except ApiError as refusal:
        print(f"The API refused: {refusal}", file=sys.stderr)
        return 1
    except requests.ConnectionError:
        print(f"No server answers at {args.base_url}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
