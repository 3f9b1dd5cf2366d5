"""Closing a period (only when every review is finalised; read-only since), the deadlines: the
self-assessment shut after its deadline, scoring allowed late but marked late (review and
dashboard), the officer moving a period's deadlines later with an audited reason, the heads'
reminders naming whose review waits, and annual ratings finalised after the scheme's deadline
marked late."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import select

from hrms.core.audit import AuditEntry
from hrms.core.errors import DomainError, ValidationFailed
from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import PeriodState, Review, ReviewPeriod
from tests.reviews import factories
from tests.reviews.conftest import Reviews, deliver, load, ready, review_of

GENERAL = {"politics": D(9), "capacity": D("8.5"), "innovation": D(7)}


def scoring(review: Review) -> dict[str, Any]:
    return {
        "version": review.version,
        "items": [{"id": item.id} for item in review.items],
        "general_points": GENERAL,
    }


def finished_month(rv: Reviews, month: int = 1) -> tuple[ReviewPeriod, list[Review]]:
    """A month of division A with two finalised reviews."""
    period = factories.period(
        rv.world.division_a,
        rv.officer,
        dt.date(2026, month, 1),
        dt.date(2026, month + 1, 1) - dt.timedelta(days=1),
    )
    reviews = [
        factories.finalised_review(person, period, total, "good", by=rv.head)
        for person, total in ((rv.world.own, "80.00"), (rv.world.in_team, "75.50"))
    ]
    return period, reviews


def refused(call: Any, *args: Any) -> str:
    with pytest.raises(DomainError) as refusal:
        call(*args)
    return str(refusal.value.message)


# Closing ---------------------------------------------------------------------------------------


def test_a_period_closes_only_when_every_review_is_finalised(rv: Reviews) -> None:
    opened = rv.open_month(3)
    period = opened.period
    message = refused(services.close_period, rv.officer, period, period.version)
    # every person not finalised is named, with where their review stands
    assert message.startswith("The period cannot be closed: 5 reviews are not finalised:")
    for person in (rv.world.own, rv.world.in_team, rv.head_person, rv.colleague, rv.world.in_b):
        assert person.full_name in message
    assert "Work plan in preparation" in message
    assert period.state == PeriodState.OPEN.value and period.closed_at is None

    done, _reviews = finished_month(rv)
    closed = services.close_period(rv.officer, done, done.version)
    assert closed.state == PeriodState.CLOSED.value and closed.closed
    assert closed.closed_by == rv.officer.id and closed.closed_at is not None
    # once closed, closing again is refused
    assert "is closed" in refused(services.close_period, rv.officer, done, done.version)


def test_only_officers_of_the_unit_close_a_period(rv: Reviews) -> None:
    period, _reviews = finished_month(rv)
    for someone in (rv.head, rv.director, rv.staff):
        assert "personnel officers" in refused(
            services.close_period, someone, period, period.version
        )
    with pytest.raises(Exception) as stale:
        services.close_period(rv.officer, period, period.version - 1)
    assert "changed by someone else" in str(stale.value)
    assert period.state == PeriodState.OPEN.value


def test_a_closed_period_is_read_only_everywhere(rv: Reviews) -> None:
    period, (own, in_team) = finished_month(rv)
    services.close_period(rv.officer, period, period.version)
    closed = "The period 01/2026 is closed; its reviews can no longer change."
    # reopening, planning, scoring, finalising, self-assessing, commenting: all refused
    assert (
        refused(
            services.reopen,
            rv.officer,
            load(rv.officer, own, "reopen"),
            {"version": own.version, "reason": "Sai số liệu tháng 1 cần chấm lại"},
        )
        == closed
    )
    loaded = load(rv.head, in_team, "score")
    assert (
        refused(services.save_plan, rv.head, loaded, {"version": in_team.version, "items": []})
        == closed
    )
    assert refused(services.score_review, rv.head, loaded, scoring(in_team)) == closed
    assert refused(services.finalise, rv.head, loaded, in_team.version) == closed
    assert refused(services.open_self_assessment, rv.head, loaded, in_team.version) == closed
    mine = load(rv.staff, own, "self")
    assert refused(services.submit, rv.staff, mine, own.version) == closed
    assert (
        refused(
            services.save_self_assessment, rv.staff, mine, {"version": own.version, "items": []}
        )
        == closed
    )
    assert (
        refused(
            services.add_comment, rv.colleague_user, load(rv.colleague_user, own, "comment"), "Tốt"
        )
        == closed
    )
    assert (
        refused(
            services.extend_deadlines,
            rv.officer,
            period,
            {
                "version": period.version,
                "self_deadline": dt.date(2026, 2, 20),
                "scoring_deadline": dt.date(2026, 2, 28),
                "reason": "Lùi hạn theo chỉ đạo của Giám đốc",
            },
        )
        == closed
    )
    assert own.state == "finalised" and own.reopen_reason is None


# Deadlines -------------------------------------------------------------------------------------


def test_the_officer_moves_the_deadlines_later_with_an_audited_reason(rv: Reviews) -> None:
    opened = rv.open_month(3)
    period, own = opened.period, review_of(opened, rv.world.own)
    ready(rv, own)
    rv.clock.now = dt.date(2026, 4, 4)  # the self-assessment deadline (03/04) has passed
    with pytest.raises(DomainError, match=r"deadline .* has passed"):
        deliver(rv, own, "10", "3", "3")
    base = {"version": period.version, "reason": "Lùi hạn do nghỉ lễ 30/4 và 1/5"}

    with pytest.raises(ValidationFailed) as wrong:
        services.extend_deadlines(
            rv.officer,
            period,
            base
            | {
                "self_deadline": dt.date(2026, 4, 2),
                "scoring_deadline": dt.date(2026, 4, 9),
                "reason": "vì",
            },
        )
    assert wrong.value.errors == {
        "self_deadline": ["A deadline can only be moved later than 03/04/2026."],
        "scoring_deadline": ["A deadline can only be moved later than 10/04/2026."],
        "reason": ["Say why the deadlines move (at least 10 characters)."],
    }
    with pytest.raises(ValidationFailed) as crossed:
        services.extend_deadlines(
            rv.officer,
            period,
            base
            | {"self_deadline": dt.date(2026, 4, 15), "scoring_deadline": dt.date(2026, 4, 10)},
        )
    assert crossed.value.errors == {
        "scoring_deadline": [
            "The scoring deadline cannot come before the self-assessment deadline."
        ]
    }
    with pytest.raises(ValidationFailed) as same:
        services.extend_deadlines(
            rv.officer,
            period,
            base | {"self_deadline": dt.date(2026, 4, 3), "scoring_deadline": dt.date(2026, 4, 10)},
        )
    assert same.value.errors == {"self_deadline": ["Give a later date for at least one deadline."]}
    assert "personnel officers" in refused(
        services.extend_deadlines,
        rv.head,
        period,
        base | {"self_deadline": dt.date(2026, 4, 8), "scoring_deadline": dt.date(2026, 4, 15)},
    )
    assert (period.self_deadline, period.scoring_deadline) == (
        dt.date(2026, 4, 3),
        dt.date(2026, 4, 10),
    )

    services.extend_deadlines(
        rv.officer,
        period,
        base | {"self_deadline": dt.date(2026, 4, 8), "scoring_deadline": dt.date(2026, 4, 15)},
    )
    assert (period.self_deadline, period.scoring_deadline) == (
        dt.date(2026, 4, 8),
        dt.date(2026, 4, 15),
    )
    event = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "reviews.deadlines_extended")
    )
    assert event is not None and event.object_id == str(period.id)
    assert event.after == {
        "reason": "Lùi hạn do nghỉ lễ 30/4 và 1/5",
        "before": {"self_deadline": "2026-04-03", "scoring_deadline": "2026-04-10"},
        "after": {"self_deadline": "2026-04-08", "scoring_deadline": "2026-04-15"},
    }
    # the person may file again until the new date
    deliver(rv, own, "10", "3", "3")
    services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    assert own.state == "submitted"


def test_scoring_after_the_deadline_is_allowed_and_marked_late(rv: Reviews) -> None:
    opened = rv.open_month(3)
    period = opened.period
    own, in_team = review_of(opened, rv.world.own), review_of(opened, rv.world.in_team)
    for review in (own, in_team):
        ready(rv, review)
    deliver(rv, own, "10", "3", "3")
    services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    rv.clock.now = dt.date(2026, 4, 10)  # the scoring deadline day still counts
    services.score_review(rv.head, load(rv.head, own, "score"), scoring(own))
    assert own.scored_late is False
    board = queries.dashboard(rv.officer, period, rv.world.division_a, rv.clock.now)
    assert not board.scoring_overdue and board.not_scored_late == []

    rv.clock.now = dt.date(2026, 4, 11)
    board = queries.dashboard(rv.officer, period, rv.world.division_a, rv.clock.now)
    assert board.scoring_overdue
    assert in_team.id in {row.review.id for row in board.not_scored_late}
    # in_team never submitted: past the self-assessment deadline the head scores what is saved
    services.score_review(rv.head, load(rv.head, in_team, "score"), scoring(in_team))
    assert in_team.scored_late is True and in_team.state == "scored"
    board = queries.dashboard(rv.officer, period, rv.world.division_a, rv.clock.now)
    assert [row.review.id for row in board.scored_late] == [in_team.id]
    # rescoring on time after the deadline moved clears the mark: it follows the deadline then
    services.extend_deadlines(
        rv.officer,
        period,
        {
            "version": period.version,
            "self_deadline": period.self_deadline,
            "scoring_deadline": dt.date(2026, 4, 20),
            "reason": "Lãnh đạo phòng đi công tác dài ngày",
        },
    )
    services.score_review(rv.head, load(rv.head, in_team, "score"), scoring(in_team))
    assert in_team.scored_late is False


def test_the_heads_reminders_name_whose_review_waits(rv: Reviews) -> None:
    opened = rv.open_month(3)
    own, in_team = review_of(opened, rv.world.own), review_of(opened, rv.world.in_team)
    ready(rv, own)
    ready(rv, in_team)
    deliver(rv, own, "10", "3", "3")
    services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    todo = {r.review_id: r for r in queries.reminders_for(rv.head, rv.clock.now)}
    # to score: Ánh (submitted); Ân is still filing hers (not yet the head's turn)
    assert todo[own.id].action == "score" and todo[own.id].full_name == rv.world.own.full_name
    assert todo[own.id].due == dt.date(2026, 4, 10) and not todo[own.id].late
    assert in_team.id not in todo
    planning = todo[review_of(opened, rv.colleague).id]
    assert (planning.action, planning.full_name) == ("plan", rv.colleague.full_name)
    # the head's own review is the director's to plan, never a deputy's or their own
    head_review = review_of(opened, rv.head_person)
    assert head_review.id not in todo
    director_todo = {r.review_id: r for r in queries.reminders_for(rv.director, rv.clock.now)}
    assert director_todo[head_review.id].full_name == rv.head_person.full_name

    # past the self-assessment deadline, Ân's unsubmitted review is the head's to score; past
    # the scoring deadline the reminders say it is late
    rv.clock.now = dt.date(2026, 4, 12)
    todo = {r.review_id: r for r in queries.reminders_for(rv.head, rv.clock.now)}
    assert todo[in_team.id].action == "score" and todo[in_team.id].late
    assert todo[own.id].late
    # and the person's own reminder goes once she can no longer file
    assert queries.reminders_for(rv.staff, rv.clock.now) == []


def test_the_pages_reminders_name_the_person(rv: Reviews, client: Any) -> None:
    from flask import render_template

    opened = rv.open_month(3)
    own = review_of(opened, rv.world.own)
    ready(rv, own)
    deliver(rv, own, "10", "3", "3")
    services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    rv.clock.now = dt.date(2026, 4, 11)
    html = render_template(
        "reviews/_reminders.html", reminders=queries.reminders_for(rv.head, rv.clock.now)
    )
    assert f"Score the review of {rv.world.own.full_name} for 03/2026" in html
    assert "late: due 10/04/2026" in html


def test_annual_ratings_finalised_after_the_deadline_are_marked_late(rv: Reviews) -> None:
    period, _reviews = finished_month(rv)
    rv.clock.now = dt.date(2026, 12, 15)  # the deadline day (15/12, scheme data) still counts
    services.compute_annual(rv.officer, rv.world.division_a.id, 2026)
    outcome = services.finalise_annual(rv.officer, rv.world.division_a.id, 2026)
    assert [a.finalised_late for a in outcome.finalised] == [False, False]
    ours = outcome.finalised[0]
    assert services.annual_deadline(factories.scheme("ND335-2025").parsed, 2026) == dt.date(
        2026, 12, 15
    )

    second = factories.period(
        rv.world.division_b, rv.officer, dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    factories.finalised_review(rv.world.in_b, second, "81.00", "good", by=rv.head)
    rv.clock.now = dt.date(2026, 12, 16)
    services.compute_annual(rv.officer, rv.world.division_b.id, 2026)
    late = services.finalise_annual(rv.officer, rv.world.division_b.id, 2026)
    assert [(a.employee_id, a.finalised_late) for a in late.finalised] == [(rv.world.in_b.id, True)]
    assert ours.finalised_late is False and period.state == PeriodState.OPEN.value
