"""Command-line jobs: create-admin and the demo data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hrms.accounts.models import User
from hrms.core.audit import AuditEntry
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.settings import DEFAULT_DEMO_PASSWORD

NAV = re.compile(r'data-nav="([^"]+)"')


def run(app: Flask, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_admin(app: Flask) -> None:
    result = run(
        app,
        "create-admin",
        "--username",
        "Chief",
        "--full-name",
        "Ngô Bảo Châu",
        "--password",
        "Toán-học-Fields-2010",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "chief"))
    assert [g.role for g in user.grants] == ["admin"]
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id)
        )
    )
    assert entry.actor_name == "create-admin"


def test_create_admin_refuses_a_weak_password(app: Flask) -> None:
    result = run(
        app, "create-admin", "--username", "weak", "--full-name", "Yếu", "--password", "12345678"
    )
    assert result.exit_code != 0
    assert "password:" in result.output
    assert db.session.scalar(select(User).where(User.username == "weak")) is None


@pytest.fixture
def demo(app: Flask) -> None:
    result = run(app, "seed-demo", "--people", "12")
    assert result.exit_code == 0, result.output


def test_the_full_demo_agency(app: Flask) -> None:
    from hrms.core.dates import today
    from hrms.employees.models import Decision, Employee, FamilyMember

    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    people = db.session.scalars(select(Employee)).all()
    assert len(people) == 300
    assert len({p.national_id for p in people}) == 300
    assert all(p.recruited_on and p.rank_code and p.salary_coefficient for p in people)
    assert all((p.recruited_on - p.date_of_birth).days // 365 >= 18 for p in people)
    near_retirement = [p for p in people if today().year - p.date_of_birth.year in (57, 61)]
    assert len(near_retirement) >= 10
    assert db.session.scalar(select(db.func.count()).select_from(Decision)) > 1000
    assert db.session.scalar(select(db.func.count()).select_from(FamilyMember)) > 1000
    linked = db.session.scalars(select(User).where(User.employee_id.is_not(None))).all()
    assert {u.username for u in linked} == {
        "officer",
        "head",
        "staff",
        "officer2",
        "head2",
        "staff2",
    }
    renamed = db.session.scalar(select(Unit).where(Unit.code == "SNV-XDCQ"))
    assert renamed.current_since.year == 2025
    _check_demo_positions(people)
    _check_demo_reviews()


def _check_demo_positions(people: list[Any]) -> None:
    """Approved plans with people placed and assessed, and the other plan states to look at."""
    from hrms.staffing.models import CompetencyAssessment, Placement
    from positions.models import PositionPlan

    states = db.session.execute(
        select(PositionPlan.state, db.func.count()).group_by(PositionPlan.state)
    ).all()
    assert dict(states) == {"approved": 5, "draft": 1, "submitted": 1}
    placed = [p for p in people if p.position_id is not None]
    assert 100 < len(placed) < len(people)  # some are left for the 2027 placement exercise
    open_main = select(db.func.count()).where(Placement.main, Placement.ended_on.is_(None))
    assert db.session.scalar(open_main.select_from(Placement)) == len(placed)
    assessed = db.session.scalar(
        select(db.func.count(db.distinct(CompetencyAssessment.employee_id)))
    )
    assert assessed > 40


def _check_demo_reviews() -> None:
    """Finished months of reviews for Sở Nội vụ (planned from the position outputs, scored by
    the heads, the heads by the level above, finalised) and the current month under way, with
    the demo staff members' self-assessments open for the walk-through."""
    from collections import Counter
    from decimal import Decimal

    from hrms.core.dates import today
    from hrms.reviews import queries
    from hrms.reviews.models import Review, ReviewComment, ReviewItem, ReviewPeriod

    now = today()
    periods = db.session.scalars(select(ReviewPeriod).order_by(ReviewPeriod.starts_on)).all()
    assert [(p.kind, db.session.get(Unit, p.unit_id).code) for p in periods] == [
        ("month", "SNV")
    ] * 4
    *finished, current = periods
    assert current.starts_on == now.replace(day=1) and current.self_deadline > now
    assert [p.ends_on + dt.timedelta(days=1) for p in finished] == [
        p.starts_on for p in periods[1:]
    ]
    users = {u.username: u for u in db.session.scalars(select(User))}
    done = db.session.scalars(
        select(Review).where(Review.period_id.in_([p.id for p in finished]))
    ).all()
    assert len(done) > 3 * 200
    assert {r.state for r in done} == {"finalised"}
    for review in done:
        steps = review.breakdown
        assert steps is not None and review.total is not None
        # the stored total is the sum of the steps shown, and its band follows the total
        assert Decimal(steps["total"]) == review.total
        assert Decimal(steps["task_points"]) + Decimal(steps["general_points"]) == review.total
        band = next(
            name
            for name, floor in (
                ("excellent", 90),
                ("good", 70),
                ("complete", 50),
                ("incomplete", 0),
            )
            if review.total >= floor
        )
        assert review.band == band and review.rating == band
        assert review.items and sum(i.weight for i in review.items) == 100
        assert review.reviewer_id == review.finalised_by
        scorer = db.session.get(User, review.reviewer_id)
        assert scorer.employee_id != review.employee_id
        if review.leads_unit_id is not None:  # heads of units: by the level above, on the unit
            assert scorer.username == "admin" and steps["unit_percent"] is not None
    ratings = Counter(r.rating for r in done)
    assert ratings.most_common(1)[0][0] == "good"
    assert {"excellent", "good", "complete"} <= set(ratings)
    assert {r.leads_unit_id is not None for r in done} == {True, False}
    items = db.session.scalars(
        select(ReviewItem).where(ReviewItem.review_id.in_([r.id for r in done]))
    )
    counted: Counter[str] = Counter()
    for item in items:
        counted["from_position"] += item.source_output_id is not None
        counted["short"] += item.delivered_quantity < item.assigned_quantity
        counted["returns"] += item.returns > 0
        counted["delays"] += item.delays > item.excused_delays
        counted["excused"] += item.excused_delays > 0
    assert all(counted[k] > 20 for k in ("from_position", "short", "returns", "delays", "excused"))
    assert db.session.scalar(select(db.func.count()).select_from(ReviewComment)) == 2 * 3
    by_head = [r for r in done if r.reviewer_id == users["head"].id]
    assert len(by_head) > 60

    under_way = db.session.scalars(select(Review).where(Review.period_id == current.id)).all()
    states = Counter(r.state for r in under_way)
    assert set(states) == {"planning", "self_assessment", "submitted", "scored"}
    assert states["self_assessment"] > states["scored"] > 0
    board = queries.dashboard(users["officer"], current, db.session.get(Unit, current.unit_id), now)
    assert len(board.rows) == len(under_way) and board.ratings and board.not_submitted
    if now.day > 15:
        assert board.overdue
    for name in ("staff", "staff2"):
        user = users[name]
        mine = queries.reviews_of(user, user.employee_id)
        assert [p.id for _r, p in mine] == [p.id for p in reversed(periods)]
        assert {r.state for r, _p in mine[1:]} == {"finalised"}
        open_review = mine[0][0]
        loaded = queries.get_review_for(user, open_review.id, action="self")
        assert loaded.review.state == "self_assessment" and loaded.review.submitted_at is None
        assert loaded.review.items and all(
            i.delivered_quantity is None for i in loaded.review.items
        )


@pytest.mark.usefixtures("demo")
def test_seed_demo_only_when_empty_with_if_empty(app: Flask) -> None:
    units = db.session.scalar(select(db.func.count()).select_from(Unit))
    assert units == 13
    again = run(app, "seed-demo", "--if-empty")
    assert again.exit_code == 0
    assert "already" in again.output
    assert db.session.scalar(select(db.func.count()).select_from(Unit)) == units


HOME, MINE, DOSSIERS, ORG = (
    "home.index",
    "employees.my_dossier",
    "employees.list_employees",
    "org.list_units",
)
ASK, DECIDE = "corrections.my_requests", "corrections.list_requests"
ADMIN = {"accounts.list_users", "audit.list_entries", "codes.list_lists"}
MY_GAPS = "staffing.my_competencies"
POSITIONS = {
    "positions.list_plans",
    "staffing.index",
    "positions.catalogue",
    "positions.competencies",
}
#: every account with a dossier of its own sees its competencies and its reviews
OWN = {MINE, ASK, MY_GAPS, "reviews.my_reviews"} | {
    "salary.my_salary",
    "salary.my_raise",
    "salary.my_retirement",
}
PERIODS, ANNUAL = "reviews.list_periods", "reviews.annual_index"
STATISTICS = "reports.dashboard"
#: the officers' salary lists
SALARY = {"salary.raise_list", "salary.early_raises", "salary.retirement_list"}
EXPECTED_NAV = {
    "admin": {HOME, DOSSIERS, ORG, DECIDE, PERIODS, ANNUAL, STATISTICS, "reviews.scheme_list"}
    | {"salary.rules_index"}
    | ADMIN
    | POSITIONS
    | SALARY,
    "officer": {HOME, DOSSIERS, ORG, DECIDE, PERIODS, ANNUAL, STATISTICS}
    | OWN
    | POSITIONS
    | SALARY,
    "head": {HOME, DOSSIERS, ORG, PERIODS, STATISTICS} | OWN | POSITIONS,
    "staff": {HOME} | OWN,
    "officer2": {HOME, DOSSIERS, ORG, DECIDE, PERIODS, ANNUAL, STATISTICS}
    | OWN
    | POSITIONS
    | SALARY,
    "head2": {HOME, DOSSIERS, ORG, PERIODS, STATISTICS} | OWN | POSITIONS,
    "staff2": {HOME} | OWN,
}
VISIBLE_UNITS = {
    "admin": 13,
    "officer": 9,  # Sở Nội vụ, its six divisions and two centres
    "head": 1,
    "officer2": 1,
    "head2": 1,
}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_every_demo_account_signs_in_and_sees_its_scope(app: Flask, client, username: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post_form("/login", {"username": username, "password": DEFAULT_DEMO_PASSWORD})
    assert response.status_code == 302, username
    home = client.get("/").text
    assert set(NAV.findall(home)) == EXPECTED_NAV[username]
    units_page = client.get("/units/")
    if username.startswith("staff"):
        assert units_page.status_code == 403
    else:
        unit_links = re.findall(r'href="/units/(\d+)"', units_page.text)
        assert len(unit_links) == VISIBLE_UNITS[username]
