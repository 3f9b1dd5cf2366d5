"""Support for the page tests of the review cycle: the reviews world of conftest.py built without
a request context left pushed (each page request needs its own ``g``), a way to call services
for the set-up, signing in as any account of the world, and the forms as the pages post them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask, g
from flask_babel import force_locale

from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import Review
from tests.reviews import conftest as reviews_conftest
from tests.reviews.conftest import Clock, Reviews


@dataclass
class Pages:
    rv: Reviews
    app: Flask
    client: Any

    @contextmanager
    def acting(self) -> Iterator[None]:
        """Call services for the set-up (not around page requests)."""
        with self.app.test_request_context():
            g.use_test_session = True
            with force_locale("en"):
                yield
            db.session.commit()
            # the context's end must not close the test's session (its objects live on)
            g.use_test_session = False

    def sign_in(self, user: Any) -> Any:
        with self.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["lang"] = "en"
        return user

    def review(self, review_id: int) -> Review:
        db.session.expire_all()
        found = db.session.get(Review, review_id)
        assert found is not None
        return found


@pytest.fixture(name="pages")
def pages_fixture(app: Flask, world: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> Pages:
    """Import it as ``pages_fixture`` (the tests then ask for ``pages``)."""
    clock = Clock(dt.date(2026, 3, 20))
    monkeypatch.setattr(services, "today", lambda: clock.now)
    monkeypatch.setattr(queries, "agency_today", lambda: clock.now)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.test_request_context():
        g.use_test_session = True
        build: Callable[..., Reviews] = reviews_conftest.rv.__wrapped__  # type: ignore[attr-defined]
        rv = build(world, None, clock)
        g.use_test_session = False
    return Pages(rv, app, client)


#: the same fixture under its own name (importing this one makes ruff see a redefinition)
pages = pages_fixture


def plan_form(review: Review, **changes: dict[str, str]) -> dict[str, str]:
    """The head's plan form as the page posts it (numbers and dates as typed)."""
    data = {"version": str(review.version)}
    for index, item in enumerate(review.items):
        row = {
            "id": str(item.id),
            "title": item.title,
            "expected_output": item.expected_output or "",
            "unit_of_measure": item.unit_of_measure or "",
            "assigned_quantity": f"{Decimal(item.assigned_quantity).normalize():f}",
            "deadline": item.deadline.strftime("%d/%m/%Y") if item.deadline else "",
            "weight": f"{Decimal(item.weight).normalize():f}",
        } | changes.get(item.title, {})
        if item.ad_hoc:
            row["ad_hoc"] = "y"
        for name, value in row.items():
            data[f"items-{index}-{name}"] = value
    return data


def self_form(review: Review, *quantities: str, **fields: str) -> dict[str, str]:
    data = {"version": str(review.version)}
    for index, (item, quantity) in enumerate(zip(review.items, quantities, strict=True)):
        data[f"items-{index}-id"] = str(item.id)
        data[f"items-{index}-delivered_quantity"] = quantity
        data[f"items-{index}-delivered_on"] = "18/03/2026"
        data[f"items-{index}-evidence"] = f"https://vanban.example.vn/{item.id}"
    return data | fields


def points(given: dict[str, str]) -> dict[str, str]:
    """The general criteria's points as the self-assessment and scoring forms post them."""
    data: dict[str, str] = {}
    for index, (code, value) in enumerate(given.items()):
        data[f"points-{index}-code"] = code
        data[f"points-{index}-points"] = value
    return data


def score_form(review: Review, *counts: dict[str, str], **fields: str) -> dict[str, str]:
    data = {"version": str(review.version)}
    for index, item in enumerate(review.items):
        data[f"items-{index}-id"] = str(item.id)
        given = counts[index] if index < len(counts) else {}
        for name in ("returns", "delays", "excused_delays", "excuse_reason"):
            data[f"items-{index}-{name}"] = given.get(name, "0" if name != "excuse_reason" else "")
    return data | fields


def field_errors(html: str) -> dict[str, list[str]]:
    """Messages shown beside inputs, by the input's name."""
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'data-field-error="([^"]+)">([^<]+)<', html):
        found.setdefault(name, []).append(message.strip())
    return found


def top_errors(html: str) -> list[str]:
    block = re.findall(r'data-testid="form-errors">((?:\s*<div>[^<]*</div>)+)', html)
    return [m.strip() for b in block for m in re.findall(r"<div>([^<]*)</div>", b)]
