"""Excel exchange of a plan: the export's sheets with Vietnamese headers, read back into a
draft; a dry run saves nothing; a file with any bad row saves nothing and says where and why."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from sqlalchemy import select

from hrms.core.audit import AuditEntry
from hrms.extensions import db
from positions.models import PositionPlan, UnitPosition
from tests.positions import factories

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send(client: Any, plan: PositionPlan, content: bytes, *, dry_run: bool = False) -> Any:
    data: dict[str, Any] = {"file": (io.BytesIO(content), "de-an.xlsx")}
    if dry_run:
        data["dry_run"] = "y"
    return client.post_form(
        f"/positions/plans/{plan.id}/import", data, content_type="multipart/form-data"
    )


def book(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


POSITIONS = [
    "Mã vị trí",
    "Tên vị trí việc làm",
    "Nhóm vị trí",
    "Ngạch tương ứng",
    "Số lượng người làm việc",
    "Mục tiêu vị trí việc làm",
]
TASKS = [
    "Mã vị trí",
    "STT nhiệm vụ",
    "Nhiệm vụ",
    "Sản phẩm đầu ra",
    "Đơn vị tính",
    "Hệ số quy đổi",
    "Số lượng/tháng",
]
LEVELS = ["Mã vị trí", "Mã năng lực", "Mức độ yêu cầu (1-5)"]


def say(app: Any, message: str) -> str:
    """A message as the pages show it (in the default language)."""
    from flask_babel import gettext
    from markupsafe import escape

    with app.test_request_context():
        return str(escape(gettext(message)))


def positions(plan: PositionPlan) -> list[UnitPosition]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(UnitPosition).filter_by(plan_id=plan.id).order_by(UnitPosition.code)
        )
    )


def test_export_and_import_back_into_a_new_version(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    version = factories.plan_competency("TST-01", "Đạo đức công vụ")
    first = factories.plan(world.division_a, state="approved")
    factories.unit_position(first, "VT-01", requirements=[(version, 3)], tasks=2)
    factories.unit_position(first, "VT-02", "Văn thư", headcount=1, rank_codes="")
    login_as("officer")
    exported = client.get(f"/positions/plans/{first.id}/export.xlsx")
    assert exported.status_code == 200
    assert exported.mimetype == XLSX
    workbook = load_workbook(io.BytesIO(exported.data))
    assert workbook.sheetnames == ["Vị trí", "Nhiệm vụ", "Năng lực", "Tỷ lệ ngạch"]
    main = list(workbook["Vị trí"].values)
    assert main[0][:5] == (
        "Mã vị trí",
        "Tên vị trí việc làm",
        "Nhóm vị trí",
        "Ngạch tương ứng (mã, cách nhau bởi dấu phẩy)",
        "Số lượng người làm việc",
    )
    assert main[1][:5] == (
        "VT-01",
        "Chuyên viên quản lý công chức",
        "Chuyên môn, nghiệp vụ",
        "01.003, 01.002",
        2,
    )
    tasks = list(workbook["Nhiệm vụ"].values)
    assert tasks[1] == (
        "VT-01",
        1,
        "Thẩm định hồ sơ nhóm 1",
        "Tờ trình thẩm định",
        "hồ sơ",
        1.5,
        10,
    )
    assert list(workbook["Năng lực"].values)[1] == ("VT-01", "TST-01", "Đạo đức công vụ", 3)
    assert list(workbook["Tỷ lệ ngạch"].values)[1] == ("VT-01", "01.003", 50)

    # into an empty draft of another unit: the same positions come back
    login_as("admin")
    draft = factories.plan(world.division_b)
    checked = send(client, draft, exported.data, dry_run=True)
    assert checked.status_code == 200
    assert 'data-testid="import-summary"' in checked.text
    assert positions(draft) == []
    saved = send(client, draft, exported.data)
    assert saved.status_code == 302
    copied = positions(draft)
    assert [p.code for p in copied] == ["VT-01", "VT-02"]
    vt1 = copied[0]
    assert vt1.rank_list == ["01.003", "01.002"]
    assert vt1.qualities == "Trung thực, cẩn thận"
    assert [(t.ordinal, t.description) for t in vt1.tasks] == [
        (1, "Thẩm định hồ sơ nhóm 1"),
        (2, "Thẩm định hồ sơ nhóm 2"),
    ]
    assert [str(o.conversion_factor) for o in vt1.tasks[0].outputs] == ["1.50"]
    assert [(r.competency_version_id, r.level) for r in vt1.requirements] == [(version.id, 3)]
    assert [(limit.rank_code, limit.max_percent) for limit in vt1.rank_limits] == [("01.003", 50)]

    audit = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "positions.plan_import")
    ).one()
    assert audit.subject == f"position_plans:{draft.id}"

    # again: the same codes are replaced, not added twice
    assert send(client, draft, exported.data).status_code == 302
    assert [p.code for p in positions(draft)] == ["VT-01", "VT-02"]


def test_a_bad_row_saves_nothing_and_says_where(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    factories.plan_competency("TST-01", "Đạo đức công vụ")
    plan = factories.plan(world.division_a)
    login_as("head")
    content = book(
        {
            "Vị trí": [
                POSITIONS,
                ["VT-01", "Chuyên viên", "Chuyên môn, nghiệp vụ", "01.003", 2, "Mục tiêu"],
                ["VT-02", "Văn thư", "Nhóm lạ", "", -1, None],
                ["VT-01", "Trùng mã", "Hỗ trợ, phục vụ", "", 1, None],
            ],
            "Nhiệm vụ": [
                TASKS,
                ["VT-01", 1, "Thẩm định", "Tờ trình", "hồ sơ", 0, 5],
                ["VT-99", 1, "Không thuộc vị trí nào", None, None, None, None],
            ],
            "Năng lực": [LEVELS, ["VT-01", "TST-01", 7], ["VT-01", "KHONG-CO", 2]],
        }
    )
    refused = send(client, plan, content)
    assert refused.status_code == 422
    problems = refused.text.split('data-testid="import-problems"')[1]
    rows = [
        [cell.strip() for cell in row.split("</td>")[:4]]
        for row in problems.split('<tr data-testid="problem">')[1:]
    ]
    located = {
        (r[0].removeprefix("<td>"), r[1].removeprefix("<td>"), r[2].removeprefix("<td>"))
        for r in rows
    }
    assert ("Vị trí", "3", "Nhóm vị trí") in located
    assert ("Vị trí", "3", "Số lượng người làm việc") in located
    assert ("Vị trí", "4", "Mã vị trí") in located
    assert ("Nhiệm vụ", "2", "Hệ số quy đổi") in located
    assert ("Nhiệm vụ", "3", "Mã vị trí") in located
    assert ("Năng lực", "2", "Mức độ yêu cầu (1-5)") in located
    assert ("Năng lực", "3", "Mã năng lực") in located
    assert positions(plan) == []


def test_only_a_draft_takes_an_import_and_only_its_drafters(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    approved = factories.plan(world.division_a, state="approved")
    content = book({"Vị trí": [POSITIONS, ["VT-05", "Lưu trữ", "Hỗ trợ, phục vụ", "", 1, None]]})
    login_as("head")
    refused = send(client, approved, content)
    assert refused.status_code == 422
    assert say(app, "Positions can be imported only into a draft plan.") in refused.text
    assert positions(approved) == []
    not_a_workbook = client.post_form(
        f"/positions/plans/{approved.id}/import",
        {"file": (io.BytesIO(b"ma,ten\n"), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert not_a_workbook.status_code == 422
    assert say(app, "This file is not an Excel workbook (.xlsx).") in not_a_workbook.text
    outside = factories.plan(world.other_department)
    assert send(client, outside, content).status_code == 404
    login_as("officer")
    assert send(client, factories.plan(world.division_b), content).status_code == 403
