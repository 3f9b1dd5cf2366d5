"""Excel (.xlsx) exports of the statistics: any dashboard table on its own, and the statistical
report on the number and quality of personnel (one sheet per table, Vietnamese headers, a total
row that is the sum of the lines above it). Numbers are written as numbers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from hrms.core.dates import format_date
from hrms.reports.queries import HEADCOUNT_TABLES, Statistics, Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REPORT_TITLE = "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
HEADCOUNT_HEADER = (
    "STT",
    None,  # the table's own column name
    "Tổng số",
    "Tỷ lệ (%)",
    "Trong đó: Nữ",
    "Trong đó: Đảng viên",
    "Trong đó: Dân tộc thiểu số",
)
RATINGS_HEADER = ("STT", None, "Số lượng", "Tỷ lệ (%)")
TOTAL_LABEL = "Tổng cộng"
#: sheet names (at most 31 characters, no slashes)
SHEET_NAMES = {
    "kind": "Loại",
    "rank": "Ngạch, chức danh",
    "education": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "age": "Độ tuổi",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "party": "Đảng viên",
    "unit": "Đơn vị",
    "period_ratings": "Xếp loại kỳ gần nhất",
    "annual_ratings": "Xếp loại năm",
}


def scope_name(stats: Statistics) -> str:
    return stats.focus.name if stats.focus is not None else "Toàn bộ phạm vi quản lý"


def header_of(table: Table) -> list[str]:
    header = HEADCOUNT_HEADER if table.info.headcount else RATINGS_HEADER
    return [table.info.column_vi if cell is None else cell for cell in header]


def lines_of(table: Table) -> list[list[Any]]:
    """The table's rows as the report prints them, the total row last."""
    lines: list[list[Any]] = []
    for index, row in enumerate(table.rows, start=1):
        line: list[Any] = [index, row.label_vi, row.count, table.share(row)]
        if table.info.headcount:
            line += [row.women, row.party, row.minority]
        lines.append(line)
    total: list[Any] = ["", TOTAL_LABEL, table.total, 100.0 if table.total else 0.0]
    if table.info.headcount:
        total += [table.sum_of("women"), table.sum_of("party"), table.sum_of("minority")]
    lines.append(total)
    return lines


def title_of(table: Table) -> str:
    title = table.info.title_vi
    return f"{title} ({table.subtitle_vi})" if table.subtitle_vi else title


def _sheet(sheet: Any, table: Table, stats: Statistics) -> None:
    sheet.append([title_of(table)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Đơn vị: {scope_name(stats)} — Tính đến ngày {format_date(stats.as_of)}"])
    sheet.append(header_of(table))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for line in lines_of(table):
        sheet.append(line)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A4"
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    for letter in "CDEFG":
        sheet.column_dimensions[letter].width = 14


def _saved(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(stats: Statistics, name: str) -> bytes:
    """One dashboard table as a workbook of one sheet."""
    workbook = Workbook()
    _sheet(workbook.active, stats.tables[name], stats)
    workbook.active.title = SHEET_NAMES[name]
    return _saved(workbook)


def report_workbook(stats: Statistics) -> bytes:
    """The statistical report: a summary sheet, then one sheet per table."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    summary.append([REPORT_TITLE])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([f"Đơn vị báo cáo: {scope_name(stats)}"])
    summary.append([f"Số liệu tính đến ngày {format_date(stats.as_of)}"])
    summary.append([])
    summary.append(["Chỉ tiêu", "Số lượng"])
    for cell in summary[5]:
        cell.font = Font(bold=True)
    kind = stats.tables["kind"]
    summary.append(["Tổng số người đang làm việc", stats.headcount])
    summary.append(["Trong đó: Nữ", kind.sum_of("women")])
    summary.append(["Trong đó: Đảng viên", kind.sum_of("party")])
    summary.append(["Trong đó: Dân tộc thiểu số", kind.sum_of("minority")])
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 14
    for name in (*HEADCOUNT_TABLES, "period_ratings", "annual_ratings"):
        _sheet(workbook.create_sheet(SHEET_NAMES[name]), stats.tables[name], stats)
    return _saved(workbook)
