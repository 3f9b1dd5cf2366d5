"""Command-line jobs: create-admin and the demo data."""

from __future__ import annotations

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
EXPECTED_NAV = {
    "admin": {HOME, DOSSIERS, ORG, DECIDE} | ADMIN | POSITIONS,
    "officer": {HOME, MINE, ASK, DOSSIERS, ORG, DECIDE, MY_GAPS} | POSITIONS,
    "head": {HOME, MINE, ASK, DOSSIERS, ORG, MY_GAPS} | POSITIONS,
    "staff": {HOME, MINE, ASK, MY_GAPS},
    "officer2": {HOME, MINE, ASK, DOSSIERS, ORG, DECIDE, MY_GAPS} | POSITIONS,
    "head2": {HOME, MINE, ASK, DOSSIERS, ORG, MY_GAPS} | POSITIONS,
    "staff2": {HOME, MINE, ASK, MY_GAPS},
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
