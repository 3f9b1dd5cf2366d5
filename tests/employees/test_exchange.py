"""Excel exchange: the template, an all-or-nothing import with a precise report, the export that
imports back unchanged, scope and sensitive columns, the command-line import."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from hrms.core.audit import AuditEntry
from hrms.employees import exchange
from hrms.employees.exchange import COLUMN_BY_FIELD, COLUMNS, SHEET
from hrms.employees.models import Employee
from hrms.extensions import db
from tests import factories
from tests.conftest import page_errors
from tests.factories import national_id_for

PROBLEM = re.compile(r"<tr[^>]*><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def header(name: str) -> str:
    return COLUMN_BY_FIELD[name].header


def workbook(rows: list[dict[str, Any]], fields: list[str] | None = None) -> bytes:
    """A sheet like the template's, filled in as a user would (a header row, then people)."""
    names = fields or [column.field for column in COLUMNS]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header(name) for name in names])
    for row in rows:
        sheet.append([row.get(name) for name in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(serial: int, **changes: Any) -> dict[str, Any]:
    born = changes.pop("born", dt.date(1992, 3, 14))
    sex = changes.pop("sex_code", "female")
    return {
        "national_id": national_id_for(sex, born, serial),
        "full_name": f"Phạm Thị Thu {chr(65 + serial % 26)}",
        "sex": "Nữ" if sex == "female" else "Nam",
        "date_of_birth": born.strftime("%d/%m/%Y"),
        "unit_id": "DIV-A",
        "kind": "Công chức",
        "ethnicity_code": "01",
        **changes,
    }


def send(client, content: bytes, *, dry_run: bool = False, name: str = "hoso.xlsx"):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post_form("/employees/import", data, content_type="multipart/form-data")


def problems(page_html: str) -> list[tuple[int, str, str]]:
    return [
        (int(row), html.unescape(column), html.unescape(message))
        for row, column, message in PROBLEM.findall(page_html)
    ]


def summary_numbers(page_html: str) -> list[int]:
    found = re.search(r'data-testid="import-summary">(.*?)</div>', page_html, re.S)
    assert found, page_html
    return [int(n) for n in re.findall(r"\d+", found.group(1))]


def say(app: Flask, message: Any) -> str:
    """A message as the pages show it (Vietnamese, the default language)."""
    with app.test_request_context():
        return str(message)


def employees() -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


def audit_entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


# Template ---------------------------------------------------------------------------------


def test_template_has_the_columns_and_the_codes_of_the_scope(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    response = client.get("/employees/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == exchange.XLSX_MIME
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Hồ sơ", "Mã hợp lệ"]
    sheet = book["Hồ sơ"]
    titles = [cell.value for cell in sheet[1]]
    assert titles == [column.header for column in COLUMNS]
    assert titles[:6] == [
        "Số định danh cá nhân (CCCD)",
        "Họ và tên",
        "Giới tính (Nam/Nữ)",
        "Ngày sinh (dd/mm/yyyy)",
        "Đơn vị (mã)",
        "Loại (Cán bộ/Công chức/Viên chức/Hợp đồng)",
    ]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width == COLUMN_BY_FIELD["full_name"].width
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {'"Nam,Nữ"', '"Cán bộ,Công chức,Viên chức,Hợp đồng"'}
    codes = [
        [c for c in row if c is not None] for row in book["Mã hợp lệ"].iter_rows(values_only=True)
    ]
    flat = {value for row in codes for value in row}
    assert {"DEP", "DIV-A", "TEAM-A", "DIV-B", "Phòng Công chức"} <= flat
    assert "OTHER" not in flat and "ROOT" not in flat  # units the officer may not import into
    assert {"Dân tộc", "Kinh", "Tôn giáo", "Tin học", "Nữ", "Viên chức"} <= flat


# Import -----------------------------------------------------------------------------------


def mixed_rows(world) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Row 2 good, 3 bad date, 4 short CCCD, 5 unknown unit, 6 unknown ethnicity, 7 and 8 the same
    CCCD, 9 someone outside the officer's scope, 10 an update of a person in scope."""
    twin = person(8)
    return [
        person(2),
        person(3, date_of_birth="31/02/1992"),
        person(4, national_id="0371920001"),
        person(5, unit_id="NOPE"),
        person(6, ethnicity_code="99"),
        twin,
        dict(twin, full_name="Phạm Thị Thu Khác"),
        {"national_id": world.outside.national_id, "phone": "0912000111"},
        {"national_id": world.in_team.national_id, "phone": "0912000222", "unit_id": "TEAM-A"},
    ]


def test_a_file_with_bad_rows_is_refused_whole_with_every_problem(  # type: ignore[no-untyped-def]
    app, client, world, login_as
) -> None:
    login_as("officer")
    before = (employees(), audit_entries())
    response = send(client, workbook(mixed_rows(world)))
    assert response.status_code == 422
    cccd = header("national_id")
    assert problems(response.text) == [
        (3, header("date_of_birth"), say(app, _l("Enter a valid date (dd/mm/yyyy)."))),
        (4, cccd, say(app, _l("The ID number must have exactly 12 digits."))),
        (5, header("unit_id"), say(app, _l("No unit has this code."))),
        (6, header("ethnicity_code"), say(app, _l("This code is not in the list."))),
        (7, cccd, say(app, _l("This ID number is also on row(s) %(rows)s of the file.", rows="8"))),
        (8, cccd, say(app, _l("This ID number is also on row(s) %(rows)s of the file.", rows="7"))),
        (9, cccd, say(app, _l("This ID number belongs to a dossier you may not change."))),
    ]
    assert summary_numbers(response.text) == [7, 7, 9]  # problems, rows in error, rows
    db.session.expire_all()
    assert (employees(), audit_entries()) == before
    assert db.session.get(Employee, world.in_team.id).phone is None


def test_the_fixed_file_imports_once(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    rows = mixed_rows(world)
    rows[1]["date_of_birth"] = "28/02/1992"
    rows[2]["national_id"] = national_id_for("female", dt.date(1992, 3, 14), 4)
    rows[3]["unit_id"] = "team-a"  # codes are matched ignoring case
    rows[4]["ethnicity_code"] = "Tày"  # a label is taken for its code
    del rows[6]  # the duplicate
    del rows[6]  # the person outside the scope
    before = (employees(), audit_entries())
    version = world.in_team.version
    response = send(client, workbook(rows))
    assert response.status_code == 200, problems(response.text)
    assert summary_numbers(response.text) == [6, 1, 0]  # created, updated, unchanged
    db.session.expire_all()
    assert employees() == before[0] + 6
    updated = db.session.get(Employee, world.in_team.id)
    assert updated.phone == "0912000222" and updated.version == version + 1
    created = db.session.scalars(select(Employee).where(Employee.full_name.like("Phạm Thị Thu%")))
    by_id = {e.national_id: e for e in created}
    fifth = by_id[national_id_for("female", dt.date(1992, 3, 14), 5)]
    assert fifth.unit_id == world.team_a.id
    assert by_id[national_id_for("female", dt.date(1992, 3, 14), 6)].ethnicity_code == "02"
    third = by_id[national_id_for("female", dt.date(1992, 3, 14), 3)]
    assert third.date_of_birth == dt.date(1992, 2, 28) and third.kind == "cong_chuc"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.id > 0)).all()
    new = [e for e in entries if e.object_type == "employees" and e.actor_name == "officer"]
    assert sorted(e.action for e in new) == ["create"] * 6 + ["employees.import", "update"]
    # the same file again: everyone exists now, nothing changes
    again = send(client, workbook(rows))
    assert again.status_code == 200 and summary_numbers(again.text) == [0, 0, 7]


def test_a_dry_run_checks_database_rules_and_writes_nothing(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    rows = [
        person(21, social_insurance_number="0123456789"),
        person(22, social_insurance_number="0123456789"),
        {"national_id": world.in_team.national_id, "phone": "0912000333"},
    ]
    before = (employees(), audit_entries())
    refused = send(client, workbook(rows), dry_run=True)
    assert refused.status_code == 422
    assert problems(refused.text) == [
        (
            3,
            header("social_insurance_number"),
            say(app, _l("Another dossier already has this social-insurance number.")),
        )
    ]
    rows[1]["social_insurance_number"] = "0123456788"
    checked = send(client, workbook(rows), dry_run=True)
    assert checked.status_code == 200
    assert summary_numbers(checked.text) == [2, 1, 0]  # to create, to update, unchanged
    db.session.expire_all()
    assert (employees(), audit_entries()) == before
    assert db.session.get(Employee, world.in_team.id).phone is None


@pytest.mark.usefixtures("service_context")
def test_cells_are_read_as_people_type_them(world) -> None:  # type: ignore[no-untyped-def]
    """Excel dates and dd/mm/yyyy text, a CCCD typed as a number (leading zero lost), labels."""
    born = dt.date(1985, 11, 2)
    national_id = national_id_for("male", born, 31)
    content = workbook(
        [
            {
                "national_id": int(national_id),
                "full_name": "  Vi Văn   Thắng ",
                "sex": "nam",
                "date_of_birth": dt.datetime(1985, 11, 2, tzinfo=None),  # noqa: DTZ001 (Excel's)
                "unit_id": "DIV-B",
                "kind": "vien chuc",
                "ethnicity_code": 1,
                "national_id_issued_on": "15/06/2021",
                "phone": 912345678,
            }
        ]
    )
    sheet = exchange.read_workbook(content, 10**6)
    report = exchange.import_rows(world.users["officer"], sheet, dry_run=False)
    assert report.problems == [] and report.created == 1
    employee = db.session.scalar(select(Employee).where(Employee.national_id == national_id))
    assert (employee.full_name, employee.sex, employee.kind) == (
        "Vi Văn Thắng",
        "male",
        "vien_chuc",
    )
    assert (employee.date_of_birth, employee.national_id_issued_on) == (born, dt.date(2021, 6, 15))
    assert (employee.ethnicity_code, employee.phone) == ("01", "0912345678")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "anh.xlsx"),
        (b"Ho va ten;CCCD\nNguyen Van A;037190000001\n", "hoso.xlsx"),
        (b"", "hoso.xlsx"),
        (None, "archive.xlsx"),  # a zip that is not a workbook
    ],
)
def test_what_is_not_a_workbook_is_refused_beside_the_field(  # type: ignore[no-untyped-def]
    client, world, login_as, content, name
) -> None:
    login_as("officer")
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "xin chào")
        content = buffer.getvalue()
    before = employees()
    response = send(client, content, name=name)
    assert response.status_code == 422
    assert len(page_errors(response.text)) == 1
    assert 'data-field-error="file"' in response.text
    assert employees() == before


def test_posting_without_a_file_or_with_a_sheet_without_the_id_column(  # type: ignore[no-untyped-def]
    client, world, login_as
) -> None:
    login_as("officer")
    empty = client.post_form("/employees/import", {})
    assert empty.status_code == 422 and len(page_errors(empty.text)) == 1
    no_id = send(client, workbook([{"full_name": "Lê Văn Tám"}], fields=["full_name"]))
    assert no_id.status_code == 422
    assert "Số định danh cá nhân (CCCD)" in html.unescape(" ".join(page_errors(no_id.text)))


def test_the_import_page_is_for_editors(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("head")
    assert client.get("/employees/import").status_code == 403
    assert client.get("/employees/").text.count('data-testid="import-link"') == 0
    login_as("officer")
    page = client.get("/employees/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    listing = client.get("/employees/?kind=cong_chuc")
    assert 'href="/employees/export.xlsx?kind=cong_chuc"' in listing.text
    assert 'data-testid="import-link"' in listing.text


# Export -----------------------------------------------------------------------------------


def exported(client, query: str = "") -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = client.get(f"/employees/export.xlsx{query}")
    assert response.status_code == 200
    assert response.mimetype == exchange.XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.data), read_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_imports_back_unchanged(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    response = client.get("/employees/export.xlsx")
    rows = exported(client)
    assert sorted(r["Họ và tên"] for r in rows) == [
        "Hoàng Minh Tâm",
        "Lê Thị Ngọc Ánh",
        "Nguyễn Văn Ân",
    ]
    an = next(r for r in rows if r["Họ và tên"] == "Nguyễn Văn Ân")
    assert an[header("national_id")] == world.in_team.national_id
    assert (an["Giới tính (Nam/Nữ)"], an["Đơn vị (mã)"], an["Tên đơn vị"]) == (
        "Nam",
        "TEAM-A",
        "Tổ Hồ sơ",
    )
    assert an[header("date_of_birth")] == dt.datetime(1990, 5, 17)  # noqa: DTZ001
    assert an["Trạng thái"] == "Đang làm việc"
    before = (employees(), audit_entries())
    again = send(client, response.data)
    assert again.status_code == 200, problems(again.text)
    assert summary_numbers(again.text) == [0, 0, 3]
    db.session.expire_all()
    assert employees() == before[0]
    assert audit_entries() == before[1] + 1  # the import event only: no dossier changed
    # edit one cell of the export: only that person changes
    book = load_workbook(io.BytesIO(response.data))
    sheet = book[SHEET]
    phone = [c.value for c in sheet[1]].index(header("phone")) + 1
    name = [c.value for c in sheet[1]].index("Họ và tên") + 1
    line = next(r for r in range(2, 5) if sheet.cell(r, name).value == "Hoàng Minh Tâm")
    sheet.cell(line, phone).value = "0987654321"
    buffer = io.BytesIO()
    book.save(buffer)
    edited = send(client, buffer.getvalue())
    assert edited.status_code == 200 and summary_numbers(edited.text) == [0, 1, 2]
    assert db.session.get(Employee, world.in_b.id).phone == "0987654321"


def test_export_follows_the_filters_the_scope_and_hides_sensitive_columns(  # type: ignore[no-untyped-def]
    client, world, login_as
) -> None:
    login_as("officer")
    assert [r["Họ và tên"] for r in exported(client, "?q=nguyen+van")] == ["Nguyễn Văn Ân"]
    login_as("head")
    rows = exported(client)
    assert sorted(r["Họ và tên"] for r in rows) == ["Lê Thị Ngọc Ánh", "Nguyễn Văn Ân"]
    for row in rows:
        for column in COLUMNS:
            if column.sensitive:
                assert row[column.header] is None, column.header
        assert row["Giới tính (Nam/Nữ)"] and row[header("date_of_birth")]
    login_as("staff")
    assert client.get("/employees/export.xlsx").status_code == 403
    login_as("officer")
    assert client.get("/employees/export.xlsx?age_from=abc").status_code == 422


def test_export_costs_the_same_queries_at_any_size(client, world, login_as, count_queries) -> None:  # type: ignore[no-untyped-def]
    def add(count: int, start: int) -> None:
        for index in range(count):
            factories.EmployeeFactory(
                unit=world.division_b,
                national_id=national_id_for("female", dt.date(1990, 5, 17), 700 + start + index),
                ethnicity_code="01",
            )

    login_as("officer")
    client.get("/employees/export.xlsx")  # warm: the first request loads the account
    add(2, 0)  # 5 people in the officer's scope
    with count_queries() as small:
        assert len(exported(client)) == 5
    add(45, 10)
    with count_queries() as large:
        assert len(exported(client)) == 50
    assert large.n == small.n, large.statements


# Command line -----------------------------------------------------------------------------


def test_command_line_import(app, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    path = tmp_path / "hoso.xlsx"
    path.write_bytes(workbook([person(41), person(42, unit_id="OTHER")]))
    before = (employees(), audit_entries())

    as_officer = runner.invoke(args=["import-dossiers", str(path), "--actor", "officer"])
    assert as_officer.exit_code != 0
    assert "row 3, Đơn vị (mã):" in as_officer.output
    dry = runner.invoke(args=["import-dossiers", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 to create" in dry.output and "nothing was saved" in dry.output
    assert (employees(), audit_entries()) == before

    done = runner.invoke(args=["import-dossiers", str(path)])
    assert done.exit_code == 0, done.output
    assert employees() == before[0] + 2
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == "employees", AuditEntry.id > 0)
        .order_by(AuditEntry.id.desc())
        .where(AuditEntry.action == "create")
    )
    assert entry.actor_name == "import-dossiers"

    path.write_bytes(workbook([person(43)]))
    officer = runner.invoke(args=["import-dossiers", str(path), "--actor", "officer"])
    assert officer.exit_code == 0, officer.output
    created = db.session.scalar(
        select(Employee).where(
            Employee.national_id == national_id_for("female", dt.date(1992, 3, 14), 43)
        )
    )
    assert created.unit_id == world.division_a.id
    nobody = runner.invoke(args=["import-dossiers", str(path), "--actor", "ghost"])
    assert nobody.exit_code != 0 and "ghost" in nobody.output
    not_excel = tmp_path / "ghi-chu.xlsx"
    not_excel.write_bytes(b"not a workbook")
    refused = runner.invoke(args=["import-dossiers", str(not_excel)])
    assert refused.exit_code != 0
