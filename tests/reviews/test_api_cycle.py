"""A month's review through the JSON API, on the worked example of test_scoring_flow: the
officer opens the month, the head plans it (50/30/20) and opens the self-assessment, the person
reports 10 of 10, 3 of 4 and 3 of 2 and submits, the head scores one return and two delays (one
excused) and finalises; a colleague comments (the person reads it unsigned); the officer reopens
it with a reason. Refusals come in the error envelope; a stale version is a 409."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrms.extensions import db
from hrms.reviews.models import Review
from tests.reviews.api_support import Api, month_body, ok, refusal
from tests.reviews.conftest import Reviews

GENERAL = {"politics": "9", "capacity": "8.5", "innovation": "7"}
RETURNED_AND_LATE = (
    {"returns": 1},
    {"delays": 2, "excused_delays": 1, "excuse_reason": "Chờ số liệu của Cục Thống kê"},
    {},
)


@pytest.fixture
def service_context() -> None:
    """The reviews world is built with factories only: no request context stays pushed, each
    API request gets its own."""


def api(client: Any, user: Any) -> Api:
    return Api(client, user)


def opened_month(client: Any, rv: Reviews) -> dict[str, Any]:
    answer = api(client, rv.officer).post("/review-periods", month_body(rv.world.department))
    return dict(ok(answer, 201))


def review_id(client: Any, rv: Reviews, period: dict[str, Any], employee: Any) -> int:
    listed = ok(
        api(client, rv.officer).get("/reviews", period_id=period["id"], employee_id=employee.id)
    )
    assert listed["total"] == 1
    return int(listed["items"][0]["id"])


def test_the_worked_example_through_the_api(client: Any, rv: Reviews) -> None:
    officer, head, staff = api(client, rv.officer), api(client, rv.head), api(client, rv.staff)
    answer = officer.post("/review-periods", month_body(rv.world.department))
    period = ok(answer, 201)
    assert answer.headers["Location"].endswith(f"/api/v1/review-periods/{period['id']}")
    assert (period["title"], period["starts_on"], period["ends_on"]) == (
        "03/2026",
        "2026-03-01",
        "2026-03-31",
    )
    assert ok(officer.get(f"/review-periods/{period['id']}"))["title"] == "03/2026"
    assert {s["full_name"] for s in period["skipped"]} >= {rv.contractor.full_name}
    own_id = review_id(client, rv, period, rv.world.own)
    assert own_id in period["review_ids"]

    review = ok(head.get(f"/reviews/{own_id}"))
    assert review["state"] == "planning" and review["may_score"] and not review["own"]
    assert [(i["assigned_quantity"], i["unit_of_measure"]) for i in review["items"]] == [
        ("10.00", "hồ sơ"),
        ("4.00", "báo cáo"),
        ("2.00", "văn bản"),
    ]
    plan = [
        {k: item[k] for k in ("id", "title", "assigned_quantity")} | {"weight": weight}
        for item, weight in zip(review["items"], ("50", "30", "20"), strict=True)
    ]
    review = ok(head.put(f"/reviews/{own_id}/plan", {"version": review["version"], "items": plan}))
    assert [i["weight"] for i in review["items"]] == ["50.00", "30.00", "20.00"]
    review = ok(
        head.post(f"/reviews/{own_id}/self-assessment-opening", {"version": review["version"]})
    )
    assert review["state"] == "self_assessment"

    mine = ok(staff.get(f"/reviews/{own_id}"))
    assert mine["own"] and not mine["may_score"] and mine["breakdown"] is None
    delivered = [
        {"id": item["id"], "delivered_quantity": quantity, "delivered_on": "2026-03-18"}
        for item, quantity in zip(mine["items"], ("10", "3", "3"), strict=True)
    ]
    mine = ok(
        staff.post(
            f"/reviews/{own_id}/self-assessment",
            {
                "version": mine["version"],
                "items": delivered,
                "self_points": GENERAL,
                "self_note": "Hoàn thành kế hoạch tháng",
            },
        )
    )
    assert [i["delivered_quantity"] for i in mine["items"]] == ["10.00", "3.00", "3.00"]
    assert mine["self_points"] == {"politics": "9.00", "capacity": "8.50", "innovation": "7.00"}
    mine = ok(staff.post(f"/reviews/{own_id}/submission", {"version": mine["version"]}))
    assert mine["state"] == "submitted" and mine["submitted_at"]

    counts = [
        {"id": item["id"]} | given
        for item, given in zip(mine["items"], RETURNED_AND_LATE, strict=True)
    ]
    scored = ok(
        head.post(
            f"/reviews/{own_id}/score",
            {"version": mine["version"], "items": counts, "general_points": GENERAL},
        )
    )
    steps = scored["breakdown"]
    assert [
        (o["quantity"], o["quality"], o["timeliness"], o["combined"]) for o in steps["outputs"]
    ] == [
        ("100.00", "75.00", "100.00", "91.67"),
        ("75.00", "100.00", "75.00", "83.33"),
        ("100.00", "100.00", "100.00", "100.00"),
    ]
    assert (steps["outputs_percent"], steps["task_points"]) == ("90.83", "63.58")
    assert (steps["general_points"], steps["total"]) == ("24.50", "88.08")
    assert (scored["total"], scored["band"], scored["rating"], scored["final_rating"]) == (
        "88.08",
        "good",
        "good",
        "good",
    )
    assert scored["items"][1]["excuse_reason"] == "Chờ số liệu của Cục Thống kê"

    final = ok(head.post(f"/reviews/{own_id}/finalisation", {"version": scored["version"]}))
    assert final["state"] == "finalised" and final["finalised_at"]
    assert ok(staff.get(f"/reviews/{own_id}"))["breakdown"]["total"] == "88.08"

    comment = "Đồng chí Ánh luôn hỗ trợ đồng nghiệp trong việc rà soát hồ sơ."
    answer = api(client, rv.colleague_user).post(f"/reviews/{own_id}/comments", {"body": comment})
    assert ok(answer, 201) | {"at": None} == {
        "body": comment,
        "at": None,
        "author": rv.colleague_user.full_name,
    }
    assert answer.headers["Location"].endswith(f"/api/v1/reviews/{own_id}")
    assert [(c["body"], c["author"]) for c in ok(staff.get(f"/reviews/{own_id}"))["comments"]] == [
        (comment, None)
    ]
    assert ok(head.get(f"/reviews/{own_id}"))["comments"][0]["author"] == (
        rv.colleague_user.full_name
    )

    reason = "Bổ sung kết quả thẩm định hồ sơ bị bỏ sót"
    reopened = ok(
        officer.post(
            f"/reviews/{own_id}/reopening", {"version": final["version"], "reason": reason}
        )
    )
    assert (reopened["state"], reopened["reopen_reason"], reopened["breakdown"]) == (
        "submitted",
        reason,
        None,
    )
    db.session.expire_all()
    stored = db.session.get(Review, own_id)
    assert stored is not None and stored.state == "submitted" and stored.total is not None


def test_refusals_come_in_the_error_envelope_and_nothing_is_saved(client: Any, rv: Reviews) -> None:
    head, staff = api(client, rv.head), api(client, rv.staff)
    period = opened_month(client, rv)
    own_id = review_id(client, rv, period, rv.world.own)
    review = ok(head.get(f"/reviews/{own_id}"))

    # the plan's items are checked by the service, field by field
    bad = [{"title": " ", "assigned_quantity": "0", "weight": "120"}]
    error = refusal(
        head.put(f"/reviews/{own_id}/plan", {"version": review["version"], "items": bad})
    )
    assert error["code"] == "validation_failed"
    assert error["fields"] == {
        "items.0.title": ["Say what the task is."],
        "items.0.assigned_quantity": ["The quantity must be more than 0."],
        "items.0.weight": ["The weight must be more than 0 and at most 100."],
    }
    # the schema's: types and the version
    error = refusal(head.put(f"/reviews/{own_id}/plan", {"items": [{"weight": "much"}]}))
    assert error["fields"]["version"] == ["This field is required."]
    assert error["fields"]["items.0.weight"] == ["Enter a number."]
    error = refusal(head.post(f"/reviews/{own_id}/self-assessment-opening", ["not an object"]))
    assert error["fields"] == {"_form": ["The request body must be a JSON object."]}
    # nothing changed
    assert ok(head.get(f"/reviews/{own_id}"))["items"] == review["items"]

    # the person cannot report before the plan is open: a state conflict with a message
    error = refusal(
        staff.post(f"/reviews/{own_id}/self-assessment", {"version": review["version"]})
    )
    assert error["message"] == "The work plan is not ready yet."
    assert error["fields"] == {}
    # opening a month twice: who already has a review for these days
    error = refusal(
        api(client, rv.officer).post("/review-periods", month_body(rv.world.department))
    )
    assert "already have a review for days of this period" in error["fields"]["number"][0]
    # an unknown unit: the service's message next to the field
    body = month_body(rv.world.department) | {"unit_id": 987654}
    error = refusal(api(client, rv.officer).post("/review-periods", body))
    assert error["fields"] == {"unit_id": ["Choose a unit you manage."]}


def test_a_stale_version_is_a_conflict(client: Any, rv: Reviews) -> None:
    head = api(client, rv.head)
    period = opened_month(client, rv)
    own_id = review_id(client, rv, period, rv.world.own)
    read = ok(head.get(f"/reviews/{own_id}"))
    plan = [
        {k: item[k] for k in ("id", "title", "assigned_quantity")} | {"weight": weight}
        for item, weight in zip(read["items"], ("50", "30", "20"), strict=True)
    ]
    ok(head.put(f"/reviews/{own_id}/plan", {"version": read["version"], "items": plan}))
    # someone else read the same version and saves after
    error = refusal(
        head.put(f"/reviews/{own_id}/plan", {"version": read["version"], "items": plan}), 409
    )
    assert error["code"] == "conflict"
    assert "changed by someone else" in error["message"]
    refusal(
        head.post(f"/reviews/{own_id}/self-assessment-opening", {"version": read["version"]}), 409
    )
    assert ok(head.get(f"/reviews/{own_id}"))["state"] == "planning"


def test_an_override_needs_a_reason_and_scoring_waits_for_the_deadline(
    client: Any, rv: Reviews
) -> None:
    head = api(client, rv.head)
    period = opened_month(client, rv)
    late_id = review_id(client, rv, period, rv.world.in_team)
    read = ok(head.get(f"/reviews/{late_id}"))
    read = ok(
        head.post(f"/reviews/{late_id}/self-assessment-opening", {"version": read["version"]})
    )
    scoring = {"version": read["version"], "general_points": GENERAL}
    error = refusal(head.post(f"/reviews/{late_id}/score", scoring))
    assert "has not submitted the self-assessment" in error["message"]
    assert "03/04/2026" in error["message"]
    rv.clock.now = dt.date(2026, 4, 4)
    error = refusal(
        head.post(
            f"/reviews/{late_id}/score",
            scoring | {"override_rating": "excellent", "override_reason": "Tốt"},
        )
    )
    assert list(error["fields"]) == ["override_reason"]
    assert ok(head.get(f"/reviews/{late_id}"))["state"] == "self_assessment"
    scored = ok(head.post(f"/reviews/{late_id}/score", scoring))
    # nothing delivered: each item 66.67; 70 × 66.67 % = 46.67; + 24.5
    assert (scored["breakdown"]["outputs_percent"], scored["total"]) == ("66.67", "71.17")


def test_criteria_schemes_take_the_heads_rating(client: Any, rv: Reviews) -> None:
    """Viên chức of division B are reviewed by quarter under a criteria scheme: the head
    decides the rating; discipline caps it."""
    officer, head2 = api(client, rv.officer), api(client, rv.world.users["head2"])
    body = month_body(rv.world.department) | {
        "kind": "quarter",
        "number": 1,
        "self_deadline": "2026-04-05",
        "scoring_deadline": "2026-04-15",
    }
    quarter = ok(officer.post("/review-periods", body), 201)
    vc_id = review_id(client, rv, quarter, rv.vc)
    read = ok(head2.get(f"/reviews/{vc_id}"))
    assert read["method"] == "criteria"
    read = ok(head2.post(f"/reviews/{vc_id}/self-assessment-opening", {"version": read["version"]}))
    rv.clock.now = dt.date(2026, 4, 6)
    error = refusal(head2.post(f"/reviews/{vc_id}/score", {"version": read["version"]}))
    assert error["fields"] == {"rating": ["Choose the rating."]}
    scored = ok(
        head2.post(
            f"/reviews/{vc_id}/score",
            {"version": read["version"], "rating": "good", "disciplined": True},
        )
    )
    assert (scored["rating"], scored["total"], scored["breakdown"]["reasons"]) == (
        "incomplete",
        None,
        ["discipline"],
    )


def test_the_document_describes_the_reviews_api(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    listed = spec["paths"]["/reviews"]["get"]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["required"] == [
        "items",
        "total",
        "page",
        "per_page",
    ]
    assert {p["name"] for p in listed["parameters"]} >= {
        "page",
        "per_page",
        "period_id",
        "employee_id",
        "state",
        "unit_id",
    }
    assert set(spec["paths"]["/reviews/{review_id}/plan"]) == {"put"}
    assert {"201", "401", "403", "422"} <= set(
        spec["paths"]["/review-periods"]["post"]["responses"]
    )
    # the actions on a review are POSTs (issue 3); only the whole work plan is a PUT
    for action in ("self-assessment", "submission", "score", "finalisation", "reopening"):
        assert set(spec["paths"][f"/reviews/{{review_id}}/{action}"]) == {"post"}
    scoring = spec["paths"]["/reviews/{review_id}/score"]["post"]
    assert {"403", "404", "409", "422"} <= set(scoring["responses"])
