"""The framework catalogue: list and search, create and edit with tasks and levels, withdraw, the
Excel template, export and all-or-nothing import, the API."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from flask import Flask
from flask_babel import gettext
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from hrms.extensions import db
from positions import exchange, queries
from positions.models import (
    Competency,
    FrameworkPosition,
    FrameworkRequirement,
    FrameworkTask,
)
from tests.conftest import issue_token, page_errors
from tests.positions import factories

PROBLEM = re.compile(r"<tr[^>]*>" + r"<td>([^<]*)</td>" * 4 + r"</tr>")


def say(app: Flask, message: Any) -> str:
    with app.test_request_context():
        return str(gettext(message))


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def counts() -> tuple[int, int, int]:
    return count(FrameworkPosition), count(FrameworkTask), count(FrameworkRequirement)


def competency_id(code: str) -> int:
    return int(db.session.scalar(select(Competency.id).where(Competency.code == code)))


def by_code(code: str) -> FrameworkPosition:
    found = queries.framework_position_by_code(code)
    assert found is not None
    return found


def position_form(**changes: Any) -> dict[str, Any]:
    """A filled-in catalogue form: two tasks, two required levels."""
    return {
        "code": "vt-cm-20",
        "group": "professional",
        "title": "Chuyên viên về quản lý văn thư, lưu trữ",
        "rank_codes": "01.003; 01.002",
        "objective": "Tham mưu quản lý nhà nước về văn thư, lưu trữ.",
        "source": "Nghị định 361/2025/NĐ-CP",
        "tasks-0-description": "Hướng dẫn nghiệp vụ văn thư",
        "tasks-0-output_name": "Văn bản hướng dẫn",
        "tasks-0-unit_of_measure": "văn bản",
        "tasks-1-description": "",
        "tasks-2-description": "Kiểm tra công tác lưu trữ",
        "tasks-2-output_name": "Báo cáo kiểm tra",
        "tasks-2-unit_of_measure": "báo cáo",
        "requirements-0-competency_id": str(competency_id("CHUNG-01")),
        "requirements-0-level": "3",
        "requirements-1-competency_id": str(competency_id("CM-08")),
        "requirements-1-level": "4",
        "requirements-2-competency_id": str(competency_id("CHUNG-02")),
        "requirements-2-level": "",
        **changes,
    }


def api(client, world, role: str, url: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    return client.application.test_client(use_cookies=False).get(url, headers=headers)


# List and show -------------------------------------------------------------------------------


def test_list_by_group_and_search_ignoring_accents(client, world, login_as, count_queries) -> None:  # type: ignore[no-untyped-def]
    login_as("head")
    with count_queries() as counted:
        page = client.get("/positions/catalogue/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count('data-testid="catalogue-row"') == 23
    assert 'data-testid="new-position"' not in text  # heads read, admins change
    factories.catalogue_entry("VT-CM-90", "Chuyên viên thống kê")
    factories.catalogue_entry("VT-CM-91", "Chuyên viên dự báo")
    with count_queries() as again:
        assert client.get("/positions/catalogue/").status_code == 200
    assert again.n == counted.n  # no query per row

    support = client.get("/positions/catalogue/?group=support").get_data(as_text=True)
    assert support.count('data-testid="catalogue-row"') == 3 and "Nhân viên lái xe" in support
    found = client.get("/positions/catalogue/?q=CHUYEN VIEN VE TO CHUC").get_data(as_text=True)
    assert found.count('data-testid="catalogue-row"') == 1
    assert "Chuyên viên về tổ chức bộ máy, vị trí việc làm và biên chế" in found
    nothing = client.get("/positions/catalogue/?q=khong co&group=leadership")
    assert 'data-testid="empty"' in nothing.get_data(as_text=True)
    bad = client.get("/positions/catalogue/?group=bosses")
    assert bad.status_code == 422 and len(page_errors(bad.get_data(as_text=True))) == 1

    login_as("staff")
    assert client.get("/positions/catalogue/").status_code == 403


def test_show_lists_tasks_and_levels_with_the_wording_in_force(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    position = by_code("VT-DC-05")
    page = client.get(f"/positions/catalogue/{position.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Văn thư viên" in text and "02.007" in text
    assert all(html.escape(task.description) in text for task in position.tasks)
    assert "Văn thư, lưu trữ" in text  # a required competency by its name in force
    assert client.get("/positions/catalogue/987654").status_code == 404


# Create, edit, withdraw ----------------------------------------------------------------------


def test_admin_creates_a_position_with_tasks_and_levels(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    form = client.get("/positions/catalogue/new")
    assert form.status_code == 200
    assert form.get_data(as_text=True).count('name="requirements-') >= 2 * 21
    response = client.post_form("/positions/catalogue/new", position_form())
    assert response.status_code == 302
    created = by_code("VT-CM-20")
    assert created.grp == "professional" and created.rank_list == ["01.003", "01.002"]
    assert [(t.ordinal, t.description, t.output_name) for t in created.tasks] == [
        (1, "Hướng dẫn nghiệp vụ văn thư", "Văn bản hướng dẫn"),
        (2, "Kiểm tra công tác lưu trữ", "Báo cáo kiểm tra"),
    ]
    assert {r.competency_id: r.level for r in created.requirements} == {
        competency_id("CHUNG-01"): 3,
        competency_id("CM-08"): 4,
    }


def test_bad_positions_are_refused_beside_the_field_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    app, client, world, login_as
) -> None:
    login_as("admin")
    before = counts()
    level = client.post_form(
        "/positions/catalogue/new", position_form(**{"requirements-1-level": "6"})
    )
    assert level.status_code == 422
    text = level.get_data(as_text=True)
    assert page_errors(text) == [say(app, "Choose a level from 1 (lowest) to 5 (highest).")]
    assert 'data-field-error="requirements-1-level"' in text
    taken = client.post_form("/positions/catalogue/new", position_form(code="VT-LD-01"))
    assert taken.status_code == 422
    assert page_errors(taken.get_data(as_text=True)) == [
        say(app, "Another catalogue position already has this code.")
    ]
    ranks = client.post_form(
        "/positions/catalogue/new", position_form(rank_codes="01.003, hạng 2", group="x", title="")
    )
    assert ranks.status_code == 422
    assert len(page_errors(ranks.get_data(as_text=True))) == 3
    no_description = client.post_form(
        "/positions/catalogue/new", position_form(**{"tasks-0-description": ""})
    )
    assert no_description.status_code == 422
    assert 'data-field-error="tasks-0-description"' in no_description.get_data(as_text=True)
    retired = factories.plan_competency("CM-77", "Đã bỏ", family="professional", active=False)
    old = client.post_form(
        "/positions/catalogue/new",
        position_form(**{"requirements-1-competency_id": str(retired.competency_id)}),
    )
    assert old.status_code == 422
    assert page_errors(old.get_data(as_text=True)) == [
        say(app, "This competency is retired: new requirements may not use it.")
    ]
    assert counts() == before
    login_as("officer")
    assert client.post_form("/positions/catalogue/new", position_form()).status_code == 403
    assert counts() == before


def test_edit_replaces_tasks_and_levels_and_a_stale_form_is_a_conflict(  # type: ignore[no-untyped-def]
    client, world, login_as
) -> None:
    general = factories.plan_competency("CM-60", "Lưu trữ số", family="professional")
    position = factories.catalogue_entry("VT-CM-60", requirements=[(general, 2)])
    login_as("admin")
    form = client.get(f"/positions/catalogue/{position.id}/edit")
    assert form.status_code == 200
    stamp = re.search(r'name="stamp"[^>]*value="([^"]+)"', form.get_data(as_text=True))
    assert stamp is not None
    data = position_form(
        code="VT-CM-60",
        title="Chuyên viên lưu trữ số",
        stamp=html.unescape(stamp.group(1)),
        **{
            "requirements-2-competency_id": str(general.competency_id),
            "requirements-2-level": "5",
        },
    )
    saved = client.post_form(f"/positions/catalogue/{position.id}/edit", data)
    assert saved.status_code == 302
    db.session.expire_all()
    changed = by_code("VT-CM-60")
    assert changed.title == "Chuyên viên lưu trữ số"
    assert [t.description for t in changed.tasks] == [
        "Hướng dẫn nghiệp vụ văn thư",
        "Kiểm tra công tác lưu trữ",
    ]
    assert {r.competency_id: r.level for r in changed.requirements} == {
        competency_id("CHUNG-01"): 3,
        competency_id("CM-08"): 4,
        general.competency_id: 5,
    }
    # the same (now stale) form again: refused, nothing changed
    stale = client.post_form(
        f"/positions/catalogue/{position.id}/edit", data | {"title": "Tên khác"}
    )
    assert stale.status_code == 409
    db.session.expire_all()
    assert by_code("VT-CM-60").title == "Chuyên viên lưu trữ số"
    assert client.get("/positions/catalogue/987654/edit").status_code == 404


def test_withdraw_and_offer_again(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    position = factories.catalogue_entry("VT-HT-50", "Nhân viên kỹ thuật")
    url = f"/positions/catalogue/{position.id}/active"
    login_as("officer")
    assert client.post_form(url, {"active": "false"}).status_code == 403
    login_as("admin")
    assert client.post_form(url, {"active": "false"}).status_code == 302
    db.session.expire_all()
    assert not by_code("VT-HT-50").active
    assert "VT-HT-50" not in [p.code for p in queries.catalogue_choices()]
    assert client.post_form(url, {"active": "true"}).status_code == 302
    db.session.expire_all()
    assert by_code("VT-HT-50").active


# Excel ---------------------------------------------------------------------------------------


def book(
    positions: list[list[Any]],
    tasks: list[list[Any]] = (),  # type: ignore[assignment]
    requirements: list[list[Any]] = (),  # type: ignore[assignment]
) -> bytes:
    """A workbook like the template, filled in as a user would."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, columns, rows in (
        (exchange.POSITIONS_SHEET, exchange.POSITION_COLUMNS, positions),
        (exchange.TASKS_SHEET, exchange.TASK_COLUMNS, tasks),
        (exchange.REQUIREMENTS_SHEET, exchange.REQUIREMENT_COLUMNS, requirements),
    ):
        sheet = workbook.create_sheet(name)
        sheet.append([column.header for column in columns])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def send(client, content: bytes, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"file": (io.BytesIO(content), "danh-muc.xlsx")}
    if dry_run:
        data["dry_run"] = "y"
    return client.post_form("/positions/catalogue/import", data, content_type="multipart/form-data")


def problems(page: str) -> list[tuple[str, str, str, str]]:
    return [
        tuple(html.unescape(cell) for cell in found)  # type: ignore[misc]
        for found in PROBLEM.findall(page)
    ]


NEW = [
    [
        "VT-CM-30",
        "Chuyên môn, nghiệp vụ",
        "Chuyên viên về thanh tra",
        "01.003, 01.002",
        "Tham mưu công tác thanh tra.",
        None,
    ],
    ["VT-HT-30", "Hỗ trợ, phục vụ", "Nhân viên tạp vụ", 1.005, None, None],
]
NEW_TASKS = [
    ["VT-CM-30", "Thanh tra hành chính", "Kết luận thanh tra", "kết luận"],
    ["VT-CM-30", "Tiếp công dân", "Sổ tiếp công dân", "lượt"],
    ["VT-HT-30", "Vệ sinh trụ sở", None, None],
]
NEW_LEVELS = [["VT-CM-30", "CHUNG-01", 4], ["VT-CM-30", "cm-03", 3], ["VT-HT-30", "CHUNG-04", 2]]


def test_template_and_export_read_back_unchanged(  # type: ignore[no-untyped-def]
    client, world, login_as, count_queries
) -> None:
    login_as("admin")
    template = client.get("/positions/catalogue/import/template.xlsx")
    assert template.status_code == 200 and template.mimetype == exchange.XLSX_MIME
    sheets = load_workbook(io.BytesIO(template.data))
    assert sheets.sheetnames == ["Vị trí", "Nhiệm vụ", "Năng lực", "Danh mục năng lực"]
    assert [c.value for c in sheets["Vị trí"][1]] == [c.header for c in exchange.POSITION_COLUMNS]
    assert sheets["Vị trí"].max_row == 1
    assert sheets["Danh mục năng lực"].max_row == 22  # the header and the 21 competencies

    login_as("officer")
    with count_queries() as few:
        export = client.get("/positions/catalogue/export.xlsx?group=leadership")
    assert export.status_code == 200
    with count_queries() as many:
        assert client.get("/positions/catalogue/export.xlsx").status_code == 200
    assert many.n == few.n  # 6 or 23 positions: the same queries
    exported = load_workbook(io.BytesIO(export.data))
    assert [row[0].value for row in exported["Vị trí"].iter_rows(min_row=2)] == [
        f"VT-LD-0{n}" for n in range(1, 7)
    ]
    assert exported["Vị trí"]["B2"].value == "Lãnh đạo, quản lý"
    assert exported["Nhiệm vụ"].max_row == 1 + 27 and exported["Năng lực"].max_row == 1 + 83

    login_as("admin")
    before = counts()
    again = send(client, export.data)
    assert again.status_code == 200
    assert counts() == before
    summary = re.search(
        r'data-testid="import-summary">(.*?)</div>', again.get_data(as_text=True), re.S
    )
    assert summary is not None
    assert [int(n) for n in re.findall(r"\d+", summary.group(1))] == [0, 0, 6]


def test_import_dry_run_then_commit(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    before = counts()
    content = book(NEW, NEW_TASKS, NEW_LEVELS)
    checked = send(client, content, dry_run=True)
    assert checked.status_code == 200
    assert counts() == before  # a dry run saves nothing
    done = send(client, content)
    assert done.status_code == 200
    assert counts() == (before[0] + 2, before[1] + 3, before[2] + 3)
    inspector = by_code("VT-CM-30")
    assert inspector.rank_list == ["01.003", "01.002"]
    assert [t.description for t in inspector.tasks] == ["Thanh tra hành chính", "Tiếp công dân"]
    assert {r.competency_id: r.level for r in inspector.requirements} == {
        competency_id("CHUNG-01"): 4,
        competency_id("CM-03"): 3,
    }
    cleaner = by_code("VT-HT-30")
    assert cleaner.grp == "support" and cleaner.rank_list == ["01.005"]  # a number Excel made

    # the same code again with a new title only: updated, its tasks and levels kept
    changed = send(client, book([["VT-CM-30", "professional", "Thanh tra viên", "01.003"]]))
    assert changed.status_code == 200
    db.session.expire_all()
    inspector = by_code("VT-CM-30")
    assert inspector.title == "Thanh tra viên" and len(inspector.tasks) == 2
    assert len(inspector.requirements) == 2


def test_a_bad_row_saves_nothing_and_every_problem_is_reported(  # type: ignore[no-untyped-def]
    app, client, world, login_as
) -> None:
    login_as("admin")
    before = counts()
    content = book(
        [*NEW, ["VT-CM-31", "Nhóm lạ", "", "01.003"], ["VT-CM-30", "support", "Trùng", "01.005"]],
        [*NEW_TASKS, ["VT-XX-99", "Không thuộc vị trí nào", None, None]],
        [*NEW_LEVELS, ["VT-HT-30", "CHUNG-99", 2], ["VT-CM-30", "CHUNG-02", 7]],
    )
    refused = send(client, content)
    assert refused.status_code == 422
    found = problems(refused.get_data(as_text=True))
    also = say(app, "This code is also on row(s) %(rows)s of the sheet.")
    assert found == [
        ("Vị trí", "2", "Mã vị trí", also % {"rows": "5"}),
        ("Vị trí", "4", "Nhóm vị trí", say(app, "Choose one of the listed values.")),
        ("Vị trí", "4", "Tên vị trí việc làm", say(app, "This field is required.")),
        ("Vị trí", "5", "Mã vị trí", also % {"rows": "2"}),
        (
            "Nhiệm vụ",
            "5",
            "Mã vị trí",
            say(app, 'No position has this code in the sheet "%(sheet)s".') % {"sheet": "Vị trí"},
        ),
        (
            "Năng lực",
            "5",
            "Mã năng lực",
            say(app, "No competency of the dictionary has this code."),
        ),
        (
            "Năng lực",
            "6",
            "Mức độ yêu cầu (1-5)",
            say(app, "Choose a level from 1 (lowest) to 5 (highest)."),
        ),
    ]
    assert counts() == before  # the good rows were not kept either
    assert queries.framework_position_by_code("VT-HT-30") is None


def test_files_that_are_no_workbook_are_refused(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    empty = client.post_form("/positions/catalogue/import", {})
    assert empty.status_code == 422
    assert page_errors(empty.get_data(as_text=True)) == [
        say(app, "Choose the Excel file to import.")
    ]
    text = send(client, b"ma,ten\nVT,abc\n")
    assert text.status_code == 422
    assert page_errors(text.get_data(as_text=True)) == [
        say(app, "This file is not an Excel workbook (.xlsx).")
    ]
    workbook = Workbook()
    workbook.active.title = "Khác"
    buffer = io.BytesIO()
    workbook.save(buffer)
    wrong = send(client, buffer.getvalue())
    assert wrong.status_code == 422 and len(page_errors(wrong.get_data(as_text=True))) == 1
    login_as("head")
    assert send(client, book(NEW)).status_code == 403


# API -----------------------------------------------------------------------------------------


def test_api_lists_and_shows_catalogue_positions(client, world) -> None:  # type: ignore[no-untyped-def]
    listed = api(client, world, "head", "/api/v1/framework-positions?group=shared_professional")
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["total"] == 7
    assert body["items"][0]["code"] == "VT-DC-01"
    assert body["items"][0]["rank_codes"] == ["01.003", "01.002"]
    search = api(client, world, "officer", "/api/v1/framework-positions?q=van thu")
    assert {item["code"] for item in search.get_json()["items"]} == {"VT-DC-05"}
    bad = api(client, world, "officer", "/api/v1/framework-positions?group=x")
    assert bad.status_code == 422
    position = by_code("VT-DC-05")
    shown = api(client, world, "officer", f"/api/v1/framework-positions/{position.id}")
    assert shown.status_code == 200
    detail = shown.get_json()
    assert detail["title"] == "Văn thư viên" and len(detail["tasks"]) == 4
    first = detail["requirements"][0]
    assert first["competency_code"] == "CHUNG-01" and 1 <= first["level"] <= 5
    assert first["version_in_force"]["number"] == 1
    assert (
        api(client, world, "staff", f"/api/v1/framework-positions/{position.id}").status_code == 403
    )
    assert api(client, world, "officer", "/api/v1/framework-positions/987654").status_code == 404
