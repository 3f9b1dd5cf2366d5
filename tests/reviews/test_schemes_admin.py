"""Scheme administration: admins list the schemes with their versions, add a version in force
from a date (rules validated, messages beside the field, nothing saved on refusal) and choose
which scheme a kind of personnel uses in an agency from a date."""

from __future__ import annotations

import copy
import datetime as dt
import json

from sqlalchemy import func, select

from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import queries
from hrms.reviews.models import EvaluationScheme, SchemeAssignment
from tests.reviews import factories
from tests.reviews import pages as support
from tests.reviews.pages import (
    Pages,
    field_errors,
)

pages = support.pages  # the fixture


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(EvaluationScheme)) or 0)


def _version_form(base: EvaluationScheme, **changes: object) -> dict[str, object]:
    return {
        "name": base.name,
        "kinds": base.kind_list,
        "effective_from": "01/07/2026",
        "rules": json.dumps(base.rules, ensure_ascii=False),
    } | changes


def test_the_list_shows_schemes_and_versions(pages: Pages) -> None:
    pages.sign_in(pages.rv.world.users["admin"])
    html = pages.client.get("/reviews/schemes/").get_data(as_text=True)
    assert 'data-scheme="ND335-2025"' in html and 'data-scheme="ND90-2020"' in html
    assert "01/01/2026" in html
    shown = pages.client.get(f"/reviews/schemes/{factories.scheme('ND335-2025').id}")
    assert shown.status_code == 200
    assert "Nghị định 335/2025" in shown.get_data(as_text=True)


def test_a_new_version_takes_effect_from_its_date(pages: Pages) -> None:
    pages.sign_in(pages.rv.world.users["admin"])
    base = factories.scheme("ND335-2025")
    rules = copy.deepcopy(base.rules)
    rules["cap"]["percent"] = "15"
    before = _count()
    form = pages.client.get(f"/reviews/schemes/{base.id}/versions/new").get_data(as_text=True)
    assert "ND335-2025" in form and "quantity_weight" in form
    response = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new",
        _version_form(base, rules=json.dumps(rules)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _count() == before + 1
    latest = db.session.scalar(
        select(EvaluationScheme)
        .where(EvaluationScheme.code == "ND335-2025")
        .order_by(EvaluationScheme.effective_from.desc())
    )
    assert latest is not None
    assert (latest.effective_from, latest.parsed.cap.percent) == (dt.date(2026, 7, 1), 15)  # type: ignore[union-attr]
    # the new version is chosen for civil servants from its date, the old one before
    unit = db.session.get(Unit, pages.rv.world.team_a.id)
    assert unit is not None
    assert queries.scheme_for("cong_chuc", unit, dt.date(2026, 8, 1)) == latest
    assert queries.scheme_for("cong_chuc", unit, dt.date(2026, 3, 1)) == base


def test_incoherent_rules_are_refused_beside_the_field(pages: Pages) -> None:
    pages.sign_in(pages.rv.world.users["admin"])
    base = factories.scheme("ND335-2025")
    before = _count()
    broken = copy.deepcopy(base.rules)
    broken["bands"] = [{"rating": "excellent", "min_points": "190"}]
    response = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new",
        _version_form(base, rules=json.dumps(broken)),
    )
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["rules"] and any("bands" in message for message in errors["rules"])
    not_json = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new", _version_form(base, rules="{method: points")
    )
    assert not_json.status_code == 422
    assert any(
        "not valid JSON" in m for m in field_errors(not_json.get_data(as_text=True))["rules"]
    )
    # a version may not go back before the latest one, nor repeat its date
    older = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new",
        _version_form(base, effective_from="01/01/2025"),
    )
    assert older.status_code == 422
    assert field_errors(older.get_data(as_text=True))["effective_from"] == [
        "A new version takes effect after the latest one (01/01/2026)."
    ]
    same = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new",
        _version_form(base, effective_from="01/01/2026"),
    )
    assert field_errors(same.get_data(as_text=True))["effective_from"] == [
        "This scheme already has a version in force from this date."
    ]
    no_kind = pages.client.post_form(
        f"/reviews/schemes/{base.id}/versions/new", _version_form(base, kinds=[])
    )
    assert "kinds" in field_errors(no_kind.get_data(as_text=True))
    assert _count() == before


def test_a_new_scheme(pages: Pages) -> None:
    pages.sign_in(pages.rv.world.users["admin"])
    base = factories.scheme("ND90-2020")
    response = pages.client.post_form(
        "/reviews/schemes/new",
        _version_form(base, code="HD-2026", name="Hợp đồng lao động", kinds=["contract"]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    made = db.session.scalar(select(EvaluationScheme).where(EvaluationScheme.code == "HD-2026"))
    assert made is not None and made.kind_list == ["contract"]


def test_an_agency_chooses_another_scheme(pages: Pages) -> None:
    world = pages.rv.world
    pages.sign_in(world.users["admin"])
    chosen = factories.scheme("ND335-2025")
    response = pages.client.post_form(
        "/reviews/schemes/assignments",
        {
            "unit_id": str(world.department.id),
            "kind": "vien_chuc",
            "scheme_id": str(chosen.id),
            "effective_from": "01/02/2026",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    division = db.session.get(Unit, world.division_b.id)
    assert division is not None
    assert queries.scheme_for("vien_chuc", division, dt.date(2026, 3, 1)) == chosen
    assert queries.scheme_for("vien_chuc", division, dt.date(2026, 1, 15)) == factories.scheme(
        "ND90-2020"
    )
    listed = pages.client.get("/reviews/schemes/").get_data(as_text=True)
    assert 'data-testid="assignments"' in listed and world.department.name in listed
    # the same choice again is refused beside the date; a date before the scheme's too
    again = pages.client.post_form(
        "/reviews/schemes/assignments",
        {
            "unit_id": str(world.department.id),
            "kind": "vien_chuc",
            "scheme_id": str(chosen.id),
            "effective_from": "01/02/2026",
        },
    )
    assert again.status_code == 422
    assert "effective_from" in field_errors(again.get_data(as_text=True))
    empty = pages.client.post_form("/reviews/schemes/assignments", {})
    assert empty.status_code == 422
    assert {"unit_id", "kind", "scheme_id", "effective_from"} <= set(
        field_errors(empty.get_data(as_text=True))
    )
    assert db.session.scalar(select(func.count()).select_from(SchemeAssignment)) == 1


def test_only_admins_manage_schemes(pages: Pages) -> None:
    world = pages.rv.world
    for role in ("officer", "head", "staff"):
        pages.sign_in(world.users[role])
        assert pages.client.get("/reviews/schemes/").status_code == 403
        assert pages.client.post_form("/reviews/schemes/new", {}).status_code == 403
