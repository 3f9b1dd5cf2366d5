"""The statistical report on the number and quality of personnel as PDF: the same tables as the
workbook (hrms.reports.exchange), one after the other, under the national heading."""

from __future__ import annotations

import functools

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle
from reportlab.platypus import Table as Grid

from hrms.core.dates import format_date
from hrms.core.pdf import para, render, styles, table, text
from hrms.reports.exchange import (
    REPORT_TITLE,
    header_of,
    lines_of,
    scope_name,
    title_of,
)
from hrms.reports.queries import HEADCOUNT_TABLES, Statistics, Table

HEADCOUNT_WIDTHS = (0.07, 0.33, 0.11, 0.1, 0.12, 0.13, 0.14)
RATINGS_WIDTHS = (0.07, 0.53, 0.2, 0.2)


def _national_heading(agency: str) -> list[Flowable]:
    s = styles()
    heading = Grid(
        [
            [
                para(text(agency.upper()), s.cell_head),
                para("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", s.cell_center),
            ],
            ["", para("<b>Độc lập - Tự do - Hạnh phúc</b>", s.cell_center)],
        ],
        colWidths=[60 * mm, 105 * mm],
        hAlign="CENTER",
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [heading, Spacer(1, 10)]


@functools.cache
def _number_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    """Numbers set right, and the total row's in bold."""
    cell = styles().cell
    right = ParagraphStyle("hrms-cell-number", parent=cell, alignment=TA_RIGHT)
    bold = ParagraphStyle("hrms-cell-total", parent=right, fontName=styles().bold.fontName)
    return right, bold


def _cell(value: object, *, total: bool, column: int) -> object:
    """Text columns stay text (the kernel wraps them); numbers are set right, with a decimal
    comma."""
    if column < 2:
        return para(f"<b>{text(value)}</b>", styles().cell) if total and value else str(value)
    shown = f"{value:.1f}".replace(".", ",") if isinstance(value, float) else str(value)
    right, bold = _number_styles()
    return Paragraph(text(shown), bold if total else right)


def _signatures() -> Flowable:
    s = styles()
    rows = [
        ["", para("<i>……, ngày …… tháng …… năm ……</i>", s.cell_center)],
        [
            para("<b>NGƯỜI LẬP BIỂU</b>", s.cell_center),
            para("<b>THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ</b>", s.cell_center),
        ],
        [
            para("<i>(Ký, ghi rõ họ tên)</i>", s.cell_center),
            para("<i>(Ký tên, đóng dấu)</i>", s.cell_center),
        ],
    ]
    block = Grid(rows, colWidths=[82 * mm, 83 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 12), block, Spacer(1, 50)])


def _table(item: Table, number: int) -> list[Flowable]:
    s = styles()
    widths = HEADCOUNT_WIDTHS if item.info.headcount else RATINGS_WIDTHS
    found = lines_of(item)
    lines = [
        [
            _cell(cell, total=index == len(found) - 1, column=column)
            for column, cell in enumerate(line)
        ]
        for index, line in enumerate(found)
    ]
    heading = para(f"{number}. {text(title_of(item))}", s.heading)
    return [KeepTogether([heading, table(header_of(item), lines, widths)]), Spacer(1, 6)]


def report_pdf(stats: Statistics) -> bytes:
    s = styles()
    name = scope_name(stats)
    story: list[Flowable] = [*_national_heading(name)]
    story.append(para(text(REPORT_TITLE), s.title))
    story.append(
        para(
            f"<i>Đơn vị: {text(name)} — Số liệu tính đến ngày {format_date(stats.as_of)}</i>",
            s.centered,
        )
    )
    kind = stats.tables["kind"]
    story.append(Spacer(1, 6))
    story.append(
        para(
            f"Tổng số người đang làm việc: <b>{stats.headcount}</b>; trong đó nữ: "
            f"{kind.sum_of('women')}, đảng viên: {kind.sum_of('party')}, dân tộc thiểu số: "
            f"{kind.sum_of('minority')}.",
            s.body,
        )
    )
    for number, key in enumerate((*HEADCOUNT_TABLES, "period_ratings", "annual_ratings"), 1):
        story.extend(_table(stats.tables[key], number))
    story.append(_signatures())
    return render(
        story,
        title=f"Báo cáo số lượng, chất lượng cán bộ, công chức, viên chức — {name}",
        subject="Báo cáo thống kê số lượng, chất lượng",
    )
