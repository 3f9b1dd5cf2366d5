"""The shell: route guard at start, security headers, CSRF, cookies, error pages, language."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask

from hrms.core.security import UnguardedRouteError, audit_routes, public


def test_an_unguarded_route_makes_the_app_refuse_to_start(app: Flask) -> None:
    extra = Blueprint("extra", __name__)

    @extra.get("/forgotten")
    def forgotten() -> str:
        return "no rule"

    @extra.get("/open")
    @public
    def open_page() -> str:
        return "public"

    probe = Flask("probe", static_folder=None)
    for rule in app.url_map.iter_rules():
        probe.add_url_rule(rule.rule, rule.endpoint, app.view_functions[rule.endpoint])
    audit_routes(probe)  # the real app's routes all carry a rule
    probe.register_blueprint(extra)
    with pytest.raises(UnguardedRouteError, match=r"extra\.forgotten") as raised:
        audit_routes(probe)
    assert "extra.open_page" not in str(raised.value)


def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.text  # no inline script anywhere in the layout


def test_bootstrap_is_served_locally(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/login").text
    assert "cdn" not in html.lower()
    with client.get("/bootstrap/static/css/bootstrap.min.css") as css:
        assert css.status_code == 200


def test_session_cookie_flags(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post_form(
        "/login", {"username": "admin", "password": "Correct-Horse-Battery-9"}
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    response = client.post("/units/new", data={"code": "X1", "name": "Phòng mới"})
    assert response.status_code == 400
    assert "mã bảo vệ" in response.text or "security token" in response.text


def test_login_without_csrf_token_is_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/login", data={"username": "admin", "password": "Correct-Horse-Battery-9"}
    )
    assert response.status_code == 400


def test_error_pages_are_html_in_the_layout(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    forbidden = client.get("/units/")
    assert forbidden.status_code == 403
    assert 'data-testid="main-nav"' in forbidden.text
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "<html" in missing.text


def test_language_switch_and_open_redirect_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/language/en?next=https://evil.example/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.get("/language/en?next=//evil.example")
    assert response.headers["Location"] == "/"
    response = client.get("/language/en?next=/%5Cevil.example")
    assert response.headers["Location"] == "/"
    response = client.get("/language/en?next=/units/")
    assert response.headers["Location"] == "/units/"
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    client.get("/language/xx")
    with client.session_transaction() as session:
        assert session["lang"] == "en"  # unknown languages are ignored


def test_a_crash_shows_the_error_page_and_keeps_nothing(
    client, world, login_as, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from hrms.extensions import db
    from hrms.org import services
    from hrms.org.models import Unit

    def half_written(actor, unit, data):  # type: ignore[no-untyped-def]
        unit.name = "Đã đổi một nửa"
        db.session.flush()
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "rename_unit", half_written)
    login_as("admin")
    unit = world.division_a
    response = client.post_form(
        f"/units/{unit.id}/rename",
        {"version": str(unit.version), "name": "X", "effective_date": "2025-07-01"},
    )
    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.text
    assert "disk on fire" not in response.text
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).name == "Phòng Công chức"


def test_error_pages_speak_vietnamese(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    assert "Không có quyền truy cập" in client.get("/units/").text
    assert "Không tìm thấy" in client.get("/nowhere").text
