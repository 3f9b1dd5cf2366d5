"""Annual ratings: the average of the year's finalised periods, discipline, the criteria scheme's
attendance rules, and the 20% cap per agency and task group reported (who is over, by how much)
instead of failing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from hrms.core.errors import DomainError, ValidationFailed
from hrms.employees.models import Decision, DecisionKind
from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import AnnualRating, ReviewPeriod
from tests.reviews import factories
from tests.reviews.conftest import Reviews, load
from tests.staffing import factories as staffing


@pytest.fixture
def months(rv: Reviews) -> list[ReviewPeriod]:
    return [
        factories.period(
            rv.world.department,
            rv.officer,
            dt.date(2026, month, 1),
            dt.date(2026, month + 1, 1) - dt.timedelta(days=1),
        )
        for month in (1, 2, 3)
    ]


def rows(rated: list[AnnualRating]) -> dict[int, AnnualRating]:
    return {a.employee_id: a for a in rated}


def test_the_year_averages_the_finalised_periods(rv: Reviews, months: list[ReviewPeriod]) -> None:
    world = rv.world
    for in_period, total in zip(months, ("88.08", "92.50", "79.00"), strict=True):
        factories.finalised_review(world.own, in_period, total, "good", by=rv.head)
    # a review not finalised yet does not count
    april = factories.period(
        world.department, rv.officer, dt.date(2026, 4, 1), dt.date(2026, 4, 30)
    )
    pending = factories.finalised_review(world.own, april, "10.00", "incomplete", by=rv.head)
    pending.state, pending.finalised_by = "scored", None
    for in_period in months[:2]:
        factories.finalised_review(world.in_team, in_period, "95.00", "excellent", by=rv.head)
    db.session.add(
        Decision(
            employee_id=world.in_team.id,
            kind=DecisionKind.DISCIPLINE.value,
            number="12/QĐ-KL",
            signed_on=dt.date(2026, 9, 1),
            issuer="Giám đốc Sở Nội vụ",
            effective_on=dt.date(2026, 9, 1),
        )
    )
    db.session.commit()
    rated = rows(services.compute_annual(rv.officer, world.department.id, 2026))
    assert set(rated) == {world.own.id, world.in_team.id}
    own = rated[world.own.id]
    # (88.08 + 92.50 + 79.00) / 3 = 86.5266… → 86.53
    assert (own.average, own.periods, own.band, own.rating) == (D("86.53"), 3, "good", "good")
    assert (own.agency_id, own.task_group, own.finalised) == (
        world.department.id,
        "professional",
        False,
    )
    # a disciplinary sanction in the year: không hoàn thành whatever the average
    punished = rated[world.in_team.id]
    assert (punished.average, punished.band, punished.rating, punished.reason_list) == (
        D("95.00"),
        "excellent",
        "incomplete",
        ["discipline"],
    )
    # recomputing updates the drafts instead of adding rows
    again = services.compute_annual(rv.officer, world.department.id, 2026)
    assert {a.id for a in again} == {own.id, punished.id}
    assert queries.annual_rating_of(world.own.id, 2026) is own
    with pytest.raises(DomainError) as head:
        services.compute_annual(rv.head, world.division_a.id, 2026)
    assert head.value.field == "unit_id"


def test_criteria_schemes_apply_the_attendance_rules(rv: Reviews) -> None:
    quarter = factories.period(
        rv.world.department, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 3, 31), kind="quarter"
    )
    factories.finalised_review(rv.vc, quarter, "0", "good", by=rv.head, scheme_code="ND90-2020")
    (annual,) = services.compute_annual(rv.officer, rv.world.department.id, 2026)
    assert (annual.rating, annual.reasons, annual.average) == (None, "undecided", None)

    def decide(**fields: Any) -> AnnualRating:
        return services.decide_annual(
            rv.officer,
            annual,
            {"version": annual.version, "decided_rating": "excellent", "months_worked": 12}
            | fields,
        )

    assert decide().rating == "excellent"
    # fewer than 6 months worked: not rated, unless on maternity leave
    assert (decide(months_worked=5).rating, annual.reason_list) == (None, ["worked_too_little"])
    assert decide(months_worked=5, maternity=True).rating == "excellent"
    # absent 3 months or more: at most hoàn thành
    assert (decide(months_absent=4).rating, annual.reason_list) == ("complete", ["absence"])
    with pytest.raises(ValidationFailed) as refused:
        decide(months_worked=13, months_absent=-1, decided_rating=None)
    assert set(refused.value.errors) == {"months_worked", "months_absent", "decided_rating"}
    assert annual.rating == "complete"


def test_the_cap_lists_who_is_over_and_by_how_much(rv: Reviews, months: list[ReviewPeriod]) -> None:
    """Example: seven professionals of the department, two rated xuất sắc and five tốt: 20 % of
    five allows one, so the group is one over; the support and leadership groups are within."""
    world = rv.world
    people = [world.own, world.in_team, world.in_b]
    for n in range(4):
        extra = factories.person(world.division_b, f"Chuyên viên Số {n + 1}")
        staffing.placement(extra, rv.tc)
        people.append(extra)
    totals = ["95.00", "91.00", "80.00", "80.00", "80.00", "80.00", "80.00"]
    ratings = ["excellent", "excellent", "good", "good", "good", "good", "good"]
    for employee, total, rating in zip(people, totals, ratings, strict=True):
        factories.finalised_review(employee, months[0], total, rating, by=rv.director)
    factories.finalised_review(rv.colleague, months[0], "75.00", "good", by=rv.head)
    factories.finalised_review(rv.head_person, months[0], "85.00", "good", by=rv.director)
    services.compute_annual(rv.officer, world.department.id, 2026)

    report = services.cap_report(rv.officer, world.department.id, 2026)
    by_group = {(g.agency.id, g.task_group): g for g in report}
    assert set(by_group) == {
        (world.department.id, "professional"),
        (world.department.id, "support"),
        (world.department.id, "leadership"),
    }
    over = by_group[(world.department.id, "professional")]
    assert (over.check.counted, over.check.allowed, over.check.rated, over.check.excess) == (
        5,
        1,
        2,
        1,
    )
    # lowest average first: the first to reconsider
    assert [(e.id, a.average) for a, e in over.top] == [
        (world.in_team.id, D("91.00")),
        (world.own.id, D("95.00")),
    ]
    assert not by_group[(world.department.id, "support")].over

    outcome = services.finalise_annual(rv.officer, world.department.id, 2026)
    assert [g.task_group for g in outcome.over_cap] == ["professional"]
    assert {a.employee_id for a in outcome.finalised} == {rv.colleague.id, rv.head_person.id}
    assert not any(a.finalised for a, _e in over.top)

    lowered = over.top[0][0]
    with pytest.raises(DomainError) as bare:
        services.adjust_annual(
            rv.officer, lowered, {"version": lowered.version, "override_rating": "good"}
        )
    assert bare.value.field == "override_reason"
    services.adjust_annual(
        rv.officer,
        lowered,
        {
            "version": lowered.version,
            "override_rating": "good",
            "override_reason": "Giữ tỷ lệ xuất sắc không quá 20% số hoàn thành tốt",
        },
    )
    assert lowered.final_rating is not None and lowered.final_rating.value == "good"
    outcome = services.finalise_annual(rv.officer, world.department.id, 2026)
    assert outcome.over_cap == [] and len(outcome.finalised) == 7
    assert queries.annual_rating_of(world.own.id, 2026).finalised  # type: ignore[union-attr]
    # finalised: no more changes, and the year's reviews stay locked
    with pytest.raises(DomainError):
        services.adjust_annual(rv.officer, lowered, {"version": lowered.version})
    review = db.session.scalars(
        db.select(factories.Review).where(factories.Review.employee_id == world.own.id)
    ).one()
    with pytest.raises(DomainError) as reopening:
        services.reopen(
            rv.director,
            load(rv.director, review, "reopen"),
            {"version": review.version, "reason": "Xem lại kết quả tháng 1"},
        )
    assert "annual rating of this year is finalised" in str(reopening.value.message)
