"""Head scoring through the services, on worked examples computed by hand: returns, delays and
excused delays; a month not submitted by the deadline; discipline; an override; a head scored on
the unit's results; criteria schemes. Finalisation locks; reopening needs a reason; comments are
anonymous to the person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from hrms.core.audit import AuditEntry
from hrms.core.errors import ConflictError, DomainError, ValidationFailed
from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import Review, ReviewState
from hrms.reviews.scheme import Rating
from tests.reviews.conftest import Reviews, deliver, load, ready, review_of

GENERAL = {"politics": D(9), "capacity": D("8.5"), "innovation": D(7)}
FULL = {"politics": D(10), "capacity": D(10), "innovation": D(10)}


def scoring(review: Review, *counts: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The head's scoring form: counts per item, in plan order."""
    return {
        "version": review.version,
        "items": [
            {"id": item.id} | given for item, given in zip(review.items, counts, strict=False)
        ],
        "general_points": GENERAL,
    } | fields


@pytest.fixture
def month(rv: Reviews) -> services.Opened:
    return rv.open_month(3)


@pytest.fixture
def own(rv: Reviews, month: services.Opened) -> Review:
    """The worked example of test_scoring.MONTH: 10 of 10, 3 of 4, 3 of 2 delivered."""
    review = review_of(month, rv.world.own)
    ready(rv, review)
    deliver(rv, review, "10", "3", "3")
    services.submit(rv.staff, load(rv.staff, review, "self"), review.version)
    return review


RETURNED_AND_LATE = (
    {"returns": 1},
    {"delays": 2, "excused_delays": 1, "excuse_reason": "Chờ số liệu của Cục Thống kê"},
    {},
)


def test_returns_delays_and_excused_delays_by_hand(rv: Reviews, own: Review) -> None:
    services.score_review(rv.head, load(rv.head, own, "score"), scoring(own, *RETURNED_AND_LATE))
    assert own.state == ReviewState.SCORED.value and own.reviewer_id == rv.head.id
    steps = own.breakdown
    assert steps is not None
    assert [
        (o["quantity"], o["quality"], o["timeliness"], o["combined"]) for o in steps["outputs"]
    ] == [
        # 10/10; one return: 100 − 25; on time → (100 + 75 + 100) / 3
        ("100.00", "75.00", "100.00", "91.67"),
        # 3/4; two delays, one excused: 100 − 25 × 1 → (75 + 100 + 75) / 3
        ("75.00", "100.00", "75.00", "83.33"),
        # 3 of 2 counts as 100 %
        ("100.00", "100.00", "100.00", "100.00"),
    ]
    # (50 × 91.67 + 30 × 83.33 + 20 × 100) / 100 = 90.834 → 90.83; 70 × 90.83 % = 63.581
    assert (steps["outputs_percent"], steps["task_points"]) == ("90.83", "63.58")
    assert (steps["general_points"], steps["total"]) == ("24.5", "88.08")
    assert (own.total, own.band, own.rating) == (D("88.08"), "good", "good")
    assert own.final_rating is Rating.GOOD and own.general_points == {
        "politics": "9",
        "capacity": "8.5",
        "innovation": "7",
    }
    excused = own.items[1]
    assert (excused.delays, excused.excused_delays, excused.excuse_reason) == (
        2,
        1,
        "Chờ số liệu của Cục Thống kê",
    )


def test_discipline_rates_incomplete_whatever_the_score(rv: Reviews, own: Review) -> None:
    services.score_review(
        rv.head, load(rv.head, own, "score"), scoring(own, *RETURNED_AND_LATE, disciplined=True)
    )
    assert (own.total, own.band, own.rating) == (D("88.08"), "good", "incomplete")
    assert own.breakdown["reasons"] == ["discipline"]  # type: ignore[index]
    assert own.disciplined


def test_an_override_needs_a_written_reason(rv: Reviews, own: Review) -> None:
    loaded = load(rv.head, own, "score")
    with pytest.raises(DomainError) as refused:
        services.score_review(
            rv.head,
            loaded,
            scoring(own, *RETURNED_AND_LATE, override_rating="excellent", override_reason="Tốt"),
        )
    assert refused.value.field == "override_reason"
    db.session.expire_all()
    assert (own.state, own.rating, own.items[0].returns) == ("submitted", None, 0)
    services.score_review(
        rv.head,
        loaded,
        scoring(
            own,
            *RETURNED_AND_LATE,
            override_rating="excellent",
            override_reason="Chủ trì xây dựng đề án vị trí việc làm của Sở, vượt tiến độ",
        ),
    )
    assert (own.rating, own.override_rating, own.final_rating) == (
        "good",
        "excellent",
        Rating.EXCELLENT,
    )
    # giving the computed rating is no override
    services.score_review(rv.head, loaded, scoring(own, *RETURNED_AND_LATE, override_rating="good"))
    assert own.override_rating is None and own.override_reason is None


def test_scoring_waits_for_submission_or_the_deadline(rv: Reviews, month: services.Opened) -> None:
    """Example: nothing reported by the deadline counts as nothing delivered."""
    late = review_of(month, rv.world.in_team)
    ready(rv, late)
    with pytest.raises(DomainError) as early:
        services.score_review(rv.head, load(rv.head, late, "score"), scoring(late))
    assert "not submitted the self-assessment" in str(early.value.message)
    assert "03/04/2026" in str(early.value.message)
    assert late.rating is None
    rv.clock.now = dt.date(2026, 4, 4)
    services.score_review(rv.head, load(rv.head, late, "score"), scoring(late, general_points=FULL))
    # each item: quantity 0, quality 100, timeliness 100 → 66.67; 70 × 66.67 % = 46.669
    assert late.breakdown["outputs_percent"] == "66.67"  # type: ignore[index]
    assert late.breakdown["task_points"] == "46.67"  # type: ignore[index]
    assert (late.total, late.rating) == (D("76.67"), "good")


def test_bad_scoring_input_is_refused_with_nothing_saved(rv: Reviews, own: Review) -> None:
    loaded = load(rv.head, own, "score")
    with pytest.raises(ValidationFailed) as refused:
        services.score_review(
            rv.head,
            loaded,
            scoring(
                own,
                {"returns": -1},
                {"delays": 1, "excused_delays": 2, "excuse_reason": "Mất điện"},
                {"delays": 1, "excused_delays": 1},
                general_points={"politics": D(12), "capacity": D(5), "innovation": D(5)},
            ),
        )
    assert {k: [str(m) for m in v] for k, v in refused.value.errors.items()} == {
        "items.0.returns": ["Give 0 or more."],
        "items.1.excused_delays": ["No more delays can be excused than there were."],
        "items.2.excuse_reason": ["Say what objective cause excuses the delays."],
        "general_points.politics": ["Give 0 to 10 points."],
    }
    db.session.expire_all()
    assert [(i.returns, i.delays, i.excused_delays) for i in own.items] == [(0, 0, 0)] * 3
    assert (own.state, own.total, own.general_points) == ("submitted", None, None)
    with pytest.raises(ConflictError):
        services.score_review(rv.head, loaded, scoring(own) | {"version": own.version - 1})


def test_a_head_is_scored_on_the_units_results_by_the_head_above(
    rv: Reviews, month: services.Opened, own: Review
) -> None:
    """Example: own 88.08 (good), in team A 76.67 (good), the colleague 46.67 (incomplete), so
    the unit's result is 50 %."""
    boss = review_of(month, rv.head_person)
    ready(rv, boss, None)
    deliver(rv, boss, "1", actor=rv.head)
    services.submit(rv.head, load(rv.head, boss, "self"), boss.version)
    in_team = review_of(month, rv.world.in_team)
    colleague = review_of(month, rv.colleague)
    ready(rv, in_team)
    ready(rv, colleague, None)
    # nobody scores their own review, nor reaches it through the loader
    with pytest.raises(Forbidden):
        load(rv.head, boss, "score")
    with pytest.raises(DomainError) as mine:
        services.score_review(rv.head, load(rv.head, boss), scoring(boss, general_points=FULL))
    assert str(mine.value.message) == "Nobody scores their own review."
    head_form = scoring(
        boss, general_points={"politics": D(9), "capacity": D(9), "innovation": D(9)}
    )
    with pytest.raises(DomainError) as first:
        services.score_review(rv.director, load(rv.director, boss, "score"), head_form)
    assert "3 not scored" in str(first.value.message)

    rv.clock.now = dt.date(2026, 4, 4)
    services.score_review(rv.head, load(rv.head, own, "score"), scoring(own, *RETURNED_AND_LATE))
    services.score_review(
        rv.head, load(rv.head, in_team, "score"), scoring(in_team, general_points=FULL)
    )
    nothing = {"politics": D(0), "capacity": D(0), "innovation": D(0)}
    services.score_review(
        rv.head, load(rv.head, colleague, "score"), scoring(colleague, general_points=nothing)
    )
    assert [r.rating for r in (own, in_team, colleague)] == ["good", "good", "incomplete"]
    assert colleague.total == D("46.67")

    services.score_review(rv.director, load(rv.director, boss, "score"), head_form)
    steps = boss.breakdown
    assert steps is not None
    # own outputs 100 %, unit 50 %, unit share 30 %: (100 × 70 + 50 × 30) / 100 = 85
    assert (steps["outputs_percent"], steps["unit_percent"], steps["task_percent"]) == (
        "100.00",
        "50",
        "85.00",
    )
    # 70 × 85 % = 59.50; + 27 general
    assert (boss.total, boss.rating) == (D("86.50"), "good")
    with pytest.raises(DomainError) as finalising:
        services.finalise(rv.head, load(rv.head, boss), boss.version)
    assert str(finalising.value.message) == "Nobody finalises their own review."
    services.finalise(rv.director, load(rv.director, boss, "score"), boss.version)
    assert boss.state == ReviewState.FINALISED.value and boss.finalised_by == rv.director.id


def test_finalised_reviews_are_locked_and_reopened_with_a_reason(rv: Reviews, own: Review) -> None:
    loaded = load(rv.head, own, "score")
    with pytest.raises(DomainError) as unscored:
        services.finalise(rv.head, loaded, own.version)
    assert str(unscored.value.message) == "Score the review before finalising it."
    services.score_review(rv.head, loaded, scoring(own, *RETURNED_AND_LATE))
    services.finalise(rv.head, loaded, own.version)
    snapshot = dict(own.breakdown or {})
    locked = "This review is finalised; reopen it first to change it."
    with pytest.raises(DomainError) as rescoring:
        services.score_review(rv.head, loaded, scoring(own, general_points=FULL))
    assert str(rescoring.value.message) == locked
    with pytest.raises(DomainError) as replanning:
        services.save_plan(rv.head, loaded, {"version": own.version, "items": []})
    assert str(replanning.value.message) == locked
    with pytest.raises(DomainError):
        deliver(rv, own, "1", "1", "1")
    assert own.breakdown == snapshot and own.total == D("88.08")

    with pytest.raises(DomainError) as bare:
        services.reopen(rv.head, loaded, {"version": own.version, "reason": "sai"})
    assert bare.value.field == "reason"
    with pytest.raises(DomainError):
        services.reopen(rv.staff, load(rv.staff, own), {"version": own.version, "reason": "x" * 20})
    reason = "Bổ sung kết quả thẩm định hồ sơ bị bỏ sót"
    services.reopen(
        rv.officer, load(rv.officer, own, "reopen"), {"version": own.version, "reason": reason}
    )
    assert (own.state, own.reopen_reason, own.finalised_by) == ("submitted", reason, None)
    event = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "reviews.reopened", AuditEntry.object_id == str(own.id)
        )
    ).one()
    assert event.after == {"reason": reason} or event.before == {"reason": reason}
    services.score_review(rv.head, loaded, scoring(own, *RETURNED_AND_LATE, general_points=FULL))
    assert own.total == D("93.58") and own.rating == "excellent"  # 63.58 + 30


def test_criteria_schemes_take_the_heads_decision(rv: Reviews) -> None:
    quarter = rv.open_quarter(1)
    vc = quarter.reviews[0]
    head2 = rv.world.users["head2"]
    ready(rv, vc, None, scorer=head2)
    rv.clock.now = dt.date(2026, 4, 6)
    loaded = load(head2, vc, "score")
    with pytest.raises(ValidationFailed) as undecided:
        services.score_review(head2, loaded, {"version": vc.version})
    assert [str(m) for m in undecided.value.errors["rating"]] == ["Choose the rating."]
    services.score_review(head2, loaded, {"version": vc.version, "rating": "good"})
    assert (vc.rating, vc.total, vc.breakdown["method"]) == ("good", None, "criteria")  # type: ignore[index]
    services.score_review(
        head2, loaded, {"version": vc.version, "rating": "good", "disciplined": True}
    )
    assert vc.rating == "incomplete" and vc.breakdown["reasons"] == ["discipline"]  # type: ignore[index]


def test_colleagues_comment_and_the_person_reads_them_unsigned(rv: Reviews, own: Review) -> None:
    comment = "Đồng chí Ánh luôn hỗ trợ đồng nghiệp trong việc rà soát hồ sơ."
    services.add_comment(rv.colleague_user, load(rv.colleague_user, own, "comment"), comment)
    assert [(c.body, c.author) for c in queries.comments_for(rv.staff, load(rv.staff, own))] == [
        (comment, None)
    ]
    seen_by_head = queries.comments_for(rv.head, load(rv.head, own))
    assert seen_by_head[0].author == rv.colleague_user.full_name
    with pytest.raises(DomainError) as empty:
        services.add_comment(rv.colleague_user, load(rv.colleague_user, own, "comment"), "  ")
    assert empty.value.field == "body"
    with pytest.raises(DomainError) as self_praise:
        services.add_comment(rv.staff, load(rv.staff, own), "Tôi làm rất tốt.")
    assert "Only colleagues" in str(self_praise.value.message)
    # the colleague comments but does not read the review; others do not even see it
    with pytest.raises(NotFound):
        load(rv.colleague_user, own)
    with pytest.raises(NotFound):
        load(rv.world.users["head2"], own, "comment")
