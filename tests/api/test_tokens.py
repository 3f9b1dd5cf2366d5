"""API tokens: creation, refusal, expiry, revocation, rate limit, and no cookie authority."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from hrms.api.models import ApiToken
from hrms.api.queries import token_hash
from hrms.core.db import utcnow
from hrms.extensions import db
from tests.factories import TEST_PASSWORD


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(client, username: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/tokens", json={"username": username, "password": password})


def test_token_lifecycle(client, world) -> None:  # type: ignore[no-untyped-def]
    response = create(client, "officer")
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("hrms_")
    assert body["user"]["username"] == "officer"
    assert body["user"]["grants"] == [{"role": "personnel_officer", "unit_id": world.department.id}]
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=11, minutes=59) < expires - utcnow() <= dt.timedelta(hours=12)
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert body["token"] not in stored and token_hash(body["token"]) in stored
    assert "Set-Cookie" not in response.headers

    assert client.get("/api/v1/units", headers=bearer(body["token"])).status_code == 200
    assert (
        client.delete("/api/v1/auth/tokens/current", headers=bearer(body["token"])).status_code
        == 204
    )
    revoked = client.get("/api/v1/units", headers=bearer(body["token"]))
    assert revoked.status_code == 401
    assert revoked.get_json()["error"]["code"] == "unauthenticated"


def test_wrong_credentials_look_the_same(client, world) -> None:  # type: ignore[no-untyped-def]
    wrong = create(client, "officer", "nope")
    unknown = create(client, "ghost", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_invalid_bodies_are_422_not_500(client, world) -> None:  # type: ignore[no-untyped-def]
    missing = client.post("/api/v1/auth/tokens", json={"username": "officer"})
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) == {"password"}
    for body in ([1, 2], "text", None):
        response = client.post("/api/v1/auth/tokens", json=body)
        assert response.status_code == 422, body
    not_json = client.post(
        "/api/v1/auth/tokens", data="username=officer", content_type="text/plain"
    )
    assert not_json.status_code == 422


def test_lockout_applies_to_the_api(app, client, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(app.config["HRMS_SETTINGS"], login_max_failures=2)
    monkeypatch.setitem(app.config, "HRMS_SETTINGS", settings)
    create(client, "head", "bad")
    create(client, "head", "bad")
    assert create(client, "head").status_code == 401  # locked: the right password is refused


def test_token_creation_is_rate_limited(app, client, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(app.config["HRMS_SETTINGS"], sign_in_rate_limit="3 per minute")
    monkeypatch.setitem(app.config, "HRMS_SETTINGS", settings)
    statuses = [create(client, "ghost", "x").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = create(client, "officer")
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"


def test_expired_tokens_are_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    token = create(client, "officer").get_json()["token"]
    stored = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    stored.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/units", headers=bearer(token)).status_code == 401


def test_disabled_accounts_tokens_stop_working(client, world) -> None:  # type: ignore[no-untyped-def]
    token = create(client, "officer").get_json()["token"]
    world.users["officer"].active = False
    db.session.commit()
    assert client.get("/api/v1/units", headers=bearer(token)).status_code == 401


def test_malformed_authorization_headers(client, world) -> None:  # type: ignore[no-untyped-def]
    for header in ("Bearer", "Bearer ", "Basic abc", "Bearer " + "x" * 500, "bearer hrms_x"):
        response = client.get("/api/v1/units", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_the_session_cookie_does_not_authorise_the_api(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    assert client.get("/units/").status_code == 200
    assert client.get("/api/v1/units").status_code == 401


def test_no_csrf_token_needed_on_the_api(app, client, world) -> None:  # type: ignore[no-untyped-def]
    # the suite keeps CSRF on; a JSON call without a token must still reach the endpoint
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert create(client, "officer").status_code == 201
