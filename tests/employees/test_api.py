"""Dossiers over the API: same scope, same validation, optimistic locking, audience shapes."""

from __future__ import annotations

from tests.conftest import issue_token
from tests.factories import national_id_for


def call(client, world, role: str, method: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    return client.open(url, method=method, headers=headers, **kwargs)


def test_list_is_scoped_and_identity_numbers_follow_the_audience(client, world) -> None:  # type: ignore[no-untyped-def]
    officer = call(client, world, "officer", "GET", "/api/v1/employees").get_json()
    assert {e["full_name"] for e in officer["items"]} == {
        "Lê Thị Ngọc Ánh",
        "Nguyễn Văn Ân",
        "Hoàng Minh Tâm",
    }
    assert all("national_id" in e for e in officer["items"])
    head = call(client, world, "head", "GET", "/api/v1/employees").get_json()
    assert head["total"] == 2
    assert all("national_id" not in e for e in head["items"])
    assert call(client, world, "staff", "GET", "/api/v1/employees").status_code == 403
    own = call(client, world, "staff", "GET", f"/api/v1/employees/{world.own.id}").get_json()
    assert own["national_id"] == world.own.national_id


def test_create_update_and_conflict(client, world) -> None:  # type: ignore[no-untyped-def]
    body = {
        "full_name": "Hà Văn Sơn",
        "sex": "male",
        "date_of_birth": "1988-12-01",
        "kind": "cong_chuc",
        "national_id": national_id_for("male", __import__("datetime").date(1988, 12, 1), 42),
        "unit_id": world.division_a.id,
    }
    created = call(client, world, "officer", "POST", "/api/v1/employees", json=body)
    assert created.status_code == 201
    location = created.headers["Location"]
    employee = created.get_json()
    assert location.endswith(f"/api/v1/employees/{employee['id']}")
    duplicate = call(client, world, "officer", "POST", "/api/v1/employees", json=body)
    assert duplicate.status_code == 422
    assert list(duplicate.get_json()["error"]["fields"]) == ["national_id"]

    no_version = call(client, world, "officer", "PATCH", location, json={"phone": "0912345678"})
    assert no_version.status_code == 422
    assert "version" in no_version.get_json()["error"]["fields"]
    updated = call(
        client,
        world,
        "officer",
        "PATCH",
        location,
        json={"version": employee["version"], "phone": "0912345678"},
    )
    assert updated.status_code == 200 and updated.get_json()["phone"] == "0912345678"
    stale = call(
        client,
        world,
        "officer",
        "PATCH",
        location,
        json={"version": employee["version"], "phone": "0900000000"},
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "conflict"
    assert call(client, world, "head", "PATCH", location, json={"version": 1}).status_code == 403


def test_decisions_and_audit(client, world) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/employees/{world.in_team.id}/decisions"
    decision = {
        "kind": "recruitment",
        "number": "7/QĐ-SNV",
        "signed_on": "2021-02-20",
        "issuer": "Giám đốc Sở",
        "effective_on": "2021-03-01",
        "unit_id": world.team_a.id,
        "rank_code": "01.003",
        "salary_step": 1,
        "salary_coefficient": "2.34",
    }
    created = call(client, world, "officer", "POST", url, json=decision)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["salary_coefficient"] == "2.34"
    listed = call(client, world, "head", "GET", url).get_json()
    assert [d["number"] for d in listed["items"]] == ["7/QĐ-SNV"]
    early = call(
        client,
        world,
        "officer",
        "POST",
        url,
        json=decision | {"kind": "reward", "title": "Giấy khen", "effective_on": "2020-06-01"},
    )
    assert early.status_code == 422 and "effective_on" in early.get_json()["error"]["fields"]
    trail = call(
        client, world, "officer", "GET", f"/api/v1/employees/{world.in_team.id}/audit"
    ).get_json()
    assert {e["object_type"] for e in trail["items"]} >= {"decisions", "employees"}


def test_create_without_identity_is_422_not_500(client, world) -> None:  # type: ignore[no-untyped-def]
    response = call(
        client, world, "officer", "POST", "/api/v1/employees", json={"unit_id": world.division_a.id}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {
        "full_name",
        "sex",
        "date_of_birth",
        "national_id",
        "kind",
    }


def test_ledger_and_trail_lists_are_paged(client, world) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/employees/{world.in_team.id}"
    for number, effective in (
        ("1/QĐ", "2021-03-01"),
        ("2/QĐ", "2022-03-01"),
        ("3/QĐ", "2023-03-01"),
    ):
        kind = (
            {"kind": "recruitment", "unit_id": world.team_a.id}
            if number == "1/QĐ"
            else {"kind": "reward", "title": "Giấy khen"}
        )
        body = {
            "number": number,
            "signed_on": "2021-02-01",
            "issuer": "Giám đốc Sở",
            "effective_on": effective,
        } | kind
        assert (
            call(client, world, "officer", "POST", f"{url}/decisions", json=body).status_code == 201
        )
    page = call(client, world, "officer", "GET", f"{url}/decisions?per_page=2&page=2").get_json()
    assert (page["total"], page["page"], page["per_page"]) == (3, 2, 2)
    assert [d["number"] for d in page["items"]] == ["3/QĐ"]
    trail = call(client, world, "officer", "GET", f"{url}/audit?per_page=1").get_json()
    assert trail["per_page"] == 1 and len(trail["items"]) == 1 and trail["total"] >= 4
    assert call(client, world, "officer", "GET", f"{url}/decisions?per_page=500").status_code == 422
