"""Helpers of the reviews API tests: a bearer-token client per account, in English, and the
reviews world built without a request context left pushed (each API request needs its own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from flask import g

from tests.conftest import issue_token

BASE = "/api/v1"


class Api:
    def __init__(self, client: Any, user: Any) -> None:
        self.client = client.application.test_client(use_cookies=False)
        # messages in their English wording (see conftest._in_english)
        self.headers = {"Authorization": f"Bearer {issue_token(user)}", "Accept-Language": "en"}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(f"{BASE}{url}", query_string=params, headers=self.headers)

    def send(self, method: str, url: str, body: Any) -> Any:
        return self.client.open(f"{BASE}{url}", method=method, json=body, headers=self.headers)

    def post(self, url: str, body: Any) -> Any:
        return self.send("POST", url, body)

    def patch(self, url: str, body: Any) -> Any:
        return self.send("PATCH", url, body)

    def put(self, url: str, body: Any) -> Any:
        return self.send("PUT", url, body)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def refusal(response: Any, status: int = 422) -> dict[str, Any]:
    """The error envelope of a refused request."""
    assert response.status_code == status, response.get_json()
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return dict(error)


@contextmanager
def services_called(app: Any) -> Iterator[None]:
    """Call services directly (set-up shortcuts) in the test's session, then pop the context
    before the next API request."""
    with app.test_request_context():
        g.use_test_session = True
        yield


def month_body(unit: Any, month: int = 3) -> dict[str, Any]:
    """Opening a month of 2026 (self-assessment 3 days after its end, scoring 10)."""
    ends = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1)) - dt.timedelta(1)
    return {
        "unit_id": unit.id,
        "kind": "month",
        "year": 2026,
        "number": month,
        "self_deadline": (ends + dt.timedelta(days=3)).isoformat(),
        "scoring_deadline": (ends + dt.timedelta(days=10)).isoformat(),
    }


def world_review(world: Any, in_scope: bool = True) -> Any:
    """A review of March 2026 in the common test world (tests/conftest.World), made once: the
    staff member's own (division A, self-assessment open) or, out of scope, that of the person
    of the other department."""
    key = f"_reviews_api_review_{in_scope}"
    if key not in world.__dict__:
        from hrms.extensions import db
        from hrms.reviews.models import Review, ReviewItem, ReviewState
        from tests.reviews import factories

        unit = world.division_a if in_scope else world.other_department
        person = world.own if in_scope else world.outside
        period = factories.period(
            unit, world.users["admin"], dt.date(2026, 3, 1), dt.date(2026, 3, 31)
        )
        review = Review(
            period_id=period.id,
            employee_id=person.id,
            unit_id=person.unit_id,
            scheme_id=factories.scheme("ND335-2025").id,
            state=ReviewState.SELF_ASSESSMENT.value,
        )
        review.items = [
            ReviewItem(title="Thẩm định hồ sơ", assigned_quantity=Decimal(10), weight=Decimal(100))
        ]
        db.session.add(review)
        db.session.commit()
        world.__dict__[key] = review
    return world.__dict__[key]
