"""Work plans: drawn from the position's outputs, adjusted by the head, weights adding up to 100
before the self-assessment opens; ad-hoc tasks; who may plan; stale saves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from hrms.core.errors import ConflictError, DomainError, ValidationFailed
from hrms.extensions import db
from hrms.reviews import services
from hrms.reviews.models import ReviewItem, ReviewState
from tests.reviews.conftest import Reviews, load, review_of
from tests.reviews.factories import plan_rows


def test_weights_are_proportional_and_add_up_to_exactly_100() -> None:
    assert services.balanced_weights([D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]
    assert services.balanced_weights([D(10), D(6), D(2)]) == [
        D("55.56"),
        D("33.33"),
        D("11.11"),
    ]
    assert services.balanced_weights([D(0), D(0)]) == [D(50), D(50)]
    assert services.balanced_weights([]) == []


def test_the_plan_starts_from_the_position_outputs(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)
    assert [
        (i.title, i.expected_output, i.unit_of_measure, i.assigned_quantity, i.weight, i.ad_hoc)
        for i in own.items
    ] == [
        # weights ∝ monthly quantity × conversion factor: 10 × 1, 4 × 1.5, 2 × 1 of 18
        ("Thẩm định hồ sơ nâng lương", "Tờ trình thẩm định", "hồ sơ", D(10), D("55.56"), False),
        ("Tổng hợp báo cáo thống kê", "Báo cáo thống kê", "báo cáo", D(4), D("33.33"), False),
        (
            "Trả lời văn bản của cơ quan, tổ chức",
            "Văn bản trả lời",
            "văn bản",
            D(2),
            D("11.11"),
            False,
        ),
    ]
    assert all(i.source_output_id is not None for i in own.items)


def test_the_head_adjusts_adds_and_removes_items(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)
    loaded = load(rv.head, own, "score")
    rows = plan_rows(own, **{"Thẩm định hồ sơ nâng lương": {"weight": D(50)}})
    rows = [r for r in rows if r["title"] != "Trả lời văn bản của cơ quan, tổ chức"]
    rows[1]["weight"] = D(30)
    rows.append(
        {
            "title": "Rà soát hồ sơ đảng viên",
            "expected_output": "Báo cáo rà soát",
            "unit_of_measure": "báo cáo",
            "assigned_quantity": D(1),
            "deadline": dt.date(2026, 3, 25),
            "weight": D(20),
        }
    )
    version = own.version
    services.save_plan(rv.head, loaded, {"version": version, "items": rows})
    assert own.version == version + 1
    assert [(i.title, i.weight, i.ad_hoc) for i in own.items] == [
        ("Thẩm định hồ sơ nâng lương", D(50), False),
        ("Tổng hợp báo cáo thống kê", D(30), False),
        ("Rà soát hồ sơ đảng viên", D(20), False),
    ]
    assert db.session.query(ReviewItem).filter_by(review_id=own.id).count() == 3
    services.open_self_assessment(rv.head, loaded, own.version)
    assert own.state == ReviewState.SELF_ASSESSMENT.value
    # an ad-hoc task during the period: the weights must still add up to 100
    rows = plan_rows(own, **{"Thẩm định hồ sơ nâng lương": {"weight": D(40)}})
    rows.append({"title": "Tiếp đoàn thanh tra", "assigned_quantity": D(1), "weight": D(10)})
    services.save_plan(rv.head, loaded, {"version": own.version, "items": rows})
    assert [(i.title, i.ad_hoc) for i in own.items][-1] == ("Tiếp đoàn thanh tra", True)


def test_weights_not_adding_up_to_100_are_refused(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)
    loaded = load(rv.head, own, "score")
    rows = plan_rows(own, **{"Thẩm định hồ sơ nâng lương": {"weight": D("45.56")}})
    # a draft may be unbalanced while the head works on it
    services.save_plan(rv.head, loaded, {"version": own.version, "items": rows})
    with pytest.raises(ValidationFailed) as refused:
        services.open_self_assessment(rv.head, loaded, own.version)
    assert [str(m) for m in refused.value.errors["items"]] == [
        "The weights must add up to 100; they add up to 90."
    ]
    db.session.expire_all()
    assert own.state == ReviewState.PLANNING.value
    rows = plan_rows(own, **{"Thẩm định hồ sơ nâng lương": {"weight": D("55.56")}})
    services.save_plan(rv.head, loaded, {"version": own.version, "items": rows})
    services.open_self_assessment(rv.head, loaded, own.version)
    before = [(i.id, i.weight) for i in own.items]
    with pytest.raises(ValidationFailed) as during:
        services.save_plan(
            rv.head,
            loaded,
            {"version": own.version, "items": plan_rows(own)[:2]},  # drops 11.11 of the weight
        )
    assert "they add up to 88.89" in str(during.value.errors["items"][0])
    db.session.expire_all()
    assert [(i.id, i.weight) for i in own.items] == before


def test_bad_items_are_refused_next_to_their_field(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)
    loaded = load(rv.head, own, "score")
    rows = plan_rows(own)
    rows[0] |= {"title": " ", "assigned_quantity": D(0), "weight": D(0)}
    rows[1] |= {"deadline": dt.date(2026, 5, 1), "weight": D(120)}
    rows.append({"id": 999999, "title": "x", "assigned_quantity": D(1), "weight": D(1)})
    with pytest.raises(ValidationFailed) as refused:
        services.save_plan(rv.head, loaded, {"version": own.version, "items": rows})
    assert {k: [str(m) for m in v] for k, v in refused.value.errors.items()} == {
        "items.0.title": ["Say what the task is."],
        "items.0.assigned_quantity": ["The quantity must be more than 0."],
        "items.0.weight": ["The weight must be more than 0 and at most 100."],
        "items.1.weight": ["The weight must be more than 0 and at most 100."],
        "items.1.deadline": ["The deadline must fall within the period."],
        "items.3.id": ["This item is not part of the plan."],
    }


def test_who_may_plan(rv: Reviews) -> None:
    opened = rv.open_month(3)
    own = review_of(opened, rv.world.own)
    # the person sees the plan but does not change it
    seen = load(rv.staff, own)
    assert seen.own and not seen.can_score
    with pytest.raises(Forbidden):
        load(rv.staff, own, "score")
    with pytest.raises(DomainError):
        services.save_plan(rv.staff, seen, {"version": own.version, "items": plan_rows(own)})
    # the head of another division does not even see it
    with pytest.raises(NotFound):
        load(rv.world.users["head2"], own)
    # nor does the officer of the department change it (they read)
    assert not load(rv.officer, own).can_score
    # the head's own review is planned by the director above, not by the head
    mine = review_of(opened, rv.head_person)
    with pytest.raises(Forbidden):
        load(rv.head, mine, "score")
    assert load(rv.director, mine, "score").can_score


def test_a_stale_plan_is_a_conflict(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)
    loaded = load(rv.head, own, "score")
    stale = own.version
    services.save_plan(rv.head, loaded, {"version": stale, "items": plan_rows(own)})
    with pytest.raises(ConflictError):
        services.save_plan(rv.head, loaded, {"version": stale, "items": plan_rows(own)})
