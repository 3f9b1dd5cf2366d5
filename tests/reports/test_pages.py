"""The dashboard page, its Excel tables, and the statistical report as .xlsx and PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from hrms.reports import exchange, queries
from tests.reports.conftest import Population, expected


@pytest.fixture
def officer(client: Any, login_as: Any, population: Population) -> Any:
    login_as("officer")
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def test_the_dashboard_shows_a_chart_beside_each_table(officer: Any) -> None:
    response = officer.get("/reports/?as_of=30/06/2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'data-testid="headcount">8<', html)
    for name in queries.HEADCOUNT_TABLES:
        assert f'data-testid="table-{name}"' in html
        assert f'href="/reports/tables/{name}.xlsx?' in html
    assert html.count("<svg") == len(queries.HEADCOUNT_TABLES)
    assert "style=" not in html.split("<main", 1)[-1]  # the content security policy
    assert "Statistics" in html and 'href="/reports/"' in html  # in the navigation


def test_the_navigation_offers_statistics_only_with_the_permission(
    client: Any, login_as: Any, population: Population
) -> None:
    login_as("staff")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/reports/"' not in html
    assert client.get("/reports/").status_code == 403


def test_a_unit_outside_the_scope_is_not_found(officer: Any, population: Population) -> None:
    other = population.world.other_department.id
    assert officer.get(f"/reports/?unit_id={other}").status_code == 404
    assert officer.get(f"/reports/personnel.xlsx?unit_id={other}").status_code == 404
    assert officer.get(f"/reports/tables/kind.xlsx?unit_id={other}").status_code == 404
    assert officer.get("/reports/tables/salaries.xlsx").status_code == 404


def test_a_bad_date_is_refused_with_its_message(officer: Any) -> None:
    response = officer.get("/reports/?as_of=32/13/2026")
    assert response.status_code == 422
    assert "Enter a valid date (dd/mm/yyyy)." in response.get_data(as_text=True)


def _sheet_lines(sheet: Any) -> tuple[list[Any], list[list[Any]], list[Any]]:
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[2], rows[3:-1], rows[-1]


def test_a_dashboard_table_downloads_as_a_workbook(officer: Any, population: Population) -> None:
    response = officer.get("/reports/tables/sex.xlsx?as_of=2026-06-30")
    assert response.status_code == 200
    assert response.mimetype == exchange.XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, lines, total = _sheet_lines(sheet)
    assert header[:3] == ["STT", "Giới tính", "Tổng số"]
    assert {line[1]: line[2] for line in lines} == {"Nam": 3, "Nữ": 5}
    assert total[1] == "Tổng cộng" and total[2] == 8


def test_the_report_workbook_adds_up(officer: Any, population: Population) -> None:
    world = population.world
    response = officer.get(
        f"/reports/personnel.xlsx?unit_id={world.department.id}&as_of=2026-06-30"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Tổng hợp", *exchange.SHEET_NAMES.values()]
    want = expected([world.department.path])
    women = want.women
    party = sum(want.party(p) for p, _ in want.people)
    minority = sum(want.minority(p) for p, _ in want.people)
    summary = [list(row) for row in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0] == exchange.REPORT_TITLE
    assert ["Tổng số người đang làm việc", want.total] in summary
    assert ["Trong đó: Nữ", women] in summary
    for name in queries.HEADCOUNT_TABLES:
        header, lines, total = _sheet_lines(workbook[exchange.SHEET_NAMES[name]])
        assert header == [
            "STT",
            queries.TABLES[name].column_vi,
            "Tổng số",
            "Tỷ lệ (%)",
            "Trong đó: Nữ",
            "Trong đó: Đảng viên",
            "Trong đó: Dân tộc thiểu số",
        ]
        for column, independent in ((2, want.total), (4, women), (5, party), (6, minority)):
            assert sum(line[column] for line in lines) == total[column] == independent, name
        assert abs(sum(line[3] for line in lines) - 100) < 0.5, name


def test_the_report_pdf_has_the_vietnamese_headers(officer: Any, population: Population) -> None:
    response = officer.get("/reports/personnel.pdf?as_of=30/06/2026")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    content = " ".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(content.split())
    for expected_text in (
        "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Sở Nội vụ",
        "Theo trình độ lý luận chính trị",
        "Từ 30 đến 39 tuổi",
        "Dân tộc thiểu số",
        "Tổng cộng",
        "Tổng số người đang làm việc: 8",
    ):
        assert expected_text in flat, expected_text


def test_the_chart_escapes_its_labels_and_scales_its_bars() -> None:
    from hrms.reports.charts import COUNT_ROOM, WIDTH, bar_chart

    svg = str(bar_chart([("<script>alert(1)</script>", 10), ("Nữ", 5), ("Khác", 0)], "Giới tính"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    widths = re.findall(r'<rect x="0" y="\d+" width="(\d+)"', svg)
    assert widths == [str(WIDTH - COUNT_ROOM), str((WIDTH - COUNT_ROOM) // 2), "0"]
    assert "style" not in svg
