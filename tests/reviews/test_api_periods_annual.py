"""Closing a period, moving its deadlines and the year's annual ratings through the JSON API:
the same services and input schemas as the pages, refusals in the error envelope, 403 and 404
as the loaders say, a stale version a 409, and the OpenAPI document describing them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrms.extensions import db
from hrms.reviews.models import AnnualRating, ReviewPeriod
from tests.reviews import factories
from tests.reviews.api_support import Api, ok, refusal
from tests.reviews.conftest import Reviews
from tests.staffing import factories as staffing


@pytest.fixture
def service_context() -> None:
    """The reviews world is built with factories only: each API request gets its own context."""


def api(client: Any, user: Any) -> Api:
    return Api(client, user)


def month(rv: Reviews, unit: Any, number: int) -> ReviewPeriod:
    return factories.period(
        unit,
        rv.officer,
        dt.date(2026, number, 1),
        dt.date(2026, number + 1, 1) - dt.timedelta(days=1),
    )


# Closing and deadlines -------------------------------------------------------------------------


def test_closing_a_period_through_the_api(client: Any, rv: Reviews) -> None:
    officer = api(client, rv.officer)
    done = month(rv, rv.world.division_a, 1)
    factories.finalised_review(rv.world.own, done, "80.00", "good", by=rv.head)
    pending = month(rv, rv.world.division_a, 2)
    factories.finalised_review(rv.world.own, pending, "80.00", "good", by=rv.head)
    late = factories.finalised_review(rv.world.in_team, pending, "70.00", "good", by=rv.head)
    late.state, late.finalised_by = "scored", None
    db.session.commit()

    error = refusal(officer.post(f"/review-periods/{pending.id}/closing", {"version": 1}))
    assert error["message"] == (
        "The period cannot be closed: 1 reviews are not finalised: "
        f"{rv.world.in_team.full_name} (Scored, not final)."
    )
    refusal(officer.post(f"/review-periods/{done.id}/closing", {}))  # no version: 422
    refusal(officer.post(f"/review-periods/{done.id}/closing", {"version": 99}), 409)
    closed = ok(officer.post(f"/review-periods/{done.id}/closing", {"version": done.version}))
    assert (closed["state"], closed["closed_by"]) == ("closed", rv.officer.id)
    assert closed["closed_at"] is not None
    # read-only since: the review cannot be reopened, the deadlines cannot move
    review_id = ok(officer.get("/reviews", period_id=done.id))["items"][0]["id"]
    error = refusal(
        officer.post(
            f"/reviews/{review_id}/reopening",
            {"version": 1, "reason": "Chấm lại theo kiến nghị"},
        )
    )
    assert error["message"] == "The period 01/2026 is closed; its reviews can no longer change."
    refusal(
        officer.post(
            f"/review-periods/{done.id}/deadlines",
            {
                "version": closed["version"],
                "self_deadline": "2026-02-10",
                "scoring_deadline": "2026-02-20",
                "reason": "Lùi hạn theo chỉ đạo",
            },
        )
    )
    # heads lack the permission; an officer out of scope and a missing period: 404
    refusal(api(client, rv.head).post(f"/review-periods/{done.id}/closing", {"version": 1}), 403)
    other = month(rv, rv.world.other_department, 1)
    refusal(officer.post(f"/review-periods/{other.id}/closing", {"version": 1}), 404)
    refusal(officer.post("/review-periods/987654/closing", {"version": 1}), 404)


def test_moving_the_deadlines_through_the_api(client: Any, rv: Reviews) -> None:
    officer = api(client, rv.officer)
    period = month(rv, rv.world.division_a, 3)
    url = f"/review-periods/{period.id}/deadlines"
    error = refusal(
        officer.post(
            url,
            {
                "version": period.version,
                "self_deadline": "2026-04-01",
                "scoring_deadline": "2026-04-12",
            },
        )
    )
    assert error["fields"] == {
        "self_deadline": ["A deadline can only be moved later than 03/04/2026."],
        "reason": ["Say why the deadlines move (at least 10 characters)."],
    }
    moved = ok(
        officer.post(
            url,
            {
                "version": period.version,
                "self_deadline": "2026-04-06",
                "scoring_deadline": "2026-04-13",
                "reason": "Lùi hạn do nghỉ lễ Giỗ Tổ Hùng Vương",
            },
        )
    )
    assert (moved["self_deadline"], moved["scoring_deadline"]) == ("2026-04-06", "2026-04-13")
    refusal(api(client, rv.staff).post(url, {"version": 1}), 403)


# The year --------------------------------------------------------------------------------------


def test_the_years_ratings_through_the_api(client: Any, rv: Reviews) -> None:
    """The cap example of test_annual: five rated good and two excellent among the
    professionals allows one at the top: one over, reported; lowering one lets the year lock."""
    world = rv.world
    january = month(rv, world.department, 1)
    people = [world.own, world.in_team, world.in_b]
    for n in range(4):
        extra = factories.person(world.division_b, f"Chuyên viên Số {n + 1}")
        staffing.placement(extra, rv.tc)
        people.append(extra)
    totals = ["95.00", "91.00", "80.00", "80.00", "80.00", "80.00", "80.00"]
    ratings = ["excellent", "excellent", "good", "good", "good", "good", "good"]
    for employee, total, rating in zip(people, totals, ratings, strict=True):
        factories.finalised_review(employee, january, total, rating, by=rv.director)
    officer = api(client, rv.officer)
    base = f"/units/{world.department.id}/annual-ratings/2026"

    computed = ok(officer.post(f"{base}/computation", {}))
    assert computed["deadline"] == "2026-12-15"
    by_person = {row["employee_id"]: row for row in computed["items"]}
    assert len(by_person) == 7
    assert (by_person[world.own.id]["average"], by_person[world.own.id]["rating"]) == (
        "95.00",
        "excellent",
    )
    assert by_person[world.own.id]["full_name"] == world.own.full_name
    assert ok(officer.get(base))["items"] == computed["items"]

    [group] = ok(officer.get(f"{base}/cap"))["groups"]
    assert {k: group[k] for k in ("task_group", "counted", "allowed", "rated", "excess")} == {
        "task_group": "professional",
        "counted": 5,
        "allowed": 1,
        "rated": 2,
        "excess": 1,
    }
    assert [m["employee_id"] for m in group["top"]] == [world.in_team.id, world.own.id]

    outcome = ok(officer.post(f"{base}/finalisation", {}))
    assert outcome["finalised"] == [] and [g["excess"] for g in outcome["over_cap"]] == [1]

    lowered = group["top"][0]["annual_id"]
    version = by_person[world.in_team.id]["version"]
    error = refusal(
        officer.post(
            f"/annual-ratings/{lowered}/adjustment",
            {"version": version, "override_rating": "good"},
        )
    )
    assert error["fields"] == {
        "override_reason": ["Explain in writing (at least 10 characters) why the rating differs."]
    }
    refusal(
        officer.post(
            f"/annual-ratings/{lowered}/adjustment",
            {"version": version + 5, "override_rating": "good", "override_reason": "x" * 20},
        ),
        409,
    )
    adjusted = ok(
        officer.post(
            f"/annual-ratings/{lowered}/adjustment",
            {
                "version": version,
                "override_rating": "good",
                "override_reason": "Giữ tỷ lệ xuất sắc không quá 20% số hoàn thành tốt",
            },
        )
    )
    assert (adjusted["rating"], adjusted["final_rating"]) == ("excellent", "good")
    # points schemes compute the year: no decision to take
    error = refusal(
        officer.post(
            f"/annual-ratings/{lowered}/decision",
            {"version": adjusted["version"], "decided_rating": "good", "months_worked": 12},
        )
    )
    assert error["message"] == "This scheme computes the annual rating from the periods."

    outcome = ok(officer.post(f"{base}/finalisation", {}))
    assert len(outcome["finalised"]) == 7 and outcome["over_cap"] == []
    rows = ok(officer.get(base))["items"]
    assert all(row["finalised"] and not row["finalised_late"] for row in rows)
    refusal(
        officer.post(
            f"/annual-ratings/{lowered}/adjustment",
            {"version": adjusted["version"], "override_rating": None},
        )
    )


def test_criteria_schemes_take_the_decision_through_the_api(client: Any, rv: Reviews) -> None:
    quarter = factories.period(
        rv.world.division_b, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 3, 31), kind="quarter"
    )
    factories.finalised_review(rv.vc, quarter, "0", "good", by=rv.director, scheme_code="ND90-2020")
    officer = api(client, rv.officer)
    [row] = ok(
        officer.post(f"/units/{rv.world.division_b.id}/annual-ratings/2026/computation", {})
    )["items"]
    assert (row["rating"], row["reasons"]) == (None, ["undecided"])
    error = refusal(
        officer.post(
            f"/annual-ratings/{row['id']}/decision",
            {"version": row["version"], "decided_rating": "excellent", "months_worked": 13},
        )
    )
    assert error["fields"] == {"months_worked": ["Give 0 to 12 months."]}
    decided = ok(
        officer.post(
            f"/annual-ratings/{row['id']}/decision",
            {
                "version": row["version"],
                "decided_rating": "excellent",
                "months_worked": 12,
                "months_absent": 4,
            },
        )
    )
    # 3 to 6 months absent caps the rating at complete
    assert (decided["decided_rating"], decided["rating"], decided["reasons"]) == (
        "excellent",
        "complete",
        ["absence"],
    )


def test_the_year_out_of_reach(client: Any, rv: Reviews) -> None:
    outside = AnnualRating(
        employee_id=rv.world.outside.id,
        year=2026,
        scheme_id=factories.scheme("ND335-2025").id,
        unit_id=rv.world.outside.unit_id,
        agency_id=rv.world.other_department.id,
        task_group="professional",
    )
    db.session.add(outside)
    db.session.commit()
    officer, head = api(client, rv.officer), api(client, rv.head)
    other = f"/units/{rv.world.other_department.id}/annual-ratings/2026"
    refusal(officer.get(other), 404)
    refusal(officer.post(f"{other}/computation", {}), 404)
    refusal(officer.get(f"/units/{rv.world.department.id}/annual-ratings/1999/cap"), 404)
    refusal(officer.post(f"/annual-ratings/{outside.id}/adjustment", {"version": 1}), 404)
    refusal(officer.post("/annual-ratings/987654/decision", {"version": 1}), 404)
    refusal(head.get(f"/units/{rv.world.department.id}/annual-ratings/2026"), 403)
    refusal(head.post(f"/annual-ratings/{outside.id}/adjustment", {"version": 1}), 403)


def test_the_document_describes_the_new_actions(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, method in (
        ("/review-periods/{period_id}/closing", "post"),
        ("/review-periods/{period_id}/deadlines", "post"),
        ("/units/{unit_id}/annual-ratings/{year}", "get"),
        ("/units/{unit_id}/annual-ratings/{year}/computation", "post"),
        ("/units/{unit_id}/annual-ratings/{year}/cap", "get"),
        ("/units/{unit_id}/annual-ratings/{year}/finalisation", "post"),
        ("/annual-ratings/{annual_id}/decision", "post"),
        ("/annual-ratings/{annual_id}/adjustment", "post"),
    ):
        assert set(spec["paths"][path]) == {method}, path
        assert {"403", "404"} <= set(spec["paths"][path][method]["responses"]), path
