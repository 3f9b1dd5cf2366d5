"""Periods through the pages: the officer opens a month and sees who was left out and why; the
dashboard of a period, unit by unit; "my reviews"; the reminders on the home page."""

from __future__ import annotations

import re
from typing import Any

from hrms.reviews import services
from hrms.reviews.models import ReviewPeriod
from tests.reviews.conftest import deliver, load, ready, review_of
from tests.reviews.pages import (
    Pages,
    field_errors,
    pages_fixture,  # noqa: F401  (the fixture ``pages``)
)


def period_form(unit: Any, **fields: str) -> dict[str, str]:
    return {
        "unit_id": str(unit.id),
        "kind": "month",
        "year": "2026",
        "number": "3",
        "self_deadline": "03/04/2026",
        "scoring_deadline": "10/04/2026",
    } | fields


def test_the_officer_opens_a_month_and_sees_who_is_left_out(pages: Pages) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    page = pages.client.get("/reviews/periods/new")
    assert page.status_code == 200
    assert rv.world.department.name in page.get_data(as_text=True)
    assert rv.world.other_department.name not in page.get_data(as_text=True)

    response = pages.client.post_form("/reviews/periods/new", period_form(rv.world.department))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    opened = re.findall(r'href="/reviews/(\d+)"', html)
    assert len(opened) >= 4
    skipped = html[html.index('data-testid="skipped"') :]
    # the viên chức is reviewed by quarter, the contract worker by no scheme
    assert rv.vc.full_name in skipped and rv.contractor.full_name in skipped
    assert "another kind of period" in skipped
    period_id = re.search(r'href="/reviews/periods/(\d+)"', html)
    assert period_id is not None

    # the same month again clashes with the reviews just opened
    response = pages.client.post_form("/reviews/periods/new", period_form(rv.world.department))
    assert response.status_code == 422
    assert "already have a review" in field_errors(response.get_data(as_text=True))["number"][0]


def test_refusals_of_the_period_form_are_beside_the_fields(pages: Pages) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    data = period_form(rv.world.department, number="13", self_deadline="31/02/2026")
    response = pages.client.post_form("/reviews/periods/new", data)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["self_deadline"] == ["Enter a valid date (dd/mm/yyyy)."]
    assert errors["number"] == ["Enter a value from 1 to 12."]

    data = period_form(rv.world.department, scoring_deadline="01/04/2026")
    response = pages.client.post_form("/reviews/periods/new", data)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["scoring_deadline"] == [
        "The scoring deadline cannot come before the self-assessment deadline."
    ]
    # a unit out of the officer's reach
    data = period_form(rv.world.other_department)
    response = pages.client.post_form("/reviews/periods/new", data)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["unit_id"] == ["Choose a unit you manage."]


def test_heads_do_not_open_periods(pages: Pages) -> None:
    pages.sign_in(pages.rv.head)
    assert pages.client.get("/reviews/periods/new").status_code == 403
    data = period_form(pages.rv.world.division_a)
    assert pages.client.post_form("/reviews/periods/new", data).status_code == 403


def test_the_dashboard_unit_by_unit(pages: Pages, count_queries: Any) -> None:
    rv = pages.rv
    with pages.acting():
        opened = rv.open_month(3)
        own = review_of(opened, rv.world.own)
        ready(rv, own)
        deliver(rv, own, "10", "3", "3")
        services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
        period_id = opened.period.id
        count = len(opened.reviews)
    url = f"/reviews/periods/{period_id}"

    # the head of division A reaches the department's period, for their division only
    pages.sign_in(rv.head)
    assert f"/reviews/periods/{period_id}" in pages.client.get("/reviews/periods").get_data(
        as_text=True
    )
    html = pages.client.get(url).get_data(as_text=True)
    assert rv.world.own.full_name in html and rv.world.in_b.full_name not in html

    pages.sign_in(rv.officer)
    with count_queries() as counted:
        response = pages.client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-total="reviews">{count}<' in html
    assert f'data-total="not_submitted">{count - 1}<' in html
    assert f'data-total="not_scored">{count}<' in html
    assert rv.world.in_b.full_name in html and rv.world.division_b.name in html
    assert counted.n <= 8, counted.statements

    # one unit's subtree
    html = pages.client.get(f"{url}?unit_id={rv.world.division_b.id}").get_data(as_text=True)
    assert rv.world.in_b.full_name in html and rv.world.own.full_name not in html
    assert pages.client.get(f"{url}?unit_id={rv.world.other_department.id}").status_code == 404

    # the query count does not grow with the number of reviews
    with pages.acting():
        rv.open_quarter(1)
    with count_queries() as again:
        pages.client.get(url)
    assert again.n == counted.n

    # out of reach
    pages.sign_in(rv.world.users["head2"])
    assert pages.client.get(url).status_code == 200  # their division is in the department's
    pages.sign_in(rv.staff)
    assert pages.client.get(url).status_code == 403
    pages.sign_in(rv.officer)
    assert pages.client.get("/reviews/periods/999999").status_code == 404


def test_a_period_of_another_department_is_404(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        period = ReviewPeriod(
            kind="month",
            starts_on=rv.clock.now.replace(day=1),
            ends_on=rv.clock.now.replace(day=31),
            unit_id=rv.world.other_department.id,
            self_deadline=rv.clock.now,
            scoring_deadline=rv.clock.now,
            opened_by=rv.world.users["admin"].id,
        )
        from hrms.extensions import db

        db.session.add(period)
        db.session.flush()
        period_id = period.id
    pages.sign_in(rv.officer)
    assert pages.client.get(f"/reviews/periods/{period_id}").status_code == 404
    pages.sign_in(rv.world.users["admin"])
    assert pages.client.get(f"/reviews/periods/{period_id}").status_code == 200


def test_my_reviews_and_the_reminders_on_the_home_page(pages: Pages) -> None:
    rv = pages.rv
    pages.sign_in(rv.staff)
    assert 'data-testid="review-reminders"' not in pages.client.get("/").get_data(as_text=True)
    assert 'data-testid="no-reviews"' in pages.client.get("/reviews/mine").get_data(as_text=True)
    with pages.acting():
        own = review_of(rv.open_month(3), rv.world.own)
        ready(rv, own)
    html = pages.client.get("/").get_data(as_text=True)
    assert 'data-reminder="self_assess"' in html and f'href="/reviews/{own.id}"' in html
    html = pages.client.get("/reviews/mine").get_data(as_text=True)
    assert f'data-review="{own.id}"' in html and "Self-assessment open" in html

    pages.sign_in(rv.head)
    html = pages.client.get("/").get_data(as_text=True)
    assert 'data-reminder="plan"' in html  # the others of division A wait for their plan

    # an account without a dossier has no reviews of its own
    pages.sign_in(rv.officer)
    assert pages.client.get("/reviews/mine").status_code == 404
