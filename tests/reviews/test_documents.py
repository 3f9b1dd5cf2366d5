"""The documents of the review cycle, read back: the evaluation form (PDF text extracted with
pypdf: the names with their diacritics and every number of the worked example), the unit's
summary list of a period, and the .xlsx exports of a period's results and of the annual
ratings (read back with openpyxl)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal as D
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from hrms.reviews import exchange, services
from hrms.reviews.models import Review
from tests.reviews import factories
from tests.reviews import pages as support
from tests.reviews.conftest import deliver, load, ready, review_of
from tests.reviews.pages import Pages

GENERAL = {"politics": D(9), "capacity": D("8.5"), "innovation": D(7)}
RETURNED_AND_LATE = (
    {"returns": 1},
    {"delays": 2, "excused_delays": 1, "excuse_reason": "Chờ số liệu của Cục Thống kê"},
    {},
)

pages = support.pages  # the fixture


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def scored(pages: Pages) -> Review:
    """The worked example (test_scoring_flow): 88.08 points, hoàn thành tốt; scored by the head
    of division A; the colleague's review of the month rated xuất sắc by an override."""
    rv = pages.rv
    with pages.acting():
        month = rv.open_month(3)
        own = review_of(month, rv.world.own)
        ready(rv, own)
        deliver(rv, own, "10", "3", "3")
        services.submit(rv.staff, load(rv.staff, own, "self"), own.version)
        services.score_review(
            rv.head,
            load(rv.head, own, "score"),
            {
                "version": own.version,
                "items": [
                    {"id": item.id} | counts
                    for item, counts in zip(own.items, RETURNED_AND_LATE, strict=True)
                ],
                "general_points": GENERAL,
                "override_rating": "excellent",
                "override_reason": "Hoàn thành vượt tiến độ đề án trọng điểm của Sở",
            },
        )
    return own


def test_the_evaluation_form_shows_every_step(pages: Pages, scored: Review) -> None:
    rv = pages.rv
    pages.sign_in(rv.staff)  # the person reviewed
    response = pages.client.get(f"/reviews/{scored.id}/form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
        "Họ và tên: Lê Thị Ngọc Ánh",
        "tháng 03/2026",
        "Thẩm định hồ sơ nâng lương",
        "Tổng hợp báo cáo thống kê",
        # weights, per-item percentages and combined results
        "91,67",
        "83,33",
        "Kết quả bình quân theo trọng số: 90,83%",
        "Điểm kết quả thực hiện nhiệm vụ: 63,58 / 70 điểm",
        "Phẩm chất chính trị, đạo đức",
        "Điểm tiêu chí chung: 24,5",
        "Tổng điểm: 88,08 / 100 điểm",
        "Mức theo điểm: Hoàn thành tốt nhiệm vụ",
        "Thủ trưởng xếp loại khác: Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành vượt tiến độ đề án trọng điểm của Sở",
        "Xếp loại cuối cùng: Hoàn thành xuất sắc nhiệm vụ",
        "NGƯỜI TỰ ĐÁNH GIÁ",
        "THỦ TRƯỞNG TRỰC TIẾP",
        "(Ký, ghi rõ họ tên)",
        "ngày …… tháng …… năm",
    ):
        assert expected in text, expected
    # quantity, quality, timeliness of the first item: 100, 75, 100 with weight 50
    assert "1 Thẩm định hồ sơ nâng lương 50 10 10 100 75 100 91,67" in text
    assert rv.head.full_name in text


def test_the_form_follows_the_review_loader(pages: Pages, scored: Review) -> None:
    rv = pages.rv
    pages.sign_in(rv.colleague_user)  # a colleague: not their review
    assert pages.client.get(f"/reviews/{scored.id}/form.pdf").status_code == 404
    pages.sign_in(rv.head)
    assert pages.client.get(f"/reviews/{scored.id}/form.pdf").status_code == 200


def test_an_unscored_form_is_blank_to_fill_in(pages: Pages) -> None:
    rv = pages.rv
    with pages.acting():
        planning = review_of(rv.open_month(4), rv.world.in_team)
    pages.sign_in(rv.officer)
    text = flat(pdf_text(pages.client.get(f"/reviews/{planning.id}/form.pdf").data))
    assert "Nguyễn Văn Ân" in text and "Đang lập kế hoạch công việc" in text
    assert "Xếp loại: —" in text


def test_the_period_summary_lists_everyone(pages: Pages, scored: Review) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    response = pages.client.get(f"/reviews/periods/{scored.period_id}/summary.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    assert "DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" in text
    assert "Sở Nội vụ — tháng 03/2026" in text
    assert "Lê Thị Ngọc Ánh" in text and "88,08 Hoàn thành xuất sắc nhiệm vụ" in text
    assert "Nguyễn Văn Ân" in text and "Vũ Thị Lan" in text
    assert "Tổng số: 5 người. Hoàn thành xuất sắc nhiệm vụ: 1, Hoàn thành tốt nhiệm vụ: 0" in text
    # the head of division A gets the list of division A
    pages.sign_in(rv.head)
    head_text = flat(
        pdf_text(pages.client.get(f"/reviews/periods/{scored.period_id}/summary.pdf").data)
    )
    assert "Phòng" in head_text or rv.world.division_a.name in head_text
    assert "Lê Thị Ngọc Ánh" in head_text


def test_the_period_results_export(pages: Pages, scored: Review) -> None:
    rv = pages.rv
    pages.sign_in(rv.officer)
    response = pages.client.get(f"/reviews/periods/{scored.period_id}/results.xlsx")
    assert response.status_code == 200 and response.mimetype == exchange.XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kết quả đánh giá tháng 03/2026 — Sở Nội vụ"
    assert rows[1] == exchange.PERIOD_HEADER
    by_name = {row[1]: row for row in rows[2:]}
    own = by_name["Lê Thị Ngọc Ánh"]
    assert own[3:] == (
        "Đã chấm điểm, chưa chốt",
        88.08,
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành vượt tiến độ đề án trọng điểm của Sở",
        "Hoàn thành xuất sắc nhiệm vụ",
    )
    assert "Nguyễn Văn Ân" in by_name
    # one unit of the period (as the period page filters it)
    team = pages.client.get(
        f"/reviews/periods/{scored.period_id}/results.xlsx?unit_id={rv.world.team_a.id}"
    )
    team_rows = list(load_workbook(io.BytesIO(team.data)).active.iter_rows(values_only=True))
    assert [row[1] for row in team_rows[2:]] == ["Nguyễn Văn Ân"]
    assert team_rows[0][0] == "Kết quả đánh giá tháng 03/2026 — Tổ Hồ sơ"


def test_the_annual_export(pages: Pages, count_queries: Any) -> None:
    rv = pages.rv
    world = rv.world
    january = factories.period(
        world.department, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    )
    february = factories.period(
        world.department, rv.officer, dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    for in_period, total in ((january, "88.08"), (february, "92.50")):
        factories.finalised_review(world.own, in_period, total, "good", by=rv.head)
    factories.finalised_review(world.in_team, january, "95.00", "excellent", by=rv.head)
    pages.sign_in(rv.officer)
    pages.client.post_form(f"/reviews/annual/{world.department.id}/2026/compute")
    url = f"/reviews/annual/{world.department.id}/2026/export.xlsx"
    with count_queries() as counted:
        response = pages.client.get(url)
    assert response.status_code == 200 and counted.n < 15
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Xếp loại chất lượng năm 2026 — Sở Nội vụ"
    assert rows[1] == exchange.ANNUAL_HEADER
    by_name = {row[1]: row for row in rows[2:]}
    # (88.08 + 92.50) / 2 = 90.29
    assert by_name["Lê Thị Ngọc Ánh"][3:8] == (
        "professional",
        2,
        90.29,
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành xuất sắc nhiệm vụ",
    )
    assert by_name["Nguyễn Văn Ân"][12] == "Chưa"


def test_a_criteria_scheme_form(pages: Pages) -> None:
    rv = pages.rv
    quarter = factories.period(
        rv.world.department, rv.officer, dt.date(2026, 1, 1), dt.date(2026, 3, 31), kind="quarter"
    )
    review = factories.finalised_review(
        rv.vc, quarter, "0", "good", by=rv.head, scheme_code="ND90-2020"
    )
    pages.sign_in(rv.officer)
    text = flat(pdf_text(pages.client.get(f"/reviews/{review.id}/form.pdf").data))
    assert "Họ và tên: Trịnh Văn Khải" in text and "quý 1/2026" in text
    assert "I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI" in text and "Tổng điểm" not in text
    assert "Xếp loại cuối cùng: Hoàn thành tốt nhiệm vụ" in text
