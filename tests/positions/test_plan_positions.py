"""Position plan pages: the list and the plan in scope, the forms with repeated rows, the
workflow buttons, the comparison of versions and the PDFs."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from hrms.extensions import db
from positions.models import PositionPlan, UnitPosition
from tests.conftest import page_errors
from tests.positions import factories


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def position_form(code: str = "VT-01", **extra: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Chuyên viên tuyển dụng",
        "grp": "professional",
        "rank_codes": "01.003, 01.002",
        "headcount": "2",
        "objective": "Tổ chức tuyển dụng công chức",
        "evaluation_criteria": "Đúng hạn",
        "tasks-0-description": "Tổ chức thi tuyển",
        "tasks-0-outputs-0-name": "Kế hoạch thi tuyển",
        "tasks-0-outputs-0-unit_of_measure": "văn bản",
        "tasks-0-outputs-0-conversion_factor": "2,5",
        "tasks-0-outputs-0-monthly_quantity": "1",
        "tasks-0-outputs-1-name": "Báo cáo kết quả",
        "tasks-0-outputs-1-unit_of_measure": "báo cáo",
        "tasks-1-description": "",
        "rank_limits-0-rank_code": "01.002",
        "rank_limits-0-max_percent": "40",
    } | extra


def test_the_head_drafts_a_plan_through_the_forms(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    version = factories.plan_competency("TST-01", "Đạo đức công vụ")
    login_as("head")
    page = client.get("/positions/plans/new")
    assert page.status_code == 200
    assert "Phòng Công chức" in page.text and "Sở Tài chính" not in page.text
    refused = client.post_form("/positions/plans/new", {"unit_id": str(world.other_department.id)})
    assert refused.status_code == 422
    assert page_errors(refused.text)
    created = client.post_form(
        "/positions/plans/new", {"unit_id": str(world.division_a.id), "note": "Đề án 2026"}
    )
    assert created.status_code == 302
    plan = db.session.scalars(select(PositionPlan).filter_by(unit_id=world.division_a.id)).one()
    shown = client.get(f"/positions/plans/{plan.id}")
    assert shown.status_code == 200
    assert 'data-testid="add-position"' in shown.text
    assert 'data-testid="approve"' not in shown.text

    blank = client.get(f"/positions/plans/{plan.id}/positions/new")
    assert blank.status_code == 200
    assert 'name="tasks-0-outputs-0-conversion_factor"' in blank.text
    # "add an output" posts the form back with one more row, saving nothing
    more = client.post_form(
        f"/positions/plans/{plan.id}/positions/new", position_form() | {"add_row": "outputs-0"}
    )
    assert more.status_code == 200
    assert 'name="tasks-0-outputs-2-name"' in more.text
    assert db.session.scalars(select(UnitPosition).filter_by(plan_id=plan.id)).all() == []

    saved = client.post_form(
        f"/positions/plans/{plan.id}/positions/new",
        position_form(
            **{"requirements-0-competency_version_id": str(version.id), "requirements-0-level": "4"}
        ),
    )
    assert saved.status_code == 302, page_errors(saved.text)
    position = db.session.scalars(select(UnitPosition).filter_by(plan_id=plan.id)).one()
    assert position.rank_list == ["01.003", "01.002"]
    assert [t.description for t in position.tasks] == ["Tổ chức thi tuyển"]
    outputs = position.tasks[0].outputs
    assert [(o.name, str(o.conversion_factor)) for o in outputs] == [
        ("Kế hoạch thi tuyển", "2.50"),
        ("Báo cáo kết quả", "1.00"),
    ]
    assert [(r.competency_version_id, r.level) for r in position.requirements] == [(version.id, 4)]
    assert [(limit.rank_code, limit.max_percent) for limit in position.rank_limits] == [
        ("01.002", 40)
    ]

    page = client.get(f"/positions/{position.id}")
    assert page.status_code == 200
    for shown_text in (
        "Tổ chức tuyển dụng công chức",
        "Kế hoạch thi tuyển",
        "2.5",
        "Đạo đức công vụ",
        "Đạo đức công vụ: mức 4",
        "01.002",
    ):
        assert shown_text in page.text


def test_refusals_are_shown_beside_the_row_and_nothing_is_saved(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    plan = factories.plan(world.division_a)
    factories.unit_position(plan, "VT-01")
    login_as("head")
    response = client.post_form(
        f"/positions/plans/{plan.id}/positions/new",
        position_form(
            "VT-01",
            **{
                "tasks-0-outputs-0-conversion_factor": "0",
                "rank_limits-0-rank_code": "06.031",
                "requirements-0-competency_version_id": "999999",
                "requirements-0-level": "3",
            },
        ),
    )
    assert response.status_code == 422
    assert 'data-field-error="tasks-0-outputs-0-conversion_factor"' in response.text
    db.session.expire_all()
    assert len(db.session.scalars(select(UnitPosition).filter_by(plan_id=plan.id)).all()) == 1
    # the service's refusals too (schema passed): a taken code, a rank not listed, no competency
    response = client.post_form(
        f"/positions/plans/{plan.id}/positions/new",
        position_form(
            "VT-01",
            **{
                "rank_limits-0-rank_code": "06.031",
                "requirements-0-competency_version_id": "999999",
                "requirements-0-level": "3",
            },
        ),
    )
    assert response.status_code == 422
    for name in ("code", "rank_limits-0-rank_code", "requirements-0-competency_version_id"):
        assert f'data-field-error="{name}"' in response.text
    assert len(db.session.scalars(select(UnitPosition).filter_by(plan_id=plan.id)).all()) == 1


def test_edit_a_position_and_a_stale_save_is_a_conflict(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    plan = factories.plan(world.division_a)
    position = factories.unit_position(plan, "VT-01", tasks=2)
    login_as("head")
    form = client.get(f"/positions/{position.id}/edit")
    assert form.status_code == 200
    assert "Thẩm định hồ sơ nhóm 2" in form.text
    assert 'value="01.003, 01.002"' in form.text
    data = position_form(
        "VT-01", version=str(position.version), headcount="4", **{"tasks-1-description": ""}
    )
    saved = client.post_form(f"/positions/{position.id}/edit", data)
    assert saved.status_code == 302, re.findall(r'data-field-error="[^"]+"', saved.text)
    db.session.expire_all()
    changed = db.session.get(UnitPosition, position.id)
    assert changed.headcount == 4
    assert [t.description for t in changed.tasks] == ["Tổ chức thi tuyển"]
    assert changed.qualities is None  # blank in the form: cleared
    stale = client.post_form(f"/positions/{position.id}/edit", data | {"headcount": "7"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(UnitPosition, position.id).headcount == 4


def test_add_from_the_catalogue_page(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    entry = factories.catalogue_entry()
    plan = factories.plan(world.division_a)
    login_as("head")
    page = client.get(f"/positions/plans/{plan.id}/positions/from-catalogue")
    assert page.status_code == 200 and entry.title in page.text
    refused = client.post_form(
        f"/positions/plans/{plan.id}/positions/from-catalogue",
        {"framework_position_id": str(entry.id), "code": "", "headcount": "x"},
    )
    assert refused.status_code == 422
    assert {'data-field-error="code"', 'data-field-error="headcount"'} <= set(
        re.findall(r'data-field-error="[a-z_]+"', refused.text)
    )
    added = client.post_form(
        f"/positions/plans/{plan.id}/positions/from-catalogue",
        {"framework_position_id": str(entry.id), "code": "VT-05", "headcount": "2"},
    )
    assert added.status_code == 302
    position = db.session.scalars(select(UnitPosition).filter_by(plan_id=plan.id)).one()
    assert (position.name, position.framework_position_id) == (entry.title, entry.id)
    assert added.headers["Location"].endswith(f"/positions/{position.id}/edit")


def test_submit_return_and_approve_through_the_plan_page(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    plan = factories.plan(world.division_a)
    factories.unit_position(plan)
    login_as("head")
    submitted = client.post_form(f"/positions/plans/{plan.id}/submit", {"version": plan.version})
    assert submitted.status_code == 302
    db.session.expire_all()
    plan = db.session.get(PositionPlan, plan.id)
    assert plan.state == "submitted"
    assert (
        client.post_form(
            f"/positions/plans/{plan.id}/approve", {"version": plan.version}
        ).status_code
        == 403
    )  # heads do not approve

    login_as("officer")
    page = client.get(f"/positions/plans/{plan.id}")
    assert 'data-testid="approve"' in page.text and 'data-testid="submit"' not in page.text
    refused = client.post_form(
        f"/positions/plans/{plan.id}/return", {"version": plan.version, "comment": ""}
    )
    assert refused.status_code == 422
    assert 'data-field-error="comment"' in refused.text
    returned = client.post_form(
        f"/positions/plans/{plan.id}/return",
        {"version": plan.version, "comment": "Bổ sung vị trí văn thư"},
    )
    assert returned.status_code == 302
    db.session.expire_all()
    plan = db.session.get(PositionPlan, plan.id)
    assert plan.state == "returned"

    login_as("head")
    page = client.get(f"/positions/plans/{plan.id}")
    assert "Bổ sung vị trí văn thư" in page.text
    client.post_form(f"/positions/plans/{plan.id}/submit", {"version": plan.version})
    db.session.expire_all()
    plan = db.session.get(PositionPlan, plan.id)

    login_as("officer")
    missing_date = client.post_form(
        f"/positions/plans/{plan.id}/approve", {"version": plan.version}
    )
    assert missing_date.status_code == 422
    assert 'data-field-error="effective_on"' in missing_date.text
    approved = client.post_form(
        f"/positions/plans/{plan.id}/approve",
        {"version": plan.version, "effective_on": "01/01/2026", "approval_number": "15/QĐ-SNV"},
    )
    assert approved.status_code == 302
    db.session.expire_all()
    plan = db.session.get(PositionPlan, plan.id)
    assert (plan.state, plan.effective_on, plan.approval_number) == (
        "approved",
        dt.date(2026, 1, 1),
        "15/QĐ-SNV",
    )

    login_as("head")
    page = client.get(f"/positions/plans/{plan.id}")
    assert 'data-testid="add-position"' not in page.text
    assert 'data-testid="start-next"' in page.text
    position = plan.positions[0]
    assert client.get(f"/positions/{position.id}/edit").status_code == 302  # back to the page
    started = client.post_form(f"/positions/plans/{plan.id}/next-version", {"note": "Sửa đổi"})
    assert started.status_code == 302
    second = db.session.scalars(
        select(PositionPlan).filter_by(unit_id=world.division_a.id, number=2)
    ).one()
    assert second.previous_id == plan.id and len(second.positions) == 1


def test_compare_two_versions_side_by_side(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    first = factories.plan(world.division_a, state="approved")
    kept = factories.unit_position(first, "VT-01", headcount=2)
    gone = factories.unit_position(first, "VT-02", "Văn thư", headcount=1)
    second = factories.plan(world.division_a, previous=first)
    factories.unit_position(second, "VT-01", headcount=4, lineage_id=kept.lineage_id)
    factories.unit_position(second, "VT-03", "Lưu trữ viên", headcount=1)
    login_as("officer")
    page = client.get(f"/positions/plans/{second.id}/compare")
    assert page.status_code == 200
    added = page.text.split('data-testid="added"')[1].split("</ul>")[0]
    removed = page.text.split('data-testid="removed"')[1].split("</ul>")[0]
    assert "Lưu trữ viên" in added and "Văn thư" in removed
    assert gone.code in removed
    assert page.text.count('data-testid="headcount-row"') == 3
    assert "+2" in page.text
    other_way = client.get(f"/positions/plans/{first.id}/compare?with={second.id}")
    assert other_way.status_code == 200 and "Lưu trữ viên" in other_way.text
    # the first version is compared with the one started from it by default
    by_default = client.get(f"/positions/plans/{first.id}/compare")
    assert "Lưu trữ viên" in by_default.text and 'data-testid="headcount-row"' in by_default.text
    alone = factories.plan(world.division_b)
    assert "nothing-to-compare" in client.get(f"/positions/plans/{alone.id}/compare").text


def test_lists_and_pages_are_scoped(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    mine = factories.plan(world.division_a, state="approved")
    theirs = factories.plan(world.division_b)
    outside = factories.plan(world.other_department, state="submitted")
    position = factories.unit_position(outside)
    login_as("head")
    listed = client.get("/positions/plans/")
    assert listed.status_code == 200
    assert f'/positions/plans/{mine.id}"' in listed.text
    assert f'/positions/plans/{theirs.id}"' not in listed.text
    assert client.get(f"/positions/plans/{outside.id}").status_code == 404
    assert client.get(f"/positions/{position.id}").status_code == 404
    assert client.get(f"/positions/{position.id}/job-description.pdf").status_code == 404

    login_as("officer")
    listed = client.get("/positions/plans/")
    assert f'/positions/plans/{theirs.id}"' in listed.text
    assert f'/positions/plans/{outside.id}"' not in listed.text
    assert 'data-testid="awaiting"' not in listed.text
    filtered = client.get(f"/positions/plans/?state=draft&unit_id={world.division_b.id}")
    assert filtered.text.count('data-testid="plan-row"') == 1
    assert client.get("/positions/plans/?state=nonsense").status_code == 422

    login_as("admin")
    listed = client.get("/positions/plans/")
    assert 'data-testid="awaiting"' in listed.text
    assert f'/positions/plans/{outside.id}"' in listed.text

    login_as("staff")
    assert client.get("/positions/plans/").status_code == 403


def test_the_list_and_the_plan_page_take_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    client, world, login_as, count_queries
) -> None:
    version = factories.plan_competency("TST-01", "Đạo đức công vụ")
    units = [world.division_a, world.team_a, world.division_b]
    plan = factories.plan(world.division_a)
    factories.unit_position(plan, "VT-01", requirements=[(version, 3)])
    factories.plan(world.team_a, state="submitted")
    login_as("officer")

    def measure(url: str) -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return int(counted.n)

    list_few, page_few = measure("/positions/plans/"), measure(f"/positions/plans/{plan.id}")
    for unit in units:
        factories.plan(unit, state="approved", number=10)
    for number in range(2, 8):
        factories.unit_position(plan, f"VT-0{number}", requirements=[(version, 2)], tasks=3)
    assert measure("/positions/plans/") == list_few
    assert measure(f"/positions/plans/{plan.id}") == page_few
    position = plan.positions[0]
    few = measure(f"/positions/{position.id}")
    factories.unit_position(plan, "VT-99", tasks=6, requirements=[(version, 2)])
    big = db.session.scalars(select(UnitPosition).filter_by(code="VT-99")).one()
    assert measure(f"/positions/{big.id}") == few


def test_the_pdfs_print_the_plan_and_the_job_description(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    version = factories.plan_competency("TST-01", "Đạo đức công vụ và liêm chính")
    plan = factories.plan(world.division_a, state="approved")
    position = factories.unit_position(plan, "VT-01", requirements=[(version, 4)])
    login_as("head")
    response = client.get(f"/positions/plans/{plan.id}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "ĐỀ ÁN VỊ TRÍ VIỆC LÀM" in text
    assert "Chuyên viên quản lý công chức" in text
    assert "Phòng Công chức" in text.replace("PHÒNG CÔNG CHỨC", "Phòng Công chức")
    response = client.get(f"/positions/{position.id}/job-description.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    for expected in (
        "Thẩm định hồ sơ nhóm 1",
        "Tờ trình thẩm định",
        "Đạo đức công vụ và liêm chính",
    ):
        assert expected in text
    assert "VT-01" in response.headers["Content-Disposition"]
