"""Official documents of the review cycle, as PDFs: a person's evaluation form of a period (every
step of the score, the reasons, the override and the signatures block) and a unit's summary list
of a period.

Like form 2C these are documents in the official Vietnamese wording, not interface chrome: their
text is written here in Vietnamese and not translated. Each loads in a fixed number of queries
whatever the number of people and items.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from hrms.accounts.models import User
from hrms.core.dates import format_date
from hrms.core.pdf import para, render, styles, table, text
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import queries
from hrms.reviews.models import Review, ReviewPeriod
from hrms.reviews.scheme import Method, Rating
from positions.models import UnitPosition

RATING_NAMES = {
    Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
    Rating.COMPLETE: "Hoàn thành nhiệm vụ",
    Rating.INCOMPLETE: "Không hoàn thành nhiệm vụ",
}
REASON_NAMES = {
    "discipline": "bị xử lý kỷ luật trong năm",
    "absence": "nghỉ từ 3 đến dưới 6 tháng",
    "worked_too_little": "làm việc dưới 6 tháng: không xếp loại",
    "undecided": "chưa quyết định",
}
STATE_NAMES = {
    "planning": "Đang lập kế hoạch công việc",
    "self_assessment": "Đang tự đánh giá",
    "submitted": "Đã nộp, chờ chấm điểm",
    "scored": "Đã chấm điểm, chưa chốt",
    "finalised": "Đã chốt kết quả",
}
ITEM_HEADER = (
    "STT",
    "Nhiệm vụ, sản phẩm",
    "Trọng số (%)",
    "Giao",
    "Hoàn thành",
    "Số lượng (%)",
    "Chất lượng (%)",
    "Tiến độ (%)",
    "Kết quả (%)",
)
ITEM_WIDTHS = (0.065, 0.275, 0.08, 0.07, 0.1, 0.1, 0.1, 0.1, 0.11)
NOT_YET = "—"


def number(value: Decimal | str | int | None) -> str:
    """Vietnamese separators: 1.234,5 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    normalised = f"{Decimal(value).normalize():f}"
    whole, _, fraction = normalised.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{abs(int(whole)):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def rating_name(value: str | Rating | None) -> str:
    return RATING_NAMES[Rating(value)] if value else NOT_YET


def period_name(period: ReviewPeriod) -> str:
    if period.kind == "month":
        return f"tháng {period.starts_on.month:02d}/{period.starts_on.year}"
    return f"quý {(period.starts_on.month - 1) // 3 + 1}/{period.starts_on.year}"


def _national_heading(agency: str) -> list[Flowable]:
    s = styles()
    heading = Table(
        [
            [
                para(text(agency.upper()), s.cell_head),
                para("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", s.cell_center),
            ],
            ["", para("<b>Độc lập - Tự do - Hạnh phúc</b>", s.cell_center)],
        ],
        colWidths=[60 * 2.83465, 105 * 2.83465],
        hAlign="CENTER",
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [heading, Spacer(1, 10)]


def _signatures(left: tuple[str, str], right: tuple[str, str]) -> Flowable:
    """Two signature columns: title, "(Ký, ghi rõ họ tên)", room to sign, the name."""
    s = styles()
    date_line = "……, ngày …… tháng …… năm ……"
    rows = [
        ["", para(f"<i>{date_line}</i>", s.cell_center)],
        [
            para(f"<b>{text(left[0])}</b>", s.cell_center),
            para(f"<b>{text(right[0])}</b>", s.cell_center),
        ],
        [
            para("<i>(Ký, ghi rõ họ tên)</i>", s.cell_center),
            para("<i>(Ký, ghi rõ họ tên)</i>", s.cell_center),
        ],
        ["", ""],
        [para(text(left[1]), s.cell_center), para(text(right[1]), s.cell_center)],
    ]
    block = Table(
        rows, colWidths=[82 * 2.83465, 83 * 2.83465], rowHeights=[None, None, None, 50, None]
    )
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    # the date, titles and names stay on one page
    return KeepTogether([Spacer(1, 12), block])


# The individual evaluation form ----------------------------------------------------------------


def _identity(loaded: queries.Loaded, position: str) -> list[Flowable]:
    s = styles()
    lines = [
        ("Họ và tên", loaded.employee.full_name),
        ("Đơn vị công tác", loaded.unit.name),
        ("Vị trí việc làm", position or NOT_YET),
        (
            "Kỳ đánh giá",
            f"{period_name(loaded.period)} (từ {format_date(loaded.period.starts_on)}"
            f" đến {format_date(loaded.period.ends_on)})",
        ),
        ("Khung đánh giá", loaded.scheme.name),
        ("Tình trạng", STATE_NAMES.get(loaded.review.state, loaded.review.state)),
    ]
    return [para(f"<b>{text(label)}:</b> {text(value)}", s.body) for label, value in lines]


def _items_table(review: Review, breakdown: dict[str, Any] | None) -> Flowable:
    rows: list[list[object]] = []
    if breakdown and breakdown.get("outputs"):
        for index, output in enumerate(breakdown["outputs"], start=1):
            rows.append(
                [
                    str(index),
                    output["title"],
                    number(output["weight"]),
                    number(output["assigned"]),
                    number(output["delivered"]),
                    number(output["quantity"]),
                    number(output["quality"]),
                    number(output["timeliness"]),
                    number(output["combined"]),
                ]
            )
    else:
        for index, item in enumerate(review.items, start=1):
            rows.append(
                [
                    str(index),
                    item.title,
                    number(item.weight),
                    number(item.assigned_quantity),
                    number(item.delivered_quantity),
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return table(ITEM_HEADER, rows, ITEM_WIDTHS, empty_rows=3)


def _criteria_table(review: Review, breakdown: dict[str, Any] | None, rules: Any) -> Flowable:
    own = review.self_points or {}
    head = review.general_points or {}
    names = {c["code"]: c for c in (breakdown or {}).get("criteria", [])}
    rows = []
    for index, criterion in enumerate(rules.criteria, start=1):
        scored = names.get(criterion.code)
        rows.append(
            [
                str(index),
                criterion.name,
                number(criterion.max_points),
                number(own.get(criterion.code)),
                number(scored["points"] if scored else head.get(criterion.code)),
            ]
        )
    return table(
        ("STT", "Tiêu chí chung", "Điểm tối đa", "Tự chấm", "Thủ trưởng chấm"),
        rows,
        (0.06, 0.52, 0.14, 0.14, 0.14),
    )


def evaluation_form(loaded: queries.Loaded) -> bytes:
    """The person's evaluation form of a period, with every step of the score."""
    s = styles()
    review = loaded.review
    rules = loaded.scheme.parsed
    breakdown = review.breakdown
    position = ""
    if review.position_id is not None:
        held = db.session.get(UnitPosition, review.position_id)
        position = f"{held.code} {held.name}" if held is not None else ""
    reviewer = db.session.get(User, review.reviewer_id) if review.reviewer_id else None
    agency = queries.agency_of(loaded.unit)
    story: list[Flowable] = [*_national_heading(agency.name)]
    story.append(para("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", s.title))
    story.append(para(f"<i>{text(period_name(loaded.period)).capitalize()}</i>", s.centered))
    story.append(Spacer(1, 6))
    story.extend(_identity(loaded, position))
    points = rules.method is Method.POINTS
    if points:
        outputs = rules.outputs
        task_max = number(outputs.max_points) if outputs else ""
        story.append(para("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ, SẢN PHẨM", s.heading))
        story.append(_items_table(review, breakdown))
        if breakdown and breakdown.get("method") == Method.POINTS.value:
            story.append(Spacer(1, 4))
            story.append(
                para(
                    "Kết quả bình quân theo trọng số: "
                    f"<b>{number(breakdown['outputs_percent'])}%</b>",
                    s.body,
                )
            )
            if breakdown.get("unit_percent") is not None:
                story.append(
                    para(
                        "Kết quả của đơn vị phụ trách: "
                        f"<b>{number(breakdown['unit_percent'])}%</b>; kết quả chung: "
                        f"<b>{number(breakdown['task_percent'])}%</b>",
                        s.body,
                    )
                )
            story.append(
                para(
                    f"Điểm kết quả thực hiện nhiệm vụ: <b>{number(breakdown['task_points'])}</b>"
                    f" / {number(breakdown['task_max'])} điểm",
                    s.body,
                )
            )
        else:
            story.append(
                para(f"Điểm kết quả thực hiện nhiệm vụ: {NOT_YET} / {task_max} điểm", s.body)
            )
        story.append(para("II. TIÊU CHÍ CHUNG", s.heading))
        story.append(_criteria_table(review, breakdown, rules))
        if breakdown and breakdown.get("method") == Method.POINTS.value:
            story.append(Spacer(1, 4))
            story.append(
                para(f"Điểm tiêu chí chung: <b>{number(breakdown['general_points'])}</b>", s.body)
            )
    story.append(para(f"{'III' if points else 'I'}. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI", s.heading))
    if points:
        story.append(
            para(f"Tổng điểm: <b>{number(review.total) or NOT_YET}</b> / 100 điểm", s.body)
        )
        story.append(para(f"Mức theo điểm: {text(rating_name(review.band))}", s.body))
    story.append(para(f"Xếp loại: <b>{text(rating_name(review.rating))}</b>", s.body))
    reasons = (breakdown or {}).get("reasons") or []
    if reasons:
        story.append(
            para(
                "Lý do: " + text("; ".join(REASON_NAMES.get(r, r) for r in reasons)),
                s.body,
            )
        )
    if review.override_rating:
        story.append(
            para(
                f"Thủ trưởng xếp loại khác: <b>{text(rating_name(review.override_rating))}</b>."
                f" Lý do: {text(review.override_reason)}",
                s.body,
            )
        )
    story.append(
        para(f"Xếp loại cuối cùng: <b>{text(rating_name(review.final_rating))}</b>", s.body)
    )
    if review.self_note:
        story.append(para(f"Ý kiến của người được đánh giá: {text(review.self_note)}", s.body))
    if review.head_note:
        story.append(para(f"Nhận xét của thủ trưởng: {text(review.head_note)}", s.body))
    story.append(Spacer(1, 12))
    story.append(
        _signatures(
            ("NGƯỜI TỰ ĐÁNH GIÁ", loaded.employee.full_name),
            ("THỦ TRƯỞNG TRỰC TIẾP", reviewer.full_name if reviewer else ""),
        )
    )
    return render(
        story,
        title=f"Phiếu đánh giá {period_name(loaded.period)} — {loaded.employee.full_name}",
        subject="Phiếu đánh giá, xếp loại chất lượng",
    )


# The unit's summary list -----------------------------------------------------------------------

SUMMARY_HEADER = ("STT", "Họ và tên", "Đơn vị", "Tổng điểm", "Xếp loại", "Ghi chú")
SUMMARY_WIDTHS = (0.06, 0.25, 0.2, 0.09, 0.2, 0.2)


def summary_rows(rows: Sequence[queries.DashboardRow]) -> list[list[object]]:
    found: list[list[object]] = []
    for index, row in enumerate(rows, start=1):
        review = row.review
        note = STATE_NAMES.get(review.state, review.state) if review.state != "finalised" else ""
        if review.override_rating:
            note = "Xếp loại khác điểm"
        found.append(
            [
                str(index),
                row.employee.full_name,
                row.unit.name,
                number(review.total),
                rating_name(review.final_rating),
                note,
            ]
        )
    return found


def period_summary(board: queries.Dashboard, unit: Unit) -> bytes:
    """The list of a unit's people in a period: one row each, with the total and the rating."""
    s = styles()
    period = board.period
    agency = queries.agency_of(unit)
    story: list[Flowable] = [*_national_heading(agency.name)]
    story.append(para("DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", s.title))
    story.append(para(f"<i>{text(unit.name)} — {text(period_name(period))}</i>", s.centered))
    story.append(Spacer(1, 8))
    story.append(table(SUMMARY_HEADER, summary_rows(board.rows), SUMMARY_WIDTHS, empty_rows=3))
    story.append(Spacer(1, 6))
    counts = ", ".join(f"{RATING_NAMES[r]}: {board.ratings.get(r.value, 0)}" for r in Rating)
    story.append(para(f"Tổng số: {len(board.rows)} người. {text(counts)}.", s.body))
    story.append(Spacer(1, 12))
    story.append(_signatures(("NGƯỜI LẬP BIỂU", ""), ("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "")))
    return render(
        story,
        title=f"Danh sách kết quả đánh giá {period_name(period)} — {unit.name}",
        subject="Danh sách kết quả đánh giá, xếp loại",
    )
