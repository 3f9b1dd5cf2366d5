"""The review page through the browser's eyes: the head plans, the person fills in and submits,
the head scores (the breakdown line by line), finalises and reopens; colleagues comment. Refusals
come back as 422 with the message beside the input, stale versions as 409, reviews out of reach
as 404 and actions not one's own as 403."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from hrms.reviews import services
from hrms.reviews.models import Review, ReviewState
from tests.reviews.conftest import deliver, load, ready, review_of
from tests.reviews.factories import plan_rows
from tests.reviews.pages import (
    Pages,
    field_errors,
    pages_fixture,  # noqa: F401  (the fixture ``pages``)
    plan_form,
    points,
    score_form,
    self_form,
    top_errors,
)

GENERAL = {"politics": "9", "capacity": "8,5", "innovation": "7"}


@pytest.fixture
def own(pages: Pages) -> Review:
    """The staff member's review of March, still in planning."""
    with pages.acting():
        return review_of(pages.rv.open_month(3), pages.rv.world.own)


@pytest.fixture
def submitted(pages: Pages, own: Review) -> Review:
    """The worked example: weights 50/30/20; 10 of 10, 3 of 4, 3 of 2 delivered; submitted."""
    rv = pages.rv
    with pages.acting():
        ready(rv, own)
        deliver(rv, own, "10", "3", "3")
        services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
    return own


def url(review: Review, action: str = "") -> str:
    return f"/reviews/{review.id}" + (f"/{action}" if action else "")


# The work plan ---------------------------------------------------------------------------------


def test_the_head_plans_weights_adding_up_to_100_and_opens_the_self_assessment(
    pages: Pages, own: Review
) -> None:
    client = pages.client
    pages.sign_in(pages.rv.head)
    page = client.get(url(own))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="plan-form"' in html and "Thẩm định hồ sơ nâng lương" in html

    # the plan drawn from the position is balanced; while planning, any weights are kept...
    weights = {"Thẩm định hồ sơ nâng lương": "50", "Tổng hợp báo cáo thống kê": "30"}
    data = plan_form(
        own,
        **{title: {"weight": weight} for title, weight in weights.items()},
        **{"Trả lời văn bản của cơ quan, tổ chức": {"weight": "10", "assigned_quantity": "2,5"}},
    )
    assert client.post_form(url(own, "plan"), data).status_code == 302
    review = pages.review(own.id)
    assert [str(i.weight) for i in review.items] == ["50.00", "30.00", "10.00"]
    assert str(review.items[2].assigned_quantity) == "2.50"
    html = client.get(url(own)).get_data(as_text=True)
    assert 'data-testid="weights-total" class="text-danger">90' in html

    # ... but the self-assessment opens only once they add up to 100
    response = client.post_form(url(own, "open-self-assessment"), {"version": review.version})
    assert response.status_code == 422
    assert top_errors(response.get_data(as_text=True)) == [
        "The weights must add up to 100; they add up to 90."
    ]
    data = plan_form(review, **{"Trả lời văn bản của cơ quan, tổ chức": {"weight": "20"}})
    assert client.post_form(url(own, "plan"), data).status_code == 302
    review = pages.review(own.id)

    response = client.post_form(url(own, "open-self-assessment"), {"version": review.version})
    assert response.status_code == 302
    assert pages.review(own.id).state == ReviewState.SELF_ASSESSMENT.value


def test_plan_lines_are_added_without_javascript_removed_and_checked_beside_the_input(
    pages: Pages, own: Review
) -> None:
    client = pages.client
    pages.sign_in(pages.rv.head)
    data = plan_form(own)
    # "add a line" comes back with one more blank line, nothing saved
    response = client.post_form(url(own, "plan"), data | {"add_line": "1"})
    assert response.status_code == 200
    assert 'name="items-3-title"' in response.get_data(as_text=True)

    data |= {
        "items-3-title": "Tham gia đoàn kiểm tra",
        "items-3-assigned_quantity": "0",
        "items-3-weight": "abc",
        "items-3-ad_hoc": "y",
    }
    response = client.post_form(url(own, "plan"), data)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["items-3-weight"] == ["Enter a number."]
    assert len(pages.review(own.id).items) == 3  # nothing half-saved

    data |= {"items-3-weight": "10", "items-3-assigned_quantity": "1", "items-0-remove": "y"}
    assert client.post_form(url(own, "plan"), data).status_code == 302
    titles = [(i.title, i.ad_hoc) for i in pages.review(own.id).items]
    assert titles == [
        ("Tổng hợp báo cáo thống kê", False),
        ("Trả lời văn bản của cơ quan, tổ chức", False),
        ("Tham gia đoàn kiểm tra", True),
    ]


def test_a_stale_plan_is_refused_with_409(pages: Pages, own: Review) -> None:
    pages.sign_in(pages.rv.head)
    data = plan_form(own)
    assert pages.client.post_form(url(own, "plan"), data).status_code == 302
    response = pages.client.post_form(url(own, "plan"), data)  # the version read before
    assert response.status_code == 409
    assert any("changed by someone else" in m for m in top_errors(response.get_data(as_text=True)))


def test_the_person_cannot_plan_and_others_do_not_see_the_review(pages: Pages, own: Review) -> None:
    rv = pages.rv
    pages.sign_in(rv.staff)
    assert pages.client.get(url(own)).status_code == 200
    assert pages.client.post_form(url(own, "plan"), plan_form(own)).status_code == 403
    # a head of another division neither sees nor plans it
    pages.sign_in(rv.world.users["head2"])
    assert pages.client.get(url(own)).status_code == 404
    assert pages.client.post_form(url(own, "plan"), plan_form(own)).status_code == 404


# Self-assessment -------------------------------------------------------------------------------


def test_the_person_saves_a_draft_then_submits(pages: Pages, own: Review) -> None:
    rv = pages.rv
    with pages.acting():
        ready(rv, own)
    pages.sign_in(rv.staff)
    html = pages.client.get(url(own)).get_data(as_text=True)
    assert 'data-testid="self-form"' in html and 'data-testid="plan-form"' not in html

    data = self_form(own, "10", "3", "", **points(GENERAL)) | {"action": "save"}
    response = pages.client.post_form(url(own, "self-assessment"), data)
    assert response.status_code == 302
    review = pages.review(own.id)
    assert review.state == ReviewState.SELF_ASSESSMENT.value
    assert [i.delivered_quantity for i in review.items][2] is None
    assert review.self_points == {"politics": "9.00", "capacity": "8.50", "innovation": "7.00"}

    # submitting needs every quantity: the message is beside the empty one
    data = self_form(review, "10", "3", "", **points(GENERAL)) | {"action": "submit"}
    response = pages.client.post_form(url(own, "self-assessment"), data)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["items-2-delivered_quantity"] == ["Say how much was delivered (0 if nothing)."]
    assert pages.review(own.id).state == ReviewState.SELF_ASSESSMENT.value

    data = self_form(review, "10", "3", "0", **points(GENERAL)) | {"action": "submit"}
    assert pages.client.post_form(url(own, "self-assessment"), data).status_code == 302
    review = pages.review(own.id)
    assert review.state == ReviewState.SUBMITTED.value
    assert review.items[0].evidence == f"https://vanban.example.vn/{review.items[0].id}"


def test_a_quantity_over_ten_times_the_assigned_one_must_be_confirmed(
    pages: Pages, own: Review
) -> None:
    with pages.acting():
        ready(pages.rv, own)
    pages.sign_in(pages.rv.staff)
    data = self_form(own, "1000", "3", "2") | {"action": "save"}
    response = pages.client.post_form(url(own, "self-assessment"), data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "more than ten times" in field_errors(html)["items-0-delivered_quantity"][0]
    assert 'name="confirm_large"' in html
    data |= {"confirm_large": "y"}
    assert pages.client.post_form(url(own, "self-assessment"), data).status_code == 302
    assert str(pages.review(own.id).items[0].delivered_quantity) == "1000.00"


def test_only_the_person_fills_in_the_self_assessment(pages: Pages, own: Review) -> None:
    with pages.acting():
        ready(pages.rv, own)
    pages.sign_in(pages.rv.head)
    response = pages.client.post_form(url(own, "self-assessment"), self_form(own, "1", "1", "1"))
    assert response.status_code == 403


# Scoring ---------------------------------------------------------------------------------------


def test_the_head_scores_and_sees_the_breakdown_line_by_line(
    pages: Pages, submitted: Review
) -> None:
    client = pages.client
    pages.sign_in(pages.rv.head)
    html = client.get(url(submitted)).get_data(as_text=True)
    assert 'data-testid="score-form"' in html

    data = score_form(
        submitted,
        {"returns": "1"},
        {"delays": "2", "excused_delays": "1", "excuse_reason": "Chờ số liệu của Cục Thống kê"},
    ) | points(GENERAL)
    response = client.post_form(url(submitted, "score"), data)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    review = pages.review(submitted.id)
    assert review.state == ReviewState.SCORED.value
    html = client.get(url(submitted)).get_data(as_text=True)
    assert 'data-testid="breakdown"' in html
    for label in ("Task subtotal", "General subtotal", "Total", "Band of the total"):
        assert label in html
    assert f'data-value="total">{review.breakdown["total"]}<' in html
    assert html.count('data-output="') == 3
    assert 'data-testid="finalise-form"' in html

    # the person does not see the result before it is final
    pages.sign_in(pages.rv.staff)
    html = client.get(url(submitted)).get_data(as_text=True)
    assert 'data-testid="breakdown"' not in html and 'data-testid="result-pending"' in html


def test_scoring_refusals_are_shown_beside_the_inputs(pages: Pages, submitted: Review) -> None:
    pages.sign_in(pages.rv.head)
    data = score_form(submitted, {"delays": "1", "excused_delays": "1"}) | points(
        GENERAL | {"capacity": "25"}
    )
    response = pages.client.post_form(url(submitted, "score"), data)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["items-0-excuse_reason"] == ["Say what objective cause excuses the delays."]
    assert errors["points-1-points"] == ["Give 0 to 10 points."]
    assert pages.review(submitted.id).state == ReviewState.SUBMITTED.value

    data = score_form(submitted) | points(GENERAL) | {"override_rating": "incomplete"}
    response = pages.client.post_form(url(submitted, "score"), data)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["override_reason"] == [
        "Explain in writing (at least 10 characters) why the rating differs."
    ]


def test_finalise_then_reopen_with_a_reason(pages: Pages, submitted: Review) -> None:
    client = pages.client
    pages.sign_in(pages.rv.head)
    data = score_form(submitted) | points(GENERAL)
    assert client.post_form(url(submitted, "score"), data).status_code == 302
    review = pages.review(submitted.id)
    stale = review.version - 1
    response = client.post_form(url(submitted, "finalise"), {"version": stale})
    assert response.status_code == 409
    assert (
        client.post_form(url(submitted, "finalise"), {"version": review.version}).status_code == 302
    )
    review = pages.review(submitted.id)
    assert review.state == ReviewState.FINALISED.value

    # the person now sees the result, and cannot reopen
    pages.sign_in(pages.rv.staff)
    html = client.get(url(submitted)).get_data(as_text=True)
    assert 'data-testid="breakdown"' in html and 'data-testid="reopen-form"' not in html
    assert (
        client.post_form(url(submitted, "reopen"), {"version": review.version}).status_code == 403
    )

    pages.sign_in(pages.rv.officer)
    response = client.post_form(
        url(submitted, "reopen"), {"version": review.version, "reason": "x"}
    )
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["reason"] == [
        "Say why the review is reopened (at least 10 characters)."
    ]
    reason = "Sai số liệu báo cáo tháng"
    data = {"version": str(review.version), "reason": reason}
    assert client.post_form(url(submitted, "reopen"), data).status_code == 302
    review = pages.review(submitted.id)
    assert review.state == ReviewState.SUBMITTED.value and review.reopen_reason == reason


def test_nobody_scores_their_own_review(pages: Pages) -> None:
    """The head of division A is scored by the director, never by themself."""
    rv = pages.rv
    with pages.acting():
        opened = rv.open_month(3)
        head_review = review_of(opened, rv.head_person)
        ready(rv, head_review, None)
    pages.sign_in(rv.head)
    assert pages.client.post_form(url(head_review, "score"), {}).status_code == 403
    assert pages.client.post_form(url(head_review, "plan"), {}).status_code == 403


# Comments --------------------------------------------------------------------------------------


def test_colleagues_comment_and_the_person_reads_them_unsigned(
    pages: Pages, submitted: Review
) -> None:
    rv = pages.rv
    client = pages.client
    pages.sign_in(rv.colleague_user)
    html = client.get(url(submitted)).get_data(as_text=True)
    # the colleague comments, but does not read the review
    assert 'data-testid="comment-form"' in html and 'data-testid="colleague-only"' in html
    assert "Thẩm định hồ sơ nâng lương" not in html
    response = client.post_form(url(submitted, "comments"), {"body": " "})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["body"] == ["Write the comment."]
    body = "Chị Ánh luôn hoàn thành đúng hạn"
    assert client.post_form(url(submitted, "comments"), {"body": body}).status_code == 302

    pages.sign_in(rv.staff)
    html = client.get(url(submitted)).get_data(as_text=True)
    assert body in html and rv.colleague_user.full_name not in html
    assert 'data-testid="comment-form"' not in html
    assert client.post_form(url(submitted, "comments"), {"body": "Tự khen"}).status_code == 403

    pages.sign_in(rv.head)
    html = client.get(url(submitted)).get_data(as_text=True)
    assert body in html and rv.colleague_user.full_name in html


def test_a_missing_review_is_404(pages: Pages) -> None:
    pages.sign_in(pages.rv.head)
    assert pages.client.get("/reviews/999999").status_code == 404


# Query counts ----------------------------------------------------------------------------------


def test_the_review_page_issues_a_fixed_number_of_queries(
    pages: Pages, own: Review, count_queries: Any
) -> None:
    """However long the plan and however many comments, the page costs the same queries."""
    rv = pages.rv
    pages.sign_in(rv.head)
    with count_queries() as few:
        assert pages.client.get(url(own)).status_code == 200
    with pages.acting():
        extra = [
            {"title": f"Việc phát sinh {n}", "assigned_quantity": D(1), "weight": D(1)}
            for n in range(6)
        ]
        services.save_plan(
            rv.head,
            load(rv.head, own, "score"),
            {"version": own.version, "items": plan_rows(own) + extra},
        )
        for n in range(3):
            services.add_comment(rv.head, load(rv.head, own, "comment"), f"Ý kiến {n}")
    with count_queries() as more:
        html = pages.client.get(url(own)).get_data(as_text=True)
    assert html.count('name="items-') > 9 * 8 and "Ý kiến 2" in html
    assert more.n == few.n, more.statements
    assert few.n <= 15, few.statements


def test_criteria_schemes_are_scored_by_the_rating_decided(pages: Pages) -> None:
    """A viên chức's quarter, not submitted by the deadline: the head decides the rating; a
    disciplinary sanction caps it, and the page says why."""
    rv = pages.rv
    head2 = rv.world.users["head2"]
    with pages.acting():
        vc = rv.open_quarter(1).reviews[0]
        ready(rv, vc, None, scorer=head2)
    rv.clock.now = dt.date(2026, 4, 6)
    pages.sign_in(head2)
    html = pages.client.get(url(vc)).get_data(as_text=True)
    assert 'name="rating"' in html and 'name="points-0-points"' not in html

    response = pages.client.post_form(url(vc, "score"), {"version": str(vc.version)})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["rating"] == ["Choose the rating."]

    data = {"version": str(vc.version), "rating": "good", "disciplined": "y"}
    assert pages.client.post_form(url(vc, "score"), data).status_code == 302
    html = pages.client.get(url(vc)).get_data(as_text=True)
    assert 'data-value="decided">Good' in html
    assert 'data-value="rating">Incomplete' in html
    assert "capped: disciplined during the period" in html
