"""The retirement list as an .xlsx workbook (Vietnamese headers, dates as dates)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from hrms.core.dates import format_date
from hrms.salary.retirement_queries import RetirementLine, RetirementList

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC ĐẾN TUỔI NGHỈ HƯU"
HEADER = (
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Giới tính",
    "Ngày sinh",
    "Mã ngạch",
    "Bậc lương",
    "Tuổi nghỉ hưu",
    "Ngày nghỉ hưu",
    "Hạn thông báo nghỉ hưu",
    "Thông báo quá hạn",
    "Nâng bậc lương trước hạn khi có thông báo nghỉ hưu",
)
SEX_NAMES = {"male": "Nam", "female": "Nữ"}
DATE_CELL = "DD/MM/YYYY"
DATE_COLUMNS = (5, 9, 10)
BORN_COLUMN = 5
WIDTHS = (6, 28, 28, 9, 12, 10, 9, 16, 13, 14, 24, 48)


def age_vi(line: RetirementLine) -> str:
    r = line.retirement
    return f"{r.age_years} tuổi {r.age_months} tháng" if r.age_months else f"{r.age_years} tuổi"


def early_raise_vi(line: RetirementLine) -> str:
    early = line.early_raise
    if early is None:
        return ""
    return (
        f"Bậc {early.step_from} lên bậc {early.step_to} từ {format_date(early.on)} "
        f"(trước {early.months_early} tháng; hạn thường xuyên {format_date(early.regular_on)})"
    )


def overdue_vi(line: RetirementLine) -> str:
    if line.decided:
        return "Đã có quyết định nghỉ hưu"
    return "Quá hạn" if line.notice_overdue else ""


def row_of(index: int, line: RetirementLine) -> list[Any]:
    born: Any = line.retirement.born.year if line.birth_year_only else line.retirement.born
    return [
        index,
        line.full_name,
        line.unit_name,
        SEX_NAMES.get(line.sex, line.sex),
        born,
        line.rank_code or "",
        line.salary_step,
        age_vi(line),
        line.retirement.retires_on,
        line.retirement.notice_on,
        overdue_vi(line),
        early_raise_vi(line),
    ]


def workbook(found: RetirementList) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nghỉ hưu"
    scope = found.focus.name if found.focus is not None else "Toàn bộ phạm vi quản lý"
    sheet.append([TITLE])
    sheet.append(
        [
            f"{scope} — nghỉ hưu từ {format_date(found.as_of)} đến {format_date(found.until)}"
            f" ({found.months} tháng)"
        ]
    )
    sheet.append(list(HEADER))
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, line in enumerate(found.lines, start=1):
        sheet.append(row_of(index, line))
    for row, line in zip(sheet.iter_rows(min_row=4), found.lines, strict=False):
        for column in DATE_COLUMNS:
            row[column - 1].number_format = DATE_CELL
        if line.birth_year_only:
            row[BORN_COLUMN - 1].number_format = "0"  # the year alone
    sheet.append([])
    sheet.append(["Tổng số", len(found.lines)])
    for letter, width in zip("ABCDEFGHIJKL", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
