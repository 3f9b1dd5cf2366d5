"""Self-assessment: the person reports what they delivered with evidence and their own points,
edits until they submit or the deadline passes; bad numbers refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from hrms.core.errors import DomainError, ValidationFailed
from hrms.extensions import db
from hrms.reviews import services
from hrms.reviews.models import Review, ReviewState
from tests.reviews.conftest import Reviews, deliver, load, ready, review_of


@pytest.fixture
def own(rv: Reviews) -> Review:
    review = review_of(rv.open_month(3), rv.world.own)
    ready(rv, review)
    return review


def messages(error: ValidationFailed) -> dict[str, list[str]]:
    return {name: [str(m) for m in found] for name, found in error.errors.items()}


def delivered(review: Review) -> list[D | None]:
    db.session.expire_all()
    return [item.delivered_quantity for item in review.items]


def test_the_person_files_and_submits(rv: Reviews, own: Review) -> None:
    loaded = load(rv.staff, own, "self")
    first = own.items[0]
    services.save_self_assessment(
        rv.staff,
        loaded,
        {
            "version": own.version,
            "items": [
                {
                    "id": first.id,
                    "delivered_quantity": D(10),
                    "delivered_on": dt.date(2026, 3, 18),
                    "evidence": "https://vanban.example.gov.vn/to-trinh/123",
                }
            ],
            "self_points": {"politics": D(9), "capacity": D(9), "innovation": D("7.5")},
            "self_note": "Hoàn thành đúng hạn các hồ sơ được giao.",
        },
    )
    assert (first.delivered_quantity, first.delivered_on) == (D(10), dt.date(2026, 3, 18))
    assert first.evidence.endswith("/123")  # type: ignore[union-attr]
    assert own.self_points == {"politics": "9", "capacity": "9", "innovation": "7.5"}
    # editable again before submitting
    deliver(rv, own, "10", "3", "3")
    services.submit(rv.staff, loaded, own.version)
    assert own.state == ReviewState.SUBMITTED.value and own.submitted_at is not None
    with pytest.raises(DomainError) as locked:
        deliver(rv, own, "10", "4", "3")
    assert "was submitted" in str(locked.value.message)
    assert delivered(own) == [D(10), D(3), D(3)]


def test_negative_quantities_are_refused(rv: Reviews, own: Review) -> None:
    with pytest.raises(ValidationFailed) as refused:
        deliver(rv, own, "10", "-1", "2")
    assert messages(refused.value) == {
        "items.1.delivered_quantity": ["The quantity delivered cannot be negative."]
    }
    assert delivered(own) == [None, None, None]


def test_an_absurd_quantity_needs_confirmation(rv: Reviews, own: Review) -> None:
    # 41 of 4 assigned is more than ten times as much: a typo, most likely
    with pytest.raises(ValidationFailed) as refused:
        deliver(rv, own, "10", "41", "2")
    assert messages(refused.value) == {
        "items.1.delivered_quantity": [
            "This is more than ten times the quantity assigned (4). "
            "Check it, and confirm it if it is right."
        ]
    }
    assert delivered(own) == [None, None, None]
    deliver(rv, own, "10", "40", "2")  # exactly ten times is plausible
    deliver(rv, own, "10", "41", "2", confirm_large=True)
    assert delivered(own) == [D(10), D(41), D(2)]


def test_bad_points_and_dates_are_refused(rv: Reviews, own: Review) -> None:
    loaded = load(rv.staff, own, "self")
    with pytest.raises(ValidationFailed) as refused:
        services.save_self_assessment(
            rv.staff,
            loaded,
            {
                "version": own.version,
                "items": [
                    {"id": own.items[0].id, "delivered_on": dt.date(2026, 3, 25)},
                    {"id": 999999, "delivered_quantity": D(1)},
                ],
                "self_points": {"politics": D(11), "capacity": D(5), "luck": D(1)},
            },
        )
    assert messages(refused.value) == {
        "items.0.delivered_on": ["The delivery date cannot be in the future."],
        "items.1.id": ["This item is not part of the plan."],
        "self_points.politics": ["Give 0 to 10 points."],
        "self_points.innovation": ["Give the points of this criterion."],
        "self_points.luck": ["This criterion is not part of the scheme."],
    }
    db.session.expire_all()
    assert own.self_points is None and own.items[0].delivered_on is None


def test_submitting_needs_every_item_reported(rv: Reviews, own: Review) -> None:
    loaded = load(rv.staff, own, "self")
    deliver(rv, own, "10", "0", "2")
    own.items[2].delivered_quantity = None
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        services.submit(rv.staff, loaded, own.version)
    assert messages(refused.value) == {
        "items.2.delivered_quantity": ["Say how much was delivered (0 if nothing)."]
    }
    assert own.state == ReviewState.SELF_ASSESSMENT.value


def test_nothing_changes_after_the_deadline(rv: Reviews, own: Review) -> None:
    deliver(rv, own, "10", "3", "3")
    rv.clock.now = dt.date(2026, 4, 3)  # the deadline day still counts
    deliver(rv, own, "10", "4", "3")
    rv.clock.now = dt.date(2026, 4, 4)
    with pytest.raises(DomainError) as late:
        deliver(rv, own, "10", "4", "2")
    assert str(late.value.message) == "The self-assessment deadline (03/04/2026) has passed."
    with pytest.raises(DomainError):
        services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    assert delivered(own) == [D(10), D(4), D(3)]
    assert own.state == ReviewState.SELF_ASSESSMENT.value


def test_only_the_person_fills_it_in_and_only_once_the_plan_is_ready(rv: Reviews) -> None:
    opened = rv.open_month(3)
    own = review_of(opened, rv.world.own)
    with pytest.raises(DomainError) as early:
        deliver(rv, own, "1", "1", "1")
    assert str(early.value.message) == "The work plan is not ready yet."
    ready(rv, own)
    with pytest.raises(DomainError) as other:
        services.save_self_assessment(
            rv.head, load(rv.head, own), {"version": own.version, "items": []}
        )
    assert "Only the person reviewed" in str(other.value.message)
