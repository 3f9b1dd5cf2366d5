"""Excel (.xlsx) exports of the review cycle: a unit's results of a period and the annual
ratings of a unit and year, with Vietnamese headers (the sheets people keep and pass on).
Numbers are written as numbers, so the sheets add up; a fixed number of queries."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from hrms.employees.models import Employee
from hrms.org.models import Unit
from hrms.reviews import queries
from hrms.reviews.models import AnnualRating
from hrms.reviews.pdf import REASON_NAMES, STATE_NAMES, period_name, rating_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PERIOD_HEADER = (
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Tình trạng",
    "Tổng điểm",
    "Mức theo điểm",
    "Xếp loại tính được",
    "Xếp loại khác",
    "Lý do xếp loại khác",
    "Xếp loại cuối cùng",
)
ANNUAL_HEADER = (
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Nhóm nhiệm vụ",
    "Số kỳ",
    "Điểm bình quân",
    "Mức theo điểm",
    "Xếp loại tính được",
    "Lý do",
    "Xếp loại khác",
    "Lý do xếp loại khác",
    "Xếp loại cuối cùng",
    "Đã chốt",
)


def _value(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def _workbook(title: str, caption: str, header: Sequence[str]) -> tuple[Any, Any]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([caption])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 28
    return workbook, sheet


def _saved(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _optional(value: str | None) -> str:
    return rating_name(value) if value else ""


def period_results(board: queries.Dashboard, unit: Unit) -> bytes:
    """One row per review of the period the reader sees in the unit's subtree."""
    workbook, sheet = _workbook(
        "Kết quả",
        f"Kết quả đánh giá {period_name(board.period)} — {unit.name}",
        PERIOD_HEADER,
    )
    for index, row in enumerate(board.rows, start=1):
        review = row.review
        sheet.append(
            [
                index,
                row.employee.full_name,
                row.unit.name,
                STATE_NAMES.get(review.state, review.state),
                _value(review.total),
                _optional(review.band),
                _optional(review.rating),
                _optional(review.override_rating),
                review.override_reason or "",
                _optional(review.final_rating.value if review.final_rating else None),
            ]
        )
    return _saved(workbook)


def annual_results(
    rows: Sequence[tuple[AnnualRating, Employee]], unit_names: dict[int, str], unit: Unit, year: int
) -> bytes:
    """One row per annual rating of the unit's subtree and year."""
    workbook, sheet = _workbook(
        "Xếp loại năm", f"Xếp loại chất lượng năm {year} — {unit.name}", ANNUAL_HEADER
    )
    for index, (annual, employee) in enumerate(rows, start=1):
        sheet.append(
            [
                index,
                employee.full_name,
                unit_names.get(annual.unit_id, ""),
                annual.task_group,
                annual.periods,
                _value(annual.average),
                _optional(annual.band),
                _optional(annual.rating),
                "; ".join(REASON_NAMES.get(r, r) for r in annual.reason_list),
                _optional(annual.override_rating),
                annual.override_reason or "",
                _optional(annual.final_rating.value if annual.final_rating else None),
                "Có" if annual.finalised else "Chưa",
            ]
        )
    return _saved(workbook)
