"""/healthz and the request log, on the suite's shared app and database."""

from __future__ import annotations

import logging
import os
import re

import pytest

from tests.ops.support import LINE, request_lines

POSTGRES_URL = os.environ.get("HRMS_TEST_DATABASE_URL")
on_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="HRMS_TEST_DATABASE_URL is not set")


def test_healthz_reports_a_reachable_database_at_head(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["storage"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["migrations"]["current"] == body["migrations"]["head"]
    # nothing about people or accounts: only these keys
    assert set(body) == {"status", "database", "migrations", "storage"}
    assert response.headers["Cache-Control"] == "no-store"


def test_one_log_line_per_request_with_its_id(client, world, login_as, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="hrms.request")
    user = login_as("officer")
    response = client.get(f"/employees/{world.in_team.id}")
    assert response.status_code == 200
    request_id = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = request_lines(caplog)
    assert len(lines) == 1
    record = lines[0]
    assert record.request_id == request_id  # type: ignore[attr-defined]
    match = LINE.match(record.getMessage())
    assert match, record.getMessage()
    method, path, status, user_id, _ = match.groups()
    assert (method, path, status, user_id) == (
        "GET",
        f"/employees/{world.in_team.id}",
        "200",
        str(user.id),
    )


def test_the_request_log_keeps_a_proxy_request_id_and_omits_query_strings(client, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="hrms.request")
    response = client.get(
        "/login?next=/employees/?q=nguyen", headers={"X-Request-Id": "nginx-1234abcd"}
    )
    assert response.headers["X-Request-Id"] == "nginx-1234abcd"
    (record,) = request_lines(caplog)
    assert record.getMessage().startswith("GET /login 200 user=- ")
    assert "nguyen" not in record.getMessage()
    # a header that does not look like an id is replaced, never echoed
    forged = client.get("/login", headers={"X-Request-Id": "x INFO forged line"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-Id"])
