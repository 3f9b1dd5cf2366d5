"""Closing a period and moving its deadlines through the pages: the officer's forms on the period
page, refusals shown with who is not finalised, a closed period shown closed and read-only (the
review page offers no form), late scoring marked on the review and the dashboard."""

from __future__ import annotations

import datetime as dt

from hrms.reviews import services
from tests.reviews import factories
from tests.reviews.conftest import deliver, load, ready, review_of
from tests.reviews.pages import (
    Pages,
    field_errors,
    pages_fixture,  # noqa: F401  (the fixture ``pages``)
    score_form,
    top_errors,
)


def test_the_officer_closes_a_finished_period(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        opened = rv.open_month(3)
        open_id, open_version = opened.period.id, opened.period.version
        done = factories.period(
            rv.world.division_a, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 1, 31)
        )
        own = factories.finalised_review(rv.world.own, done, "80.00", "good", by=rv.head)
        done_id, done_version, own_id = done.id, done.version, own.id

    pages.sign_in(rv.officer)
    html = pages.client.get(f"/reviews/periods/{open_id}").get_data(as_text=True)
    assert 'data-testid="close-form"' in html and 'data-testid="deadlines-form"' in html
    # refused: the people not finalised are named, nothing changes
    response = pages.client.post_form(
        f"/reviews/periods/{open_id}/close", {"version": str(open_version)}
    )
    assert response.status_code == 422
    [message] = top_errors(response.get_data(as_text=True))
    assert "The period cannot be closed: 5 reviews are not finalised" in message
    assert rv.world.own.full_name in message and rv.head_person.full_name in message

    response = pages.client.post_form(
        f"/reviews/periods/{done_id}/close", {"version": str(done_version)}
    )
    assert response.status_code == 303
    html = pages.client.get(f"/reviews/periods/{done_id}").get_data(as_text=True)
    assert "is closed; its reviews are read-only" in html
    assert 'data-testid="period-closed"' in html and 'data-testid="close-form"' not in html
    # the review page shows it closed and offers nothing to do, not even reopening
    html = pages.client.get(f"/reviews/{own_id}").get_data(as_text=True)
    assert 'data-testid="period-closed"' in html and 'data-testid="reopen-form"' not in html
    response = pages.client.post_form(
        f"/reviews/{own_id}/reopen", {"version": "1", "reason": "Chấm lại theo kiến nghị"}
    )
    assert response.status_code == 422
    assert "is closed" in response.get_data(as_text=True)

    # heads see the period but may neither close it nor move its deadlines
    pages.sign_in(rv.head)
    html = pages.client.get(f"/reviews/periods/{open_id}").get_data(as_text=True)
    assert 'data-testid="close-form"' not in html and 'data-testid="deadlines-form"' not in html
    assert pages.client.post_form(f"/reviews/periods/{open_id}/close", {}).status_code == 403


def test_a_period_out_of_scope_is_404_to_close(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        other = factories.period(
            rv.world.other_department,
            rv.world.users["admin"],
            dt.date(2026, 1, 1),
            dt.date(2026, 1, 31),
        )
        other_id = other.id
    pages.sign_in(rv.officer)
    for action in ("close", "deadlines"):
        assert (
            pages.client.post_form(f"/reviews/periods/{other_id}/{action}", {}).status_code == 404
        )
    assert pages.client.post_form("/reviews/periods/999999/close", {}).status_code == 404


def test_the_officer_moves_the_deadlines(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        opened = rv.open_month(3)
        period_id, version = opened.period.id, opened.period.version
    pages.sign_in(rv.officer)
    url = f"/reviews/periods/{period_id}/deadlines"
    response = pages.client.post_form(
        url,
        {
            "version": str(version),
            "self_deadline": "01/04/2026",
            "scoring_deadline": "10/04/2026",
            "reason": "",
        },
    )
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["self_deadline"] == ["A deadline can only be moved later than 03/04/2026."]
    assert errors["reason"] == ["Say why the deadlines move (at least 10 characters)."]
    response = pages.client.post_form(
        url,
        {
            "version": str(version),
            "self_deadline": "07/04/2026",
            "scoring_deadline": "14/04/2026",
            "reason": "Lùi hạn do nghỉ lễ Giỗ Tổ Hùng Vương",
        },
    )
    assert response.status_code == 303
    html = pages.client.get(f"/reviews/periods/{period_id}").get_data(as_text=True)
    assert "self-assessment by 07/04/2026" in html and "scoring by 14/04/2026" in html


def test_late_scoring_is_marked_on_the_review_and_the_dashboard(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        opened = rv.open_month(3)
        own = review_of(opened, rv.world.own)
        ready(rv, own)
        deliver(rv, own, "10", "3", "3")
        services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
        period_id, own_id = opened.period.id, own.id
    rv.clock.now = dt.date(2026, 4, 15)
    pages.sign_in(rv.head)
    html = pages.client.get(f"/reviews/{own_id}").get_data(as_text=True)
    assert 'data-testid="scoring-overdue"' in html
    html = pages.client.get(f"/reviews/periods/{period_id}").get_data(as_text=True)
    assert 'data-testid="scoring-overdue"' in html
    # the head still scores it: accepted, marked late
    points = {"politics": "9", "capacity": "8,5", "innovation": "7"}
    data = score_form(pages.review(own_id))
    for index, (code, value) in enumerate(points.items()):
        data[f"points-{index}-code"] = code
        data[f"points-{index}-points"] = value
    response = pages.client.post_form(f"/reviews/{own_id}/score", data)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    assert pages.review(own_id).scored_late
    html = pages.client.get(f"/reviews/{own_id}").get_data(as_text=True)
    assert 'data-testid="scored-late"' in html
    html = pages.client.get(f"/reviews/periods/{period_id}").get_data(as_text=True)
    assert 'data-total="scored_late">1<' in html and 'data-testid="late"' in html
