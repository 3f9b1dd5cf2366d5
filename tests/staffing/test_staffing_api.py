"""The staffing JSON API: the same loaders, schemas and services as the pages, with the API's
error envelope (422 with field messages, 409 on a stale version, 403/404 by scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from hrms.employees.models import Decision, Employee
from hrms.extensions import db
from hrms.staffing.models import CompetencyAssessment, Placement
from tests.conftest import issue_token
from tests.staffing import factories
from tests.staffing.conftest import placement_json


class Api:
    def __init__(self, client: Any, user: Any) -> None:
        self.client = client.application.test_client(use_cookies=False)
        # messages in their English wording (see conftest._in_english)
        self.headers = {"Authorization": f"Bearer {issue_token(user)}", "Accept-Language": "en"}

    def get(self, url: str) -> Any:
        return self.client.get(f"/api/v1{url}", headers=self.headers)

    def post(self, url: str, body: Any) -> Any:
        return self.client.post(f"/api/v1{url}", json=body, headers=self.headers)


def api(client: Any, staffing: Any, role: str) -> Api:
    return Api(client, staffing.world.users[role])


def fresh(employee: Any) -> Employee:
    db.session.expire_all()
    found = db.session.get(Employee, employee.id)
    assert found is not None
    return found


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_place_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    head = api(client, staffing, "head")
    # team A is a unit of its own: its people are placed in team A's plan, not division A's
    team = head.post(
        f"/employees/{world.in_team.id}/placements",
        placement_json(staffing.officer, fresh(world.in_team)),
    )
    assert "of their own unit (Tổ Hồ sơ)" in refusal(team)["position_id"][0]
    answer = head.post(
        f"/employees/{world.own.id}/placements",
        placement_json(staffing.officer, fresh(world.own)),
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert answer.headers["Location"].endswith(f"/api/v1/employees/{world.own.id}/placements")
    placement = db.session.get(Placement, body["id"])
    assert placement is not None
    assert body == {
        "id": placement.id,
        "employee_id": world.own.id,
        "position_id": staffing.officer.id,
        "lineage_id": staffing.officer.lineage_id,
        "unit_id": world.division_a.id,
        "main": True,
        "decision_id": placement.decision_id,
        "started_on": "2025-03-01",
        "ended_on": None,
        "ended_by_decision_id": None,
    }
    assert fresh(world.own).position_id == staffing.officer.id
    assert db.session.get(Decision, placement.decision_id).kind == "position_placement"


def test_place_then_list_and_end_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    head = api(client, staffing, "head")
    main = head.post(
        f"/employees/{world.own.id}/placements", placement_json(staffing.officer, fresh(world.own))
    )
    assert main.status_code == 201
    concurrent = head.post(
        f"/employees/{world.own.id}/placements",
        placement_json(
            staffing.clerk, fresh(world.own), main=False, effective_on="2025-04-01", number="2/QĐ"
        ),
    )
    assert concurrent.status_code == 201
    listed = head.get(f"/employees/{world.own.id}/placements")
    assert listed.status_code == 200
    body = listed.get_json()
    assert (body["total"], body["page"]) == (2, 1)
    assert [(i["position_code"], i["main"], i["unit_name"]) for i in body["items"]] == [
        ("CV-01", True, "Phòng Công chức"),
        ("VT-01", False, "Phòng Công chức"),
    ]
    assert body["items"][0]["position_name"] == "Chuyên viên quản lý công chức"
    assert body["items"][0]["plan_id"] == staffing.plan_a.id
    paged = head.get(f"/employees/{world.own.id}/placements?per_page=1&page=2").get_json()
    assert [i["position_code"] for i in paged["items"]] == ["VT-01"]
    assert head.get(f"/employees/{world.own.id}/placements?per_page=0").status_code == 422

    end = {
        "number": "9/QĐ-SNV",
        "signed_on": "2025-06-01",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "2025-07-01",
    }
    refused = head.post(f"/placements/{main.get_json()['id']}/end", end)
    assert refusal(refused) == {}
    assert "ends when the person is placed" in refused.get_json()["error"]["message"]
    ended = head.post(f"/placements/{concurrent.get_json()['id']}/end", end)
    assert ended.status_code == 200
    assert ended.get_json()["ended_on"] == "2025-06-30"
    listed = head.get(f"/employees/{world.own.id}/placements").get_json()
    assert listed["items"][1]["ended_on"] == "2025-06-30"

    # the staff member reads their own placements, and nobody else's
    staff = api(client, staffing, "staff")
    assert staff.get(f"/employees/{world.own.id}/placements").status_code == 200
    assert staff.get(f"/employees/{world.in_team.id}/placements").status_code == 404
    assert (
        api(client, staffing, "head2").get(f"/employees/{world.own.id}/placements").status_code
        == 404
    )


def refusal(answer: Any, status: int = 422) -> dict[str, Any]:
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()["error"]
    assert error["message"]
    return dict(error.get("fields") or {})


def test_placements_refused_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    head = api(client, staffing, "head")
    url = f"/employees/{world.own.id}/placements"
    decisions = count(Decision)

    def body(**fields: Any) -> dict[str, Any]:
        return placement_json(staffing.officer, fresh(world.own), **fields)

    # a position of another unit's plan, of a plan not approved, or none at all
    fields = refusal(head.post(url, body(position_id=staffing.other.id)))
    assert "another unit" in fields["position_id"][0]
    fields = refusal(head.post(url, body(position_id=staffing.draft_position.id)))
    assert "not approved" in fields["position_id"][0]
    assert "position_id" in refusal(head.post(url, body(position_id=987654)))
    # schema: missing fields, a bad date, no version
    fields = refusal(head.post(url, {"position_id": staffing.officer.id}))
    assert {"version", "number", "signed_on", "issuer", "effective_on"} <= fields.keys()
    assert "effective_on" in refusal(head.post(url, body(effective_on="2025-02-30")))
    # the ledger's rules: before the plan takes effect, or before recruitment
    assert "position_id" in refusal(head.post(url, body(effective_on="2024-12-01")))
    newcomer = factories.person(world.division_a, "Lý Thị Thu")
    factories.recruit(newcomer, dt.date(2025, 6, 1))
    early = head.post(
        f"/employees/{newcomer.id}/placements",
        placement_json(staffing.officer, fresh(newcomer), effective_on="2025-05-01"),
    )
    assert "effective_on" in refusal(early)
    # a stale version: someone changed the dossier since it was read
    stale = body(version=fresh(world.own).version - 1)
    conflict = head.post(url, stale)
    assert refusal(conflict, 409) == {}
    assert "in the meantime" in conflict.get_json()["error"]["message"]
    assert count(Placement) == 0
    assert count(Decision) == decisions + 1  # the newcomer's recruitment only
    assert fresh(world.own).position_id is None


def test_who_may_place_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    body = placement_json(staffing.other, fresh(world.in_b))
    assert (
        api(client, staffing, "head")
        .post(f"/employees/{world.in_b.id}/placements", body)
        .status_code
        == 404
    )
    assert (
        api(client, staffing, "staff")
        .post(
            f"/employees/{world.own.id}/placements",
            placement_json(staffing.officer, fresh(world.own)),
        )
        .status_code
        == 403
    )
    assert (
        api(client, staffing, "officer")
        .post(f"/employees/{world.outside.id}/placements", body)
        .status_code
        == 404
    )
    anonymous = client.application.test_client(use_cookies=False)
    assert (
        anonymous.post(f"/api/v1/employees/{world.own.id}/placements", json=body).status_code == 401
    )
    assert count(Placement) == 0
    assert (
        api(client, staffing, "head2")
        .post(f"/employees/{world.in_b.id}/placements", body)
        .status_code
        == 201
    )


def test_competency_gaps_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    head_user = world.users["head"]
    factories.placement(world.own, staffing.officer)
    factories.assessment(world.own, staffing.ethics, 1, by=head_user)
    factories.assessment(world.own, staffing.law, 4, by=head_user)
    factories.assessment(world.own, staffing.talk, 3, by=world.users["staff"], kind="self")
    staff = api(client, staffing, "staff")
    answer = staff.get(f"/employees/{world.own.id}/competency-gaps")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["position"]["code"] == "CV-01"
    rows = {row["code"]: row for row in body["competencies"]}
    assert (rows["T-ETH"]["required"], rows["T-ETH"]["assessed"], rows["T-ETH"]["gap"]) == (3, 1, 2)
    assert rows["T-ETH"]["status"] == "need"
    assert rows["T-ETH"]["objective"] == "Đạo đức công vụ: mức 3"
    assert rows["T-LAW"]["status"] == "met"
    assert (rows["T-TALK"]["assessed"], rows["T-TALK"]["self_assessed"]) == (None, 3)
    assert rows["T-TALK"]["status"] == "not_assessed"
    assert [row["code"] for row in body["training_needs"]] == ["T-ETH"]
    assert staff.get(f"/employees/{world.in_team.id}/competency-gaps").status_code == 404
    officer = api(client, staffing, "officer")
    assert officer.get(f"/employees/{world.own.id}/competency-gaps").status_code == 200
    assert officer.get(f"/employees/{world.outside.id}/competency-gaps").status_code == 404


def test_assessments_through_the_api(client: Any, staffing: Any) -> None:
    world = staffing.world
    head = api(client, staffing, "head")
    url = f"/employees/{world.in_team.id}/assessments"
    body = {
        "competency_id": staffing.law.id,
        "level": 3,
        "assessed_on": "2025-06-15",
        "evidence": "Hồ sơ công chức được số hoá đúng hạn",
    }
    answer = head.post(url, body)
    assert answer.status_code == 201, answer.get_json()
    made = answer.get_json()
    assert (made["kind"], made["level"], made["assessed_by"]) == ("head", 3, world.users["head"].id)
    assert (
        made["competency_version_id"] == factories.version_of(staffing.law, dt.date(2025, 6, 15)).id
    )
    assert answer.headers["Location"].endswith(f"/employees/{world.in_team.id}/competency-gaps")

    assert "level" in refusal(head.post(url, body | {"level": 7}))
    assert "kind" in refusal(head.post(url, body | {"kind": "peer"}))
    wrong_version = body | {"competency_version_id": made["competency_version_id"] + 1000}
    assert "competency_version_id" in refusal(head.post(url, wrong_version))
    assert "assessed_on" in refusal(head.post(url, body | {"assessed_on": "2099-01-01"}))

    # the officer sees but does not assess; staff may only add their own self-assessment
    officer = api(client, staffing, "officer")
    assert officer.post(url, body).status_code == 403
    staff = api(client, staffing, "staff")
    assert staff.post(url, body).status_code == 404
    own = f"/employees/{world.own.id}/assessments"
    assert staff.post(own, body).status_code == 403  # a head's assessment of oneself
    mine = staff.post(own, body | {"kind": "self", "level": 5})
    assert mine.status_code == 201 and mine.get_json()["kind"] == "self"
    assert head.post(own, body | {"kind": "self"}).status_code == 403  # not the head's own
    assert api(client, staffing, "head2").post(url, body).status_code == 404
    assert count(CompetencyAssessment) == 2


def test_the_api_is_documented(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= paths["/employees/{employee_id}/placements"].keys()
    assert "get" in paths["/employees/{employee_id}/competency-gaps"]
    assert "get" in paths["/units/{unit_id}/staffing"]
    assert "post" in paths["/employees/{employee_id}/assessments"]
    assert "post" in paths["/placements/{placement_id}/end"]
    create = paths["/employees/{employee_id}/placements"]["post"]
    assert "409" in create["responses"] and "201" in create["responses"]
