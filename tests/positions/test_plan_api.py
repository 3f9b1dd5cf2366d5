"""The plans and positions API: same schemas and services as the forms, scoped lists, refusals
with field messages, optimistic locking, and the OpenAPI description."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hrms.extensions import db
from positions.models import PositionPlan, UnitPosition
from tests.conftest import issue_token
from tests.positions import factories


def call(client: Any, world: Any, role: str, method: str, url: str, body: Any = None) -> Any:
    api = client.application.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    return api.open(url, method=method, headers=headers, json=body)


def body(code: str = "VT-01", **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Chuyên viên tuyển dụng",
        "grp": "professional",
        "headcount": 2,
        "rank_codes": ["01.003", "01.002"],
        "objective": "Tổ chức tuyển dụng",
        "tasks": [
            {
                "description": "Tổ chức thi tuyển",
                "outputs": [
                    {
                        "name": "Kế hoạch",
                        "unit_of_measure": "văn bản",
                        "conversion_factor": "2.5",
                        "monthly_quantity": 1,
                    }
                ],
            }
        ],
        "rank_limits": [{"rank_code": "01.002", "max_percent": 30}],
    } | extra


def test_draft_a_plan_and_its_positions(client, world) -> None:  # type: ignore[no-untyped-def]
    version = factories.plan_competency("TST-01", "Đạo đức công vụ")
    created = call(client, world, "head", "POST", "/api/v1/plans", {"unit_id": world.division_a.id})
    assert created.status_code == 201
    plan = created.json
    assert (plan["state"], plan["number"], plan["unit_name"]) == ("draft", 1, "Phòng Công chức")
    assert created.headers["Location"].endswith(f"/api/v1/plans/{plan['id']}")

    refused = call(client, world, "head", "POST", "/api/v1/plans", {"unit_id": world.division_b.id})
    assert refused.status_code == 422
    assert "unit_id" in refused.json["error"]["fields"]

    added = call(
        client,
        world,
        "head",
        "POST",
        f"/api/v1/plans/{plan['id']}/positions",
        body(requirements=[{"competency_version_id": version.id, "level": 4}]),
    )
    assert added.status_code == 201, added.json
    position = added.json
    assert position["rank_codes"] == ["01.003", "01.002"]
    assert position["tasks"][0]["outputs"][0]["conversion_factor"] == "2.50"
    assert position["requirements"][0]["level_descriptor"] == "Đạo đức công vụ: mức 4"
    assert position["rank_limits"] == [{"rank_code": "01.002", "max_percent": 30}]
    assert position["lineage_id"] == position["id"]

    shown = call(client, world, "officer", "GET", f"/api/v1/plans/{plan['id']}")
    assert shown.status_code == 200
    assert [p["code"] for p in shown.json["positions"]] == ["VT-01"]

    bad = call(
        client,
        world,
        "head",
        "POST",
        f"/api/v1/plans/{plan['id']}/positions",
        body(
            "VT-01", headcount=-1, requirements=[{"competency_version_id": version.id, "level": 7}]
        ),
    )
    assert bad.status_code == 422
    assert {"headcount", "requirements.0.level"} <= set(bad.json["error"]["fields"])
    taken = call(client, world, "head", "POST", f"/api/v1/plans/{plan['id']}/positions", body())
    assert taken.status_code == 422
    assert "code" in taken.json["error"]["fields"]
    assert len(db.session.scalars(select(UnitPosition).filter_by(plan_id=plan["id"])).all()) == 1


def test_patch_a_position_with_its_version(client, world) -> None:  # type: ignore[no-untyped-def]
    plan = factories.plan(world.division_a)
    position = factories.unit_position(plan, tasks=2)
    url = f"/api/v1/positions/{position.id}"
    read = call(client, world, "head", "GET", url).json
    assert read["objective"] == "Tham mưu quản lý đội ngũ công chức của Sở."
    assert len(read["tasks"]) == 2

    missing = call(client, world, "head", "PATCH", url, {"headcount": 3})
    assert missing.status_code == 422
    assert "version" in missing.json["error"]["fields"]
    patched = call(
        client, world, "head", "PATCH", url, {"version": read["version"], "headcount": 3}
    )
    assert patched.status_code == 200
    assert patched.json["headcount"] == 3
    # PATCH leaves what is not sent alone
    assert len(patched.json["tasks"]) == 2
    assert patched.json["objective"] == read["objective"]
    assert patched.json["version"] > read["version"]

    stale = call(client, world, "head", "PATCH", url, {"version": read["version"], "headcount": 4})
    assert stale.status_code == 409
    assert call(client, world, "officer", "PATCH", url, {"version": 1}).status_code == 403
    assert call(client, world, "head2", "PATCH", url, {"version": 1}).status_code == 404
    db.session.expire_all()
    assert db.session.get(UnitPosition, position.id).headcount == 3


def test_an_approved_plan_refuses_changes(client, world) -> None:  # type: ignore[no-untyped-def]
    plan = factories.plan(world.division_a, state="approved")
    position = factories.unit_position(plan)
    refused = call(
        client,
        world,
        "admin",
        "PATCH",
        f"/api/v1/positions/{position.id}",
        {"version": position.version, "headcount": 9},
    )
    assert refused.status_code == 422
    assert refused.json["error"]["message"]  # the reason (the plan is approved)
    added = call(client, world, "admin", "POST", f"/api/v1/plans/{plan.id}/positions", body("VT-2"))
    assert added.status_code == 422
    db.session.expire_all()
    assert db.session.get(UnitPosition, position.id).headcount == 2


def test_lists_are_scoped_and_filtered(client, world) -> None:  # type: ignore[no-untyped-def]
    mine = factories.plan(world.division_a, state="approved")
    draft = factories.plan(world.division_a, previous=mine)
    theirs = factories.plan(world.division_b, state="approved")
    outside = factories.plan(world.other_department, state="approved")
    for plan in (mine, draft, theirs, outside):
        factories.unit_position(plan)

    def ids(role: str, url: str) -> set[int]:
        response = call(client, world, role, "GET", url)
        assert response.status_code == 200, response.json
        return {item["id"] for item in response.json["items"]}

    assert ids("head", "/api/v1/plans") == {mine.id, draft.id}
    assert ids("officer", "/api/v1/plans") == {mine.id, draft.id, theirs.id}
    assert ids("officer", "/api/v1/plans?state=approved") == {mine.id, theirs.id}
    assert ids("officer", f"/api/v1/plans?unit_id={world.division_b.id}") == {theirs.id}
    assert ids("admin", f"/api/v1/plans?unit_id={world.other_department.id}") == {outside.id}
    bad = call(client, world, "officer", "GET", "/api/v1/plans?state=nonsense")
    assert bad.status_code == 422 and "state" in bad.json["error"]["fields"]

    def plan_ids(role: str, url: str) -> set[int]:
        response = call(client, world, role, "GET", url)
        assert response.status_code == 200, response.json
        return {item["plan_id"] for item in response.json["items"]}

    # positions of the plans in force by default; plan_id names one version
    assert plan_ids("officer", "/api/v1/positions") == {mine.id, theirs.id}
    assert plan_ids("head", f"/api/v1/positions?plan_id={draft.id}") == {draft.id}
    assert plan_ids("head", f"/api/v1/positions?plan_id={outside.id}") == set()
    assert plan_ids("officer", f"/api/v1/positions?unit_id={world.division_b.id}") == {theirs.id}
    assert call(client, world, "head", "GET", f"/api/v1/plans/{outside.id}").status_code == 404
    assert call(client, world, "staff", "GET", "/api/v1/plans").status_code == 403


def test_the_list_takes_a_fixed_number_of_queries(client, world, count_queries) -> None:  # type: ignore[no-untyped-def]
    token = issue_token(world.users["officer"])
    api = client.application.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {token}"}

    def measure(url: str) -> int:
        with count_queries() as counted:
            assert api.get(url, headers=headers).status_code == 200
        return int(counted.n)

    plan = factories.plan(world.division_a, state="approved")
    factories.unit_position(plan, "VT-01")
    few = (
        measure("/api/v1/plans"),
        measure("/api/v1/positions"),
        measure(f"/api/v1/plans/{plan.id}"),
    )
    for unit in (world.team_a, world.division_b):
        factories.unit_position(factories.plan(unit, state="approved"), "VT-01")
    for number in range(2, 6):
        factories.unit_position(plan, f"VT-0{number}")
    many = (
        measure("/api/v1/plans"),
        measure("/api/v1/positions"),
        measure(f"/api/v1/plans/{plan.id}"),
    )
    assert many == few


def test_the_routes_are_documented(client) -> None:  # type: ignore[no-untyped-def]
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/plans"])
    assert "get" in paths["/plans/{plan_id}"]
    assert "post" in paths["/plans/{plan_id}/positions"]
    assert "get" in paths["/positions"]
    assert {"get", "patch"} <= set(paths["/positions/{position_id}"])


def test_nothing_is_left_half_written(client, world) -> None:  # type: ignore[no-untyped-def]
    """A refused plan creation leaves no row."""
    before = db.session.scalar(select(PositionPlan.id).limit(1))
    response = call(client, world, "head", "POST", "/api/v1/plans", {"unit_id": 999_999})
    assert response.status_code == 422
    assert db.session.scalar(select(PositionPlan.id).limit(1)) == before
