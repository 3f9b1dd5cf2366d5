"""The raise list as an .xlsx workbook (Vietnamese headers, dates as dates, the explanation of
each date in its own column)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from hrms.core.dates import format_date
from hrms.salary.raise_services import RaiseRow
from hrms.salary.raises import DueKind

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Mã ngạch",
    "Bậc hiện hưởng",
    "Hệ số hiện hưởng",
    "Loại nâng",
    "Bậc mới",
    "Hệ số mới",
    "% PC thâm niên vượt khung mới",
    "Ngày đến hạn",
    "Cách tính",
)
WIDTHS = (6, 28, 28, 10, 10, 10, 22, 9, 10, 14, 14, 80)


def raise_list_xlsx(
    rows: Sequence[RaiseRow], unit_name: str, start: dt.date, end: dt.date
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách nâng lương"
    sheet.append([f"DANH SÁCH ĐẾN HẠN NÂNG BẬC LƯƠNG, PHỤ CẤP THÂM NIÊN VƯỢT KHUNG — {unit_name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Từ ngày {format_date(start)} đến ngày {format_date(end)}"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, row in enumerate(rows, start=1):
        due = row.due
        seniority = due.kind is DueKind.SENIORITY
        sheet.append(
            [
                number,
                row.employee.full_name,
                row.unit.name,
                due.rank_code,
                due.step,
                due.coefficient,
                "Phụ cấp thâm niên vượt khung" if seniority else "Nâng bậc thường xuyên",
                due.next_step,
                due.next_coefficient,
                due.next_seniority_percent if seniority else None,
                due.due,
                "\n".join(due.explanation),
            ]
        )
        sheet.cell(row=sheet.max_row, column=11).number_format = "DD/MM/YYYY"
        sheet.cell(row=sheet.max_row, column=12).alignment = Alignment(wrap_text=True)
    sheet.append([])
    sheet.append(["Tổng số", len(rows)])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
