"""Opening periods: one review per person in service in scope, under their scheme; overlaps and
other bad input refused with nothing saved; the period dashboard and the reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from hrms.core.errors import DomainError, ValidationFailed
from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import Review, ReviewPeriod, ReviewState
from tests.reviews.conftest import Reviews, load, review_of


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(ReviewPeriod)) or 0,
        db.session.scalar(select(func.count()).select_from(Review)) or 0,
    )


def test_a_month_opens_a_review_for_everyone_in_scope_under_their_scheme(rv: Reviews) -> None:
    opened = rv.open_month(3)
    period = opened.period
    assert (period.kind, period.starts_on, period.ends_on) == (
        "month",
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
    )
    assert period.opened_by == rv.officer.id and period.title == "03/2026"
    reviewed = {r.employee_id for r in opened.reviews}
    world = rv.world
    # công chức of the department's subtree; not the other department's
    assert reviewed == {
        world.own.id,
        world.in_team.id,
        world.in_b.id,
        rv.head_person.id,
        rv.colleague.id,
    }
    skipped = {e.id: why for e, why in opened.skipped}
    # viên chức are reviewed by quarter (Nghị định 90/2020); contract workers have no scheme
    assert set(skipped) == {rv.vc.id, rv.contractor.id}
    assert "another kind of period" in skipped[rv.vc.id]
    assert "No evaluation scheme" in skipped[rv.contractor.id]
    own = review_of(opened, world.own)
    assert own.state == ReviewState.PLANNING.value
    assert own.unit_id == world.division_a.id and own.position_id == rv.cv.id
    assert (
        own.scheme_id
        == services.queries.scheme_for("cong_chuc", world.division_a, dt.date(2026, 3, 1)).id
    )  # type: ignore[union-attr]
    # the head of division A heads it: their score will count its results
    assert review_of(opened, rv.head_person).leads_unit_id == world.division_a.id
    assert own.leads_unit_id is None


def test_a_quarter_opens_reviews_for_the_quarterly_scheme(rv: Reviews) -> None:
    opened = rv.open_quarter(1)
    assert (opened.period.starts_on, opened.period.ends_on) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
    )
    assert [r.employee_id for r in opened.reviews] == [rv.vc.id]
    vc = opened.reviews[0]
    # three months of the position's monthly quantity
    assert [(i.assigned_quantity, i.weight) for i in vc.items] == [(D(9), D(100))]
    # a monthly period of the same days does not clash: other people
    assert len(rv.open_month(2).reviews) == 5


def test_a_period_overlapping_another_for_the_same_person_is_refused(rv: Reviews) -> None:
    rv.open_month(3)
    before = counts()
    with pytest.raises(DomainError) as refused:
        rv.open_month(3, unit=rv.world.division_a)
    assert refused.value.field == "number"
    assert "already have a review" in str(refused.value.message)
    assert "Lê Thị Ngọc Ánh (03/2026)" in str(refused.value.message)
    assert counts() == before
    # the next month is free
    assert rv.open_month(4, unit=rv.world.division_a).reviews


def test_only_officers_in_scope_open_periods(rv: Reviews) -> None:
    before = counts()
    with pytest.raises(DomainError) as outside:
        rv.open_month(3, unit=rv.world.other_department)
    assert outside.value.field == "unit_id"
    assert str(outside.value.message) == "Choose a unit you manage."
    with pytest.raises(DomainError):
        rv.open_month(3, actor=rv.head)  # heads score; they do not open periods
    assert counts() == before


def test_bad_period_input_is_refused_with_nothing_saved(rv: Reviews) -> None:
    before = counts()
    data = {
        "unit_id": rv.world.department.id,
        "kind": "month",
        "year": 2026,
        "number": 3,
        "self_deadline": dt.date(2026, 2, 20),
        "scoring_deadline": dt.date(2026, 2, 10),
    }
    with pytest.raises(ValidationFailed) as wrong:
        services.open_period(rv.officer, data)
    assert set(wrong.value.errors) == {"self_deadline", "scoring_deadline"}
    with pytest.raises(DomainError) as month:
        services.open_period(rv.officer, data | {"number": 13})
    assert (month.value.field, str(month.value.message)) == ("number", "Give a month from 1 to 12.")
    with pytest.raises(DomainError) as nobody:
        services.open_period(
            rv.officer,
            data
            | {
                "unit_id": rv.world.team_a.id,
                "kind": "quarter",
                "number": 1,
                "self_deadline": dt.date(2026, 4, 5),
                "scoring_deadline": dt.date(2026, 4, 15),
            },
        )
    assert "Nobody in these units" in str(nobody.value.message)
    assert counts() == before


def test_the_period_dashboard_and_reminders(rv: Reviews, count_queries) -> None:  # type: ignore[no-untyped-def]
    opened = rv.open_month(3)
    own = review_of(opened, rv.world.own)
    services.open_self_assessment(rv.head, load(rv.head, own, "score"), own.version)
    own.items[0].deadline = dt.date(2026, 3, 10)
    db.session.flush()
    with count_queries() as counted:
        board = queries.dashboard(rv.officer, opened.period, rv.world.department, rv.clock.now)
    assert counted.n <= 2
    assert len(board.rows) == 5 and len(board.not_submitted) == 5 and len(board.not_scored) == 5
    assert board.by_state == {"planning": 4, "self_assessment": 1}
    assert [row.employee.id for row in board.overdue] == [rv.world.own.id]
    # the head sees their subtree only, not division B
    head_board = queries.dashboard(rv.head, opened.period, rv.world.department, rv.clock.now)
    assert {row.employee.id for row in head_board.rows} == {
        rv.world.own.id,
        rv.world.in_team.id,
        rv.head_person.id,
        rv.colleague.id,
    }
    staff_todo = queries.reminders_for(rv.staff)
    assert [(r.review_id, r.action, r.due) for r in staff_todo] == [
        (own.id, "self_assess", dt.date(2026, 4, 3))
    ]
    head_todo = {(r.review_id, r.action) for r in queries.reminders_for(rv.head)}
    # the head plans the others' reviews, never their own
    assert head_todo == {
        (review_of(opened, p).id, "plan") for p in (rv.world.in_team, rv.colleague)
    }


def test_the_dashboard_reads_only_what_its_rows_show(rv: Reviews, count_queries) -> None:  # type: ignore[no-untyped-def]
    """A period's dashboard lists hundreds of reviews: it does not load their score breakdown,
    points or notes, and counts the overdue items of this period's reviews only (issue 8)."""
    march, april = rv.open_month(3), rv.open_month(4)
    own_march, own_april = review_of(march, rv.world.own), review_of(april, rv.world.own)
    for review in (own_march, own_april):
        services.open_self_assessment(rv.head, load(rv.head, review, "score"), review.version)
    own_march.items[0].deadline = dt.date(2026, 3, 10)
    db.session.flush()
    with count_queries() as counted:
        board = queries.dashboard(rv.officer, april.period, rv.world.department, rv.clock.now)
    rows_query = " ".join(counted.statements).lower()
    for heavy in ("breakdown", "self_points", "general_points", "self_note", "head_note"):
        assert f"reviews.{heavy}" not in rows_query, heavy
    assert board.overdue == []  # March's overdue item is not April's
    row = next(row for row in board.rows if row.employee.id == rv.world.own.id)
    assert row.review.id == own_april.id
    assert (row.review.state, row.review.state_label) == (
        "self_assessment",
        own_april.state_label,
    )
    assert row.employee.full_name == rv.world.own.full_name
    assert row.unit.id == own_april.unit_id
    march_board = queries.dashboard(rv.officer, march.period, rv.world.department, rv.clock.now)
    assert [(r.employee.id, r.overdue_items) for r in march_board.overdue] == [(rv.world.own.id, 1)]
