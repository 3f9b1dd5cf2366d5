"""The year through the officer's pages: compute from the finalised periods, the cap report
(who is over, by how much, lowest average first), another rating only with a reason (the message
beside the field), finalising the groups within the cap, the criteria scheme's decision with the
months worked and absent, and the annual rating on the dossier page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from typing import Any

import pytest

from hrms.extensions import db
from hrms.reviews import queries
from hrms.reviews.models import AnnualRating, ReviewPeriod
from tests.reviews import factories
from tests.reviews import pages as support
from tests.reviews.pages import (
    Pages,
    field_errors,
)
from tests.staffing import factories as staffing

pages = support.pages  # the fixture

REASON = "Giữ tỷ lệ xuất sắc không quá 20% số hoàn thành tốt"


@pytest.fixture
def january(pages: Pages) -> ReviewPeriod:
    rv = pages.rv
    return factories.period(
        rv.world.department, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    )


@pytest.fixture
def over_cap(pages: Pages, january: ReviewPeriod) -> list[Any]:
    """Seven professionals, two rated xuất sắc and five tốt (20 % of five allows one: one over),
    and the clerk (support group, within the cap)."""
    rv = pages.rv
    world = rv.world
    people = [world.own, world.in_team, world.in_b]
    for n in range(4):
        extra = factories.person(world.division_b, f"Chuyên viên Số {n + 1}")
        staffing.placement(extra, rv.tc)
        people.append(extra)
    totals = ["95.00", "91.00", "80.00", "80.00", "80.00", "80.00", "80.00"]
    ratings = ["excellent", "excellent", "good", "good", "good", "good", "good"]
    for employee, total, rating in zip(people, totals, ratings, strict=True):
        factories.finalised_review(employee, january, total, rating, by=rv.director)
    factories.finalised_review(rv.colleague, january, "75.00", "good", by=rv.head)
    return people


def page_url(pages: Pages, year: int = 2026) -> str:
    return f"/reviews/annual/{pages.rv.world.department.id}/{year}"


def annual_of(employee: Any) -> AnnualRating:
    db.session.expire_all()
    found = queries.annual_rating_of(employee.id, 2026)
    assert found is not None
    return found


def test_the_officer_computes_sees_the_cap_adjusts_and_finalises(
    pages: Pages, over_cap: list[Any]
) -> None:
    rv = pages.rv
    world = rv.world
    pages.sign_in(rv.officer)
    index = pages.client.get("/reviews/annual/")
    assert index.status_code == 200 and world.department.name in index.get_data(as_text=True)
    chosen = pages.client.get(f"/reviews/annual/?unit_id={world.department.id}&year=2026")
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith(page_url(pages))
    empty = pages.client.get(page_url(pages)).get_data(as_text=True)
    assert 'data-testid="no-ratings"' in empty

    computed = pages.client.post_form(page_url(pages) + "/compute")
    assert computed.status_code == 303
    html = pages.client.get(page_url(pages)).get_data(as_text=True)
    assert "8 annual ratings computed" in html
    # the cap: professionals of the department, 5 counted, 1 allowed, 2 at the top, 1 over
    group = re.search(
        rf'data-group="{world.department.id}-professional" class="table-danger">(.*?)</tr>',
        html,
        re.S,
    )
    assert group is not None
    cells = re.findall(r'<td class="text-end"[^>]*>(?:<strong>)?(\d+)', group.group(1))
    assert cells == ["5", "1", "2", "1"]
    # lowest average first: the first to reconsider
    assert re.findall(r'data-top="(\d+)"', group.group(1)) == [
        str(world.in_team.id),
        str(world.own.id),
    ]
    assert "Nguyễn Văn Ân · 91,00<" in group.group(1) and 'data-testid="over-cap"' in html
    own = annual_of(world.own)
    assert (own.average, own.rating) == (D("95.00"), "excellent")

    # finalising: the group over the cap stays a draft, the support group is finalised
    finalised = pages.client.post_form(page_url(pages) + "/finalise")
    assert finalised.status_code == 303
    html = pages.client.get(page_url(pages)).get_data(as_text=True)
    assert "1 annual rating finalised." in html
    assert "2 rated at the top, 1 allowed (1 over the cap)" in html
    assert annual_of(rv.colleague).finalised and not annual_of(world.in_team).finalised

    # another rating without a reason: refused beside the field, nothing saved
    lowered = annual_of(world.in_team)
    read_version = str(lowered.version)
    url = f"/reviews/annual-ratings/{lowered.id}/adjust?unit_id={world.department.id}"
    prefix = f"a{lowered.id}-"
    refused = pages.client.post_form(
        url, {prefix + "version": str(lowered.version), prefix + "override_rating": "good"}
    )
    assert refused.status_code == 422
    assert field_errors(refused.get_data(as_text=True))[prefix + "override_reason"] == [
        "Explain in writing (at least 10 characters) why the rating differs."
    ]
    assert annual_of(world.in_team).override_rating is None
    adjusted = pages.client.post_form(
        url,
        {
            prefix + "version": str(lowered.version),
            prefix + "override_rating": "good",
            prefix + "override_reason": REASON,
        },
    )
    assert adjusted.status_code == 302
    assert adjusted.headers["Location"].endswith(page_url(pages))
    assert annual_of(world.in_team).final_rating.value == "good"  # type: ignore[union-attr]
    # a stale version is a conflict
    stale = pages.client.post_form(
        url,
        {
            prefix + "version": read_version,
            prefix + "override_rating": "complete",
            prefix + "override_reason": REASON,
        },
    )
    assert stale.status_code == 409

    assert pages.client.post_form(page_url(pages) + "/finalise").status_code == 303
    html = pages.client.get(page_url(pages)).get_data(as_text=True)
    assert "7 annual ratings finalised." in html
    assert all(annual_of(person).finalised for person in over_cap)
    assert 'class="table-danger"' not in html

    # the dossier page shows the year's rating
    dossier = pages.client.get(f"/employees/{world.in_team.id}").get_data(as_text=True)
    assert 'data-testid="annual-ratings"' in dossier
    assert re.search(r'data-year="2026">\s*<td>2026</td>\s*<td data-final="good">', dossier)


def test_criteria_decision_on_the_page(pages: Pages) -> None:
    rv = pages.rv
    quarter = factories.period(
        rv.world.department, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 3, 31), kind="quarter"
    )
    factories.finalised_review(rv.vc, quarter, "0", "good", by=rv.head, scheme_code="ND90-2020")
    pages.sign_in(rv.officer)
    pages.client.post_form(page_url(pages) + "/compute")
    annual = annual_of(rv.vc)
    assert annual.reasons == "undecided"
    html = pages.client.get(page_url(pages)).get_data(as_text=True)
    assert f'data-testid="decide-{annual.id}"' in html and "Not decided yet" in html
    prefix = f"d{annual.id}-"
    url = f"/reviews/annual-ratings/{annual.id}/decide?unit_id={rv.world.department.id}"
    refused = pages.client.post_form(
        url,
        {prefix + "version": str(annual.version), prefix + "months_worked": "13"},
    )
    assert refused.status_code == 422
    errors = field_errors(refused.get_data(as_text=True))
    assert errors[prefix + "months_worked"] == ["Give 0 to 12 months."]
    assert errors[prefix + "decided_rating"] == ["Choose the rating."]
    decided = pages.client.post_form(
        url,
        {
            prefix + "version": str(annual.version),
            prefix + "decided_rating": "excellent",
            prefix + "months_worked": "12",
            prefix + "months_absent": "4",
        },
    )
    assert decided.status_code == 302
    annual = annual_of(rv.vc)
    assert (annual.decided_rating, annual.rating, annual.reason_list) == (
        "excellent",
        "complete",
        ["absence"],
    )


def test_the_annual_page_is_scoped(pages: Pages, over_cap: list[Any]) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    pages.client.post_form(page_url(pages) + "/compute")
    other = rv.world.other_department
    assert pages.client.get(f"/reviews/annual/{other.id}/2026").status_code == 404
    outside = factories.person(other, "Lê Văn Ngoài")
    annual = AnnualRating(
        employee_id=outside.id,
        year=2026,
        scheme_id=factories.scheme("ND335-2025").id,
        unit_id=other.id,
        agency_id=other.id,
        task_group="professional",
    )
    db.session.add(annual)
    db.session.commit()
    assert pages.client.post_form(f"/reviews/annual-ratings/{annual.id}/adjust").status_code == 404
    pages.sign_in(rv.head)
    assert pages.client.get(page_url(pages)).status_code == 403


def test_the_annual_page_does_not_query_per_person(
    pages: Pages, over_cap: list[Any], january: ReviewPeriod, count_queries: Any
) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    pages.client.post_form(page_url(pages) + "/compute")
    pages.client.get(page_url(pages))
    with count_queries() as small:
        assert pages.client.get(page_url(pages)).status_code == 200
    for n in range(6):
        extra = factories.person(rv.world.division_b, f"Chuyên viên Thêm {n + 1}")
        staffing.placement(extra, rv.tc)
        factories.finalised_review(extra, january, "82.00", "good", by=rv.director)
    pages.client.post_form(page_url(pages) + "/compute")
    with count_queries() as large:
        assert pages.client.get(page_url(pages)).status_code == 200
    assert large.n == small.n, large.statements
