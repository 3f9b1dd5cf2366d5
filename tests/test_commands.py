"""Command-line jobs: create-admin and the demo data."""

from __future__ import annotations

import re

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
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("demo")
def test_seed_demo_only_when_empty_with_if_empty(app: Flask) -> None:
    units = db.session.scalar(select(db.func.count()).select_from(Unit))
    assert units == 13
    again = run(app, "seed-demo", "--if-empty")
    assert again.exit_code == 0
    assert "already" in again.output
    assert db.session.scalar(select(db.func.count()).select_from(Unit)) == units


EXPECTED_NAV = {
    "admin": {"home.index", "org.list_units", "accounts.list_users", "audit.list_entries"},
    "officer": {"home.index", "org.list_units"},
    "head": {"home.index", "org.list_units"},
    "staff": {"home.index"},
    "officer2": {"home.index", "org.list_units"},
    "head2": {"home.index", "org.list_units"},
    "staff2": {"home.index"},
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
