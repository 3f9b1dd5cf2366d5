"""The competency dictionary: the seed, the pages, versions in force by date, retiring, the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask_babel import gettext
from sqlalchemy import func, select

from hrms.core.dates import today
from hrms.extensions import db
from positions import queries
from positions.models import (
    Competency,
    CompetencyVersion,
    FrameworkPosition,
    FrameworkRequirement,
    FrameworkTask,
)
from tests.conftest import issue_token, page_errors
from tests.positions import factories

GENERAL = {
    "CHUNG-01": "Đạo đức công vụ và liêm chính",
    "CHUNG-02": "Tổ chức thực hiện công việc",
    "CHUNG-03": "Soạn thảo và ban hành văn bản",
    "CHUNG-04": "Giao tiếp, ứng xử",
    "CHUNG-05": "Phối hợp",
    "CHUNG-06": "Ứng dụng công nghệ thông tin",
    "CHUNG-07": "Sử dụng ngoại ngữ",
}


def say(app: Flask, message: Any) -> str:
    """A message as the pages show it."""
    with app.test_request_context():
        return str(gettext(message))


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def wording(name: str = "Quản lý dự án", **changes: Any) -> dict[str, str]:
    return {
        "name": name,
        "definition": "Lập, theo dõi và kết thúc dự án đúng phạm vi, thời hạn và kinh phí.",
        **{f"level_{n}": f"{name}: mô tả mức {n}" for n in range(1, 6)},
        "effective_from": "01/01/2026",
        **changes,
    }


def api(client, world, role: str, url: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    return client.application.test_client(use_cookies=False).get(url, headers=headers)


# The seed (migration 0008) -----------------------------------------------------------------


def test_seed_has_the_seven_general_competencies_with_five_levels(app) -> None:  # type: ignore[no-untyped-def]
    general = db.session.scalars(
        select(Competency).where(Competency.family == "general").order_by(Competency.ordinal)
    ).all()
    assert {c.code: c.versions[0].name for c in general} == GENERAL
    for competency in general:
        assert competency.active and len(competency.versions) == 1
        version = competency.versions[0]
        assert version.number == 1 and version.effective_from == dt.date(2026, 1, 1)
        descriptors = [version.descriptor(level) for level in range(1, 6)]
        assert all(len(text) > 40 for text in descriptors)
        assert len(set(descriptors)) == 5
    # Vietnamese with its diacritics, not ASCII
    assert "Nắm được" in general[0].versions[0].level_1


def test_seed_counts_and_catalogue(app) -> None:  # type: ignore[no-untyped-def]
    families = dict(
        db.session.execute(
            select(Competency.family, func.count()).group_by(Competency.family)
        ).all()
    )
    assert families == {"general": 7, "professional": 9, "leadership": 5}
    assert count(CompetencyVersion) == 21
    groups = dict(
        db.session.execute(
            select(FrameworkPosition.grp, func.count()).group_by(FrameworkPosition.grp)
        ).all()
    )
    assert groups == {"leadership": 6, "professional": 7, "shared_professional": 7, "support": 3}
    assert count(FrameworkTask) == 94
    assert count(FrameworkRequirement) == 227
    director = db.session.scalars(
        select(FrameworkPosition).where(FrameworkPosition.code == "VT-LD-01")
    ).one()
    assert director.title == "Giám đốc Sở" and director.rank_list == ["01.001", "01.002"]
    assert all(task.output_name and task.unit_of_measure for task in director.tasks)
    levels = {r.competency_id: r.level for r in director.requirements}
    general_ids = db.session.scalars(
        select(Competency.id).where(Competency.family == "general")
    ).all()
    assert all(1 <= levels[i] <= 5 for i in general_ids)  # every general competency required


# Pages ---------------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_dictionary_in_few_queries(  # type: ignore[no-untyped-def]
    client, world, login_as, count_queries
) -> None:
    login_as("staff")
    with count_queries() as counted:
        page = client.get("/positions/competencies/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in GENERAL.values():
        assert name in html
    assert "Quản lý sự thay đổi" in html and "Cải cách hành chính" in html
    assert 'data-testid="new-competency"' not in html
    factories.plan_competency("CM-90", "Thống kê", family="professional")
    factories.plan_competency("CM-91", "Dự báo", family="professional")
    with count_queries() as again:
        assert client.get("/positions/competencies/").status_code == 200
    assert again.n == counted.n  # no query per row

    show = client.get(f"/positions/competencies/{_id('CHUNG-04')}")
    assert show.status_code == 200
    text = show.get_data(as_text=True)
    assert "Giao tiếp, ứng xử" in text and 'data-testid="levels"' in text
    assert 'data-testid="new-version"' not in text
    assert client.get("/positions/competencies/987654").status_code == 404


def _id(code: str) -> int:
    return int(db.session.scalar(select(Competency.id).where(Competency.code == code)))


def test_admin_creates_a_competency(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    assert client.get("/positions/competencies/new").status_code == 200
    response = client.post_form(
        "/positions/competencies/new",
        {"code": "cm-20", "family": "professional", **wording(), "change_note": "Bổ sung"},
    )
    assert response.status_code == 302
    created = db.session.scalars(select(Competency).where(Competency.code == "CM-20")).one()
    assert created.family == "professional" and created.active
    assert [(v.number, v.name, v.effective_from) for v in created.versions] == [
        (1, "Quản lý dự án", dt.date(2026, 1, 1))
    ]
    assert created.ordinal > max(
        c.ordinal for c in db.session.scalars(select(Competency)) if c.id != created.id
    )


def test_bad_competencies_are_refused_beside_the_field(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    before = count(Competency), count(CompetencyVersion)
    taken = client.post_form(
        "/positions/competencies/new", {"code": "chung-01", "family": "general", **wording()}
    )
    assert taken.status_code == 422
    assert page_errors(taken.get_data(as_text=True)) == [
        say(app, "Another competency already has this code.")
    ]
    bad = client.post_form(
        "/positions/competencies/new",
        {"code": "CM 20!", "family": "people", **wording(level_3="", effective_from="31/02/2026")},
    )
    assert bad.status_code == 422
    errors = page_errors(bad.get_data(as_text=True))
    assert say(app, "Use letters, digits, dots and dashes only (e.g. CM-05).") in errors
    assert len(errors) == 4  # code, family, level 3, date
    assert (count(Competency), count(CompetencyVersion)) == before
    login_as("officer")
    refused = client.post_form(
        "/positions/competencies/new", {"code": "CM-21", "family": "general", **wording()}
    )
    assert refused.status_code == 403
    assert (count(Competency), count(CompetencyVersion)) == before


def test_a_new_version_is_in_force_from_its_date_and_old_ones_stay(  # type: ignore[no-untyped-def]
    app, client, world, login_as
) -> None:
    first = factories.plan_competency("CM-30", "Thẩm định dự án", family="professional")
    competency_id = first.competency_id
    login_as("admin")
    form = client.get(f"/positions/competencies/{competency_id}/versions/new")
    assert form.status_code == 200
    assert "Thẩm định dự án: mức 3" in form.get_data(as_text=True)  # prefilled
    starts = today() + dt.timedelta(days=30)
    response = client.post_form(
        f"/positions/competencies/{competency_id}/versions/new",
        {
            **wording("Thẩm định dự án đầu tư", effective_from=starts.strftime("%d/%m/%Y")),
            "based_on": "1",
            "change_note": "Theo quy định mới",
        },
    )
    assert response.status_code == 302
    competency = queries.competency(competency_id)
    assert competency is not None
    assert [v.number for v in competency.versions] == [1, 2]
    # the first version is untouched and stays in force until the new one starts
    assert db.session.get(CompetencyVersion, first.id).name == "Thẩm định dự án"
    assert queries.version_of(competency, today()).id == first.id
    assert queries.version_of(competency, starts).number == 2
    assert queries.versions_in_force(starts)[competency_id].number == 2
    assert queries.version_is_current(first.id, today())
    assert not queries.version_is_current(first.id, starts)
    page = client.get(f"/positions/competencies/{competency_id}").get_data(as_text=True)
    assert "Thẩm định dự án đầu tư" in page and 'data-testid="version-2"' in page

    # a stale form (someone added version 2 meanwhile) is a conflict
    stale = client.post_form(
        f"/positions/competencies/{competency_id}/versions/new",
        {
            **wording("Khác", effective_from=(starts + dt.timedelta(days=1)).strftime("%d/%m/%Y")),
            "based_on": "1",
            "change_note": "x",
        },
    )
    assert stale.status_code == 409
    # a date not after the latest version's is refused beside the date
    early = client.post_form(
        f"/positions/competencies/{competency_id}/versions/new",
        {**wording("Khác", effective_from=starts.strftime("%d/%m/%Y")), "change_note": "x"},
    )
    assert early.status_code == 422
    assert len(page_errors(early.get_data(as_text=True))) == 1
    # the same wording again is no new version
    same = client.post_form(
        f"/positions/competencies/{competency_id}/versions/new",
        {
            **wording(
                "Thẩm định dự án đầu tư",
                effective_from=(starts + dt.timedelta(days=5)).strftime("%d/%m/%Y"),
            ),
            "change_note": "x",
        },
    )
    assert same.status_code == 422
    assert page_errors(same.get_data(as_text=True)) == [
        say(app, "This wording is the same as the latest version's; change something.")
    ]
    # no note, no version
    no_note = client.post_form(
        f"/positions/competencies/{competency_id}/versions/new",
        wording("Khác", effective_from=(starts + dt.timedelta(days=9)).strftime("%d/%m/%Y")),
    )
    assert no_note.status_code == 422
    assert count_versions(competency_id) == 2


def count_versions(competency_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(CompetencyVersion.competency_id == competency_id)
        )
    )


def test_retire_and_bring_back(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    version = factories.plan_competency("CM-40", "Kiểm toán nội bộ", family="professional")
    url = f"/positions/competencies/{version.competency_id}/active"
    login_as("head")
    assert client.post_form(url, {"active": "false"}).status_code == 403
    login_as("admin")
    assert client.post_form(url, {"active": "false"}).status_code == 302
    assert not db.session.get(Competency, version.competency_id).active
    offered = [c.code for c, _v in queries.active_competencies_in_force(today())]
    assert "CM-40" not in offered and "CHUNG-01" in offered
    assert 'data-testid="retired"' in client.get(
        f"/positions/competencies/{version.competency_id}"
    ).get_data(as_text=True)
    assert client.post_form(url, {"active": "true"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Competency, version.competency_id).active
    # no wanted state: nothing changes, the page says why
    assert client.post_form(url, {}).status_code == 303
    assert db.session.get(Competency, version.competency_id).active


# API -----------------------------------------------------------------------------------------


def test_api_lists_and_shows_competencies(client, world) -> None:  # type: ignore[no-untyped-def]
    listed = api(client, world, "staff", "/api/v1/competencies?family=general")
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["total"] == 7
    assert [item["code"] for item in body["items"]] == list(GENERAL)
    first = body["items"][0]
    assert first["version_in_force"]["name"] == GENERAL["CHUNG-01"]
    assert len(first["version_in_force"]["levels"]) == 5
    assert api(client, world, "staff", "/api/v1/competencies?family=x").status_code == 422
    later = factories.plan_competency(
        "CM-50", "Chưa áp dụng", effective_from=today() + dt.timedelta(days=3)
    )
    shown = api(client, world, "nobody", f"/api/v1/competencies/{later.competency_id}")
    assert shown.status_code == 200
    detail = shown.get_json()
    assert detail["version_in_force"] is None
    assert [v["number"] for v in detail["versions"]] == [1]
    assert api(client, world, "staff", "/api/v1/competencies/987654").status_code == 404


def test_api_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["servers"][0]["url"].endswith("/api/v1")
    paths = spec["paths"]
    for path in (
        "/competencies",
        "/competencies/{competency_id}",
        "/framework-positions",
        "/framework-positions/{framework_position_id}",
    ):
        assert "get" in paths[path], path
