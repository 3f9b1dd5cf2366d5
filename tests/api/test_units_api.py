"""Units over the API: the same scope, loader and validation as the pages."""

from __future__ import annotations

from tests.conftest import issue_token


def get(client, world, role: str, url: str):  # type: ignore[no-untyped-def]
    return client.get(url, headers={"Authorization": f"Bearer {issue_token(world.users[role])}"})


def test_list_is_scoped_and_paginated(client, world) -> None:  # type: ignore[no-untyped-def]
    body = get(client, world, "officer", "/api/v1/units?per_page=2").get_json()
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 2
    assert [u["code"] for u in body["items"]] == ["DEP", "DIV-A"]
    second = get(client, world, "officer", "/api/v1/units?per_page=2&page=2").get_json()
    assert [u["code"] for u in second["items"]] == ["TEAM-A", "DIV-B"]
    head = get(client, world, "head", "/api/v1/units").get_json()
    assert {u["code"] for u in head["items"]} == {"DIV-A", "TEAM-A"}
    assert get(client, world, "staff", "/api/v1/units").status_code == 403


def test_filters_and_bad_parameters(client, world) -> None:  # type: ignore[no-untyped-def]
    found = get(client, world, "admin", "/api/v1/units?q=to%20chuc").get_json()
    assert [u["code"] for u in found["items"]] == ["DIV-B"]
    for query in ("per_page=201", "per_page=0", "page=0", "page=abc", "include_closed=maybe"):
        response = get(client, world, "admin", f"/api/v1/units?{query}")
        assert response.status_code == 422, query
        assert response.get_json()["error"]["code"] == "validation_failed"
        assert response.get_json()["error"]["fields"]


def test_one_unit_out_of_scope_is_404_like_a_missing_one(client, world) -> None:  # type: ignore[no-untyped-def]
    out = get(client, world, "head", f"/api/v1/units/{world.division_b.id}")
    missing = get(client, world, "head", "/api/v1/units/999999")
    assert out.status_code == missing.status_code == 404
    assert out.get_json() == missing.get_json()
    mine = get(client, world, "head", f"/api/v1/units/{world.team_a.id}").get_json()
    assert mine["code"] == "TEAM-A" and mine["parent_id"] == world.division_a.id
    assert mine["history"] == [] and isinstance(mine["version"], int)


def test_errors_are_json_never_html(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json
    response = client.put("/api/v1/units", headers={"Authorization": "Bearer x"})
    assert response.status_code == 405 and response.is_json
