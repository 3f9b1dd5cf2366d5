"""Lists of the reviews API: the envelope, the filters, the scope of each account, query counts
that do not grow with the rows; the period dashboard; a person's annual ratings; 401, 403 and
404 by scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hrms.extensions import db
from hrms.reviews.models import AnnualRating
from tests.reviews import factories
from tests.reviews.api_support import Api, month_body, ok, refusal
from tests.reviews.conftest import Reviews


@pytest.fixture
def service_context() -> None:
    """The reviews world is built with factories only (see test_api_cycle)."""


def api(client: Any, user: Any) -> Api:
    return Api(client, user)


@pytest.fixture
def months(client: Any, rv: Reviews) -> list[dict[str, Any]]:
    """March and April opened for the department."""
    officer = api(client, rv.officer)
    return [
        ok(officer.post("/review-periods", month_body(rv.world.department, m)), 201) for m in (3, 4)
    ]


def names(listed: dict[str, Any]) -> list[str]:
    return [item["full_name"] for item in listed["items"]]


def test_the_list_envelope_and_filters(
    client: Any, rv: Reviews, months: list[dict[str, Any]]
) -> None:
    officer = api(client, rv.officer)
    march, april = months
    listed = ok(officer.get("/reviews"))
    assert set(listed) == {"items", "total", "page", "per_page"}
    assert (listed["total"], listed["page"], listed["per_page"]) == (
        2 * len(march["review_ids"]),
        1,
        50,
    )
    # latest period first
    assert [i["period_title"] for i in listed["items"]][:1] == ["04/2026"]
    page = ok(officer.get("/reviews", per_page=2, page=2))
    assert (len(page["items"]), page["page"], page["per_page"]) == (2, 2, 2)
    assert [i["id"] for i in page["items"]] == [i["id"] for i in listed["items"][2:4]]
    in_march = ok(officer.get("/reviews", period_id=march["id"]))
    assert {i["id"] for i in in_march["items"]} == set(march["review_ids"])
    mine = ok(officer.get("/reviews", employee_id=rv.world.own.id))
    assert [i["period_title"] for i in mine["items"]] == ["04/2026", "03/2026"]
    team = ok(officer.get("/reviews", unit_id=rv.world.team_a.id, period_id=april["id"]))
    assert names(team) == [rv.world.in_team.full_name]
    division_b = ok(officer.get("/reviews", unit_id=rv.world.division_b.id, period_id=april["id"]))
    assert set(names(division_b)) == {rv.world.in_b.full_name, rv.vc.full_name} - {
        s["full_name"] for s in april["skipped"]
    }
    assert ok(officer.get("/reviews", state="finalised"))["total"] == 0
    assert ok(officer.get("/reviews", state="planning"))["total"] == listed["total"]
    # wrong filters are refused, never ignored
    assert set(refusal(officer.get("/reviews", state="done"))["fields"]) == {"state"}
    # blanks are no state (an empty value is no filter)
    assert set(refusal(officer.get("/reviews", state=" "))["fields"]) == {"state"}
    assert ok(officer.get("/reviews", state=""))["total"] == listed["total"]
    assert set(refusal(officer.get("/reviews", per_page=500))["fields"]) == {"per_page"}
    assert set(refusal(officer.get("/reviews", colour="red"))["fields"]) == {"colour"}

    periods = ok(officer.get("/review-periods"))
    assert [p["title"] for p in periods["items"]] == ["04/2026", "03/2026"]
    assert periods["items"][0]["unit_name"] == rv.world.department.name
    assert ok(officer.get("/review-periods", year=2025))["total"] == 0
    assert ok(officer.get("/review-periods", kind="quarter"))["total"] == 0
    assert ok(officer.get("/review-periods", unit_id=rv.world.department.id))["total"] == 2
    assert ok(officer.get("/review-periods", unit_id=rv.world.division_a.id))["total"] == 0
    assert set(refusal(officer.get("/review-periods", kind="week"))["fields"]) == {"kind"}


def test_each_account_lists_what_it_may_see(
    client: Any, rv: Reviews, months: list[dict[str, Any]]
) -> None:
    march = months[0]
    # the person: their own reviews only
    own = ok(api(client, rv.staff).get("/reviews"))
    assert set(names(own)) == {rv.world.own.full_name} and own["total"] == 2
    # the head of division A: its subtree, their own review included
    head = ok(api(client, rv.head).get("/reviews", period_id=march["id"]))
    assert set(names(head)) == {
        rv.world.own.full_name,
        rv.world.in_team.full_name,
        rv.colleague.full_name,
        rv.head_person.full_name,
    }
    # the head of division B: theirs
    other = ok(api(client, rv.world.users["head2"]).get("/reviews", period_id=march["id"]))
    assert rv.world.own.full_name not in names(other) and other["total"] >= 1
    # no grants, no dossier: nothing
    assert ok(api(client, rv.world.users["nobody"]).get("/reviews"))["total"] == 0
    # filtering on someone out of scope answers an empty list, not their reviews
    assert ok(api(client, rv.staff).get("/reviews", employee_id=rv.world.in_team.id))["total"] == 0


def test_lists_do_not_query_per_row(
    client: Any, rv: Reviews, months: list[dict[str, Any]], count_queries: Any
) -> None:
    officer = api(client, rv.officer)
    counts = {}
    for per_page in (1, 50):
        with count_queries() as counted:
            listed = ok(officer.get("/reviews", per_page=per_page))
        counts[per_page] = counted.n
        assert len(listed["items"]) == min(per_page, listed["total"])
    assert counts[1] == counts[50], counts
    for url in ("/review-periods", f"/review-periods/{months[0]['id']}/dashboard"):
        with count_queries() as small:
            ok(officer.get(url, per_page=1) if "dashboard" not in url else officer.get(url))
        assert small.n <= 12, (url, small.statements)


def test_the_period_dashboard(client: Any, rv: Reviews, months: list[dict[str, Any]]) -> None:
    march = months[0]
    officer = api(client, rv.officer)
    board = ok(officer.get(f"/review-periods/{march['id']}/dashboard"))
    assert board["unit_id"] == rv.world.department.id
    assert board["by_state"] == {"planning": len(march["review_ids"])}
    assert set(board["not_submitted"]) == set(march["review_ids"]) == set(board["not_scored"])
    assert board["today"] == "2026-03-20"
    team = ok(officer.get(f"/review-periods/{march['id']}/dashboard", unit_id=rv.world.team_a.id))
    assert [row["full_name"] for row in team["rows"]] == [rv.world.in_team.full_name]
    outside = rv.world.other_department.id
    error = refusal(officer.get(f"/review-periods/{march['id']}/dashboard", unit_id=outside))
    assert error["fields"] == {"unit_id": ["Choose a unit the period covers."]}
    # the head of division A sees the rows of their subtree only
    head = ok(api(client, rv.head).get(f"/review-periods/{march['id']}/dashboard"))
    assert {row["unit_id"] for row in head["rows"]} <= {
        rv.world.division_a.id,
        rv.world.team_a.id,
    }


def test_annual_ratings_of_a_person(client: Any, rv: Reviews) -> None:
    own = rv.world.own
    rating = AnnualRating(
        employee_id=own.id,
        year=2025,
        scheme_id=factories.scheme("ND335-2025").id,
        unit_id=own.unit_id,
        agency_id=rv.world.department.id,
        task_group="professional",
        average=Decimal("88.50"),
        periods=12,
        band="good",
        rating="good",
        reasons="",
    )
    db.session.add(rating)
    db.session.commit()
    url = f"/employees/{own.id}/annual-ratings"
    for reader in (rv.staff, rv.officer, rv.head):
        listed = ok(api(client, reader).get(url))
        assert listed["total"] == 1
        assert {k: listed["items"][0][k] for k in ("year", "average", "final_rating")} == {
            "year": 2025,
            "average": "88.50",
            "final_rating": "good",
        }
    # others: the same 404 as for nobody at all
    refusal(api(client, rv.world.users["head2"]).get(url), 404)
    refusal(api(client, rv.colleague_user).get(url), 404)
    refusal(api(client, rv.officer).get("/employees/987654/annual-ratings"), 404)


def test_scope_answers_401_403_and_404(
    client: Any, rv: Reviews, months: list[dict[str, Any]]
) -> None:
    march = months[0]
    own_id = next(
        i["id"]
        for i in ok(api(client, rv.officer).get("/reviews", period_id=march["id"]))["items"]
        if i["employee_id"] == rv.world.own.id
    )
    bare = client.application.test_client(use_cookies=False)
    answer = bare.get(f"/api/v1/reviews/{own_id}")
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "unauthenticated"
    # out of scope and absent: the same 404
    head2 = api(client, rv.world.users["head2"])
    assert refusal(head2.get(f"/reviews/{own_id}"), 404) == refusal(
        head2.get("/reviews/987654"), 404
    )
    refusal(api(client, rv.colleague_user).get(f"/reviews/{own_id}"), 404)
    # visible but not allowed: 403
    staff = api(client, rv.staff)
    refusal(staff.post(f"/reviews/{own_id}/score", {"version": 1}), 403)  # no permission
    refusal(staff.post(f"/reviews/{own_id}/reopening", {"version": 1}), 403)
    refusal(api(client, rv.head).post(f"/reviews/{own_id}/self-assessment", {"version": 1}), 403)
    refusal(staff.get("/review-periods"), 403)
    refusal(api(client, rv.head).post("/review-periods", month_body(rv.world.department)), 403)
    # a head never scores their own review: visible, forbidden
    head_own = ok(api(client, rv.head).get("/reviews", employee_id=rv.head_person.id))
    head_review = head_own["items"][0]
    error = refusal(
        api(client, rv.head).post(
            f"/reviews/{head_review['id']}/score", {"version": head_review["version"]}
        ),
        403,
    )
    assert error["code"] == "forbidden"
    # a head reads the department's period for the reviews of their division; absent: 404
    assert ok(head2.get(f"/review-periods/{march['id']}"))["title"] == "03/2026"
    assert [p["id"] for p in ok(head2.get("/review-periods"))["items"]] == [
        months[1]["id"],
        march["id"],
    ]
    refusal(head2.get("/review-periods/987654"), 404)
