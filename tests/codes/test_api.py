"""Code lists over the API: active entries for any signed-in token."""

from __future__ import annotations

from hrms.codes.models import CodeEntry
from hrms.extensions import db
from tests.conftest import issue_token


def get(client, world, role: str, url: str):  # type: ignore[no-untyped-def]
    return client.get(url, headers={"Authorization": f"Bearer {issue_token(world.users[role])}"})


def test_list_for_any_signed_in_token(client, world) -> None:  # type: ignore[no-untyped-def]
    body = get(client, world, "nobody", "/api/v1/codes/ethnicity").get_json()
    assert body["total"] == 54 and body["page"] == 1 and body["per_page"] == 50
    assert body["items"][0] == {
        "code": "01",
        "label": "Kinh",
        "sort_order": 1,
        "parent_code": None,
        "note": None,
    }
    second = get(client, world, "staff", "/api/v1/codes/ethnicity?page=2").get_json()
    assert [item["code"] for item in second["items"]] == ["51", "52", "53", "54"]
    assert client.get("/api/v1/codes/ethnicity").status_code == 401


def test_filters_and_errors(client, world) -> None:  # type: ignore[no-untyped-def]
    found = get(client, world, "staff", "/api/v1/codes/province?q=ho chi minh").get_json()
    assert [item["code"] for item in found["items"]] == ["79"]
    hanoi = get(client, world, "staff", "/api/v1/codes/commune?parent_code=01&per_page=200")
    assert hanoi.get_json()["total"] == 126
    missing = get(client, world, "staff", "/api/v1/codes/nothing")
    assert missing.status_code == 404 and missing.is_json
    wrong = get(client, world, "staff", "/api/v1/codes/commune?per_page=1000")
    assert wrong.status_code == 422 and wrong.get_json()["error"]["fields"]


def test_deactivated_entries_are_left_out(client, world) -> None:  # type: ignore[no-untyped-def]
    entry = db.session.query(CodeEntry).filter_by(list_name="religion", code="13").one()
    entry.active = False
    db.session.commit()
    body = get(client, world, "staff", "/api/v1/codes/religion").get_json()
    assert body["total"] == 16 and "13" not in {item["code"] for item in body["items"]}
