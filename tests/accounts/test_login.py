"""Signing in and out: one message for every failure, lockout, sessions that end."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from hrms.accounts.models import User
from hrms.core.audit import AuditEntry
from hrms.core.db import utcnow
from hrms.extensions import db
from tests.factories import TEST_PASSWORD


def failure_message(response) -> str:  # type: ignore[no-untyped-def]
    text = response.get_data(as_text=True)
    start = text.index('data-testid="form-errors"')
    return text[start : text.index("</div>\n    </div>", start)]


def sign_in(client, username: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post_form("/login", {"username": username, "password": password})


def test_sign_in_and_out(client, world) -> None:  # type: ignore[no-untyped-def]
    response = sign_in(client, "ADMIN ")
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200
    user = db.session.get(User, world.users["admin"].id)
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert client.post_form("/logout").status_code == 302
    assert client.get("/admin/users").headers["Location"].startswith("/login")


def test_next_parameter_is_followed_only_within_the_site(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post_form(
        "/login?next=/units/", {"username": "admin", "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/units/"
    client.post_form("/logout")
    response = client.post_form(
        "/login?next=https://evil.example/", {"username": "admin", "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_every_failure_looks_the_same(client, world) -> None:  # type: ignore[no-untyped-def]
    world.users["head2"].active = False
    db.session.commit()
    wrong = sign_in(client, "admin", "wrong password")
    unknown = sign_in(client, "no-such-user", "wrong password")
    disabled = sign_in(client, "head2")
    assert wrong.status_code == unknown.status_code == disabled.status_code == 401
    assert failure_message(wrong) == failure_message(unknown) == failure_message(disabled)


def test_failures_are_audited_and_counted(client, world) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "head", "wrong password")
    sign_in(client, "nobody-here", "x")
    user = db.session.get(User, world.users["head"].id)
    db.session.refresh(user)
    assert user.failed_logins == 1
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("login.%")).order_by(AuditEntry.id)
    ).all()
    assert actions == ["login.failed", "login.refused"]


def test_lockout_after_too_many_failures(app, client, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(
        app.config["HRMS_SETTINGS"], login_max_failures=3, login_lock_minutes=15
    )
    monkeypatch.setitem(app.config, "HRMS_SETTINGS", settings)
    for _ in range(3):
        assert sign_in(client, "head", "wrong password").status_code == 401
    user = db.session.get(User, world.users["head"].id)
    db.session.refresh(user)
    assert user.locked_until is not None
    remaining = user.locked_until - utcnow()
    assert dt.timedelta(minutes=14) < remaining <= dt.timedelta(minutes=15)
    locked = sign_in(client, "head")  # the right password is refused while locked
    assert locked.status_code == 401
    assert failure_message(locked) == failure_message(sign_in(client, "ghost", "x"))
    assert "login.locked" in db.session.scalars(select(AuditEntry.action)).all()

    user.locked_until = utcnow() - dt.timedelta(seconds=1)  # the lock has run out
    db.session.commit()
    assert sign_in(client, "head").status_code == 302


def test_default_lockout_is_ten_failures(app, client, world) -> None:  # type: ignore[no-untyped-def]
    for _ in range(9):
        sign_in(client, "staff", "wrong password")
    user = db.session.get(User, world.users["staff"].id)
    db.session.refresh(user)
    assert user.locked_until is None and user.failed_logins == 9
    sign_in(client, "staff", "wrong password")
    db.session.refresh(user)
    assert user.locked_until is not None


def test_a_success_resets_the_failure_count(client, world) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "head", "wrong password")
    sign_in(client, "head")
    user = db.session.get(User, world.users["head"].id)
    db.session.refresh(user)
    assert user.failed_logins == 0


def test_missing_fields_are_reported_beside_them(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post_form("/login", {"username": "", "password": ""})
    assert response.status_code == 401
    assert 'data-field-error="username"' in response.text
    assert 'data-field-error="password"' in response.text


@pytest.mark.parametrize("name", ["admin", "staff"])
def test_password_change_ends_other_sessions(app, client, world, name) -> None:  # type: ignore[no-untyped-def]
    other = app.test_client()  # a second browser
    assert sign_in(client, name).status_code == 302
    assert sign_in(other, name).status_code == 302
    response = client.post_form(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": "Mật-khẩu-mới-2026",
            "confirm_password": "Mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert other.get("/").headers["Location"].startswith("/login")  # the other one has ended
    assert sign_in(other, name, "Mật-khẩu-mới-2026").status_code == 302
