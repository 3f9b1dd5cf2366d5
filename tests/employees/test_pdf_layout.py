"""The PDF kernel's shortcuts (issue 8) change nothing in what is printed: a paragraph breaks
its lines once per width, the form's own wording is parsed once per process and a phrase that
fits on one line is drawn without a Paragraph. Each document is rendered both ways in
reportlab's invariant mode (no date nor random id): the same bytes where only the layout work
is saved, the same letters at the same places on every page (as PDFium reads them) where the
drawing differs. An empty table cell holds nothing and takes the room an empty paragraph
took."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from flask import g
from reportlab import rl_config
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from hrms.core import pdf as kernel
from hrms.employees import pdf as form_2c
from hrms.employees.queries import get_dossier_for
from hrms.extensions import db
from tests.employees.test_pdf import fill, pdf_text


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(rl_config, "invariant", 1)
    yield


def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """reportlab as it is: every wrap breaks the lines again, every paragraph is parsed, a
    phrase and a table's text cell are Paragraphs of their markup, an empty cell is an empty
    paragraph."""
    monkeypatch.setattr(kernel._Paragraph, "wrap", Paragraph.wrap)

    def parsed_each_time(markup: str, style: Any = None) -> Paragraph:
        return Paragraph(markup, style or kernel.styles().body)

    def as_paragraph(*runs: str | kernel.Run, style: Any = None) -> Paragraph:
        pieces = [kernel.Run(run) if isinstance(run, str) else run for run in runs]
        return parsed_each_time("".join(kernel._markup(run) for run in pieces), style)

    monkeypatch.setattr(kernel, "fixed_para", parsed_each_time)
    monkeypatch.setattr(form_2c, "fixed_para", parsed_each_time)

    def cell_as_paragraph(value: str, style: Any, room: float) -> Paragraph:
        return parsed_each_time(kernel.text(value), style)

    monkeypatch.setattr(kernel, "phrase", as_paragraph)
    monkeypatch.setattr(form_2c, "phrase", as_paragraph)
    monkeypatch.setattr(kernel, "_cell", cell_as_paragraph)


#: how far a letter may move (in points) and still be where reportlab put it
PLACEMENT_TOLERANCE = 0.01


def placed_letters(content: bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    """Every page's letters with their boxes (left, bottom, right, top), read by PDFium as a
    reader does; spaces are left out (a Paragraph draws none between its words)."""
    document = pdfium.PdfDocument(content)
    try:
        pages = []
        for page in document:
            letters = page.get_textpage()
            text = letters.get_text_range(0, letters.count_chars())
            pages.append(
                [
                    (letter, tuple(letters.get_charbox(index)))
                    for index, letter in enumerate(text)
                    if not letter.isspace()
                ]
            )
        return pages
    finally:
        document.close()


def assert_same_pages(fast: bytes, slow: bytes) -> None:
    """The same letters at the same places on every page."""
    fast_pages, slow_pages = placed_letters(fast), placed_letters(slow)
    assert len(fast_pages) == len(slow_pages)
    for number, (one, other) in enumerate(zip(fast_pages, slow_pages, strict=True), start=1):
        assert [letter for letter, _ in one] == [letter for letter, _ in other], number
        for (letter, box), (_, expected) in zip(one, other, strict=True):
            moved = max(abs(a - b) for a, b in zip(box, expected, strict=True))
            assert moved <= PLACEMENT_TOLERANCE, (number, letter, box, expected)


def test_the_2c_is_the_same_as_reportlab_would_lay_it_out(
    app: Any, world: Any, invariant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = world.in_team
    fill(world, person, training=25, family=3)
    person.foreign_relations = "Một đoạn dài về quan hệ ở nước ngoài. " * 120
    person.history_detention = "\n".join(f"Dòng {n} của lời khai." for n in range(40))
    db.session.commit()
    with app.app_context():
        g.use_test_session = True
        form = form_2c.form_2c_data(get_dossier_for(world.users["admin"], person.id))
        # many family rows: tables that split across pages, paragraphs that split too
        form = dataclasses.replace(form, family=form.family * 12)
        fast = form_2c.render_2c(form)
        again = form_2c.render_2c(form)
        with monkeypatch.context() as patched:
            plain(patched)
            slow = form_2c.render_2c(form)
    text, pages = pdf_text(fast)
    assert pages >= 5
    assert fast == again
    assert pdf_text(slow) == (text, pages)
    assert_same_pages(fast, slow)


def test_tables_and_paragraphs_are_the_same_as_reportlab_would_lay_them_out(
    app: Any, invariant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    word = "chữ-rất-dài-không-có-khoảng-trắng-" * 6

    def story() -> list[Any]:
        s = kernel.styles()
        Run = kernel.Run
        right = ParagraphStyle("test-right", parent=s.note, alignment=TA_RIGHT, rightIndent=20)
        indented = ParagraphStyle("test-indented", parent=s.body, leftIndent=30)
        rows = [[f"Dòng {n}", "" if n % 3 else f"{word}{n}", None] for n in range(90)]
        return [
            kernel.fixed_para("<b>Tiêu đề</b> <i>cố định</i>", s.heading),
            kernel.phrase(
                Run("Tiêu đề", bold=True),
                " ",
                Run("cố định", italic=True),
                style=s.title,
            ),
            # spaces as a Paragraph takes them: runs of them made one, none at either end
            kernel.phrase("  Họ và   tên: ", Run(" NGUYỄN VĂN AN ", bold=True), "  , Nam  "),
            kernel.phrase("Dòng cuối có khoảng trắng", Run("  ", bold=True)),
            kernel.phrase("Dân tộc: ", kernel.bold("Kinh"), ",\u00a0\u00a0\u00a0Tôn giáo: Không"),
            kernel.phrase("…/…/", kernel.bold(1980), style=s.centered),
            kernel.phrase("Ghi chú căn phải", Run(" đậm", bold=True), style=right),
            kernel.phrase("Dòng thụt lề", style=indented),
            kernel.phrase("Hai dòng\ntrong một ô & <thẻ>", style=indented),
            kernel.phrase(""),
            kernel.phrase("Câu dài của một dòng khai, ", kernel.bold("giá trị rất dài " * 30)),
            kernel.table(["Cột một", "Cột hai", "Cột ba"], rows, [0.2, 0.6, 0.2]),
            kernel.para(kernel.text("Đoạn văn dài. " * 400), s.justified),
            kernel.phrase("Đoạn văn dài, cắt qua trang. " * 300, style=s.justified),
            kernel.table(None, [["", ""]], [0.5, 0.5], empty_rows=2),
        ]

    with app.app_context():
        fast = kernel.render(story(), title="Thử")
        with monkeypatch.context() as patched:
            plain(patched)
            slow = kernel.render(story(), title="Thử")
    text, pages = pdf_text(fast)
    assert pages >= 4
    assert "NGUYỄN VĂN AN" in text and "trong một ô & <thẻ>" in text
    assert pdf_text(slow) == (text, pages)
    assert_same_pages(fast, slow)


def test_a_phrase_that_fits_is_drawn_without_a_paragraph(app: Any) -> None:
    with app.app_context():
        s = kernel.styles()
        short = kernel.phrase("Nơi sinh: ", kernel.bold("Ninh Bình"))
        long = kernel.phrase("Nơi ở hiện nay: ", kernel.bold("Số 12, phường Đông Hoa Lư " * 6))
        broken = kernel.phrase("Hai\ndòng")
        assert short.wrap(kernel.CONTENT_WIDTH, 1000) == (kernel.CONTENT_WIDTH, s.body.leading)
        assert short._paragraph is None
        assert short.split(kernel.CONTENT_WIDTH, 5) == []
        _w, height = long.wrap(kernel.CONTENT_WIDTH, 1000)
        assert isinstance(long._paragraph, Paragraph)
        assert height == 3 * s.body.leading
        assert len(long.split(kernel.CONTENT_WIDTH, 2 * s.body.leading)) == 2
        assert broken.wrap(kernel.CONTENT_WIDTH, 1000)[1] == 2 * s.body.leading
        # narrower than the text: it wraps as a Paragraph from then on
        _w, narrow = short.wrap(40, 1000)
        assert narrow > s.body.leading and short._paragraph is not None


def test_fixed_wording_is_parsed_once_and_never_shared(app: Any) -> None:
    with app.app_context():
        s = kernel.styles()
        first = kernel.fixed_para("<i>(Ký tên, đóng dấu)</i>", s.centered)
        second = kernel.fixed_para("<i>(Ký tên, đóng dấu)</i>", s.centered)
    assert kernel._parsed.cache_info().hits >= 1
    assert first is not second
    assert first.frags is not second.frags
    assert all(a is not b for a, b in zip(first.frags, second.frags, strict=True))
    assert [f.text for f in first.frags] == [f.text for f in second.frags]


def test_a_paragraph_breaks_its_lines_again_for_another_width(app: Any) -> None:
    with app.app_context():
        paragraph = kernel.para(kernel.text("Một câu khá dài để xuống dòng. " * 20))
        _w, wide = paragraph.wrap(400, 1000)
        _w, narrow = paragraph.wrap(150, 1000)
        _w, wide_again = paragraph.wrap(400, 1000)
    assert narrow > wide == wide_again


def test_an_empty_cell_takes_the_room_of_an_empty_paragraph(app: Any) -> None:
    with app.app_context():
        widths = [0.2, 0.5, 0.3]
        empty = kernel.table(["A", "B", "C"], [["x", "", None], ["", "", ""]], widths)
        paragraphs = kernel.table(
            ["A", "B", "C"],
            [["x", kernel.para(""), kernel.para("")], [kernel.para("") for _ in range(3)]],
            widths,
        )
        assert empty.wrap(kernel.CONTENT_WIDTH, 1000) == paragraphs.wrap(kernel.CONTENT_WIDTH, 1000)
        assert empty._rowHeights == paragraphs._rowHeights


def test_reportlab_runs_its_c_accelerators() -> None:
    """reportlab[accel] is a dependency: without it every text width and number of a form is
    computed in Python, a third slower (issue 8's budget for form 2C)."""
    from reportlab.lib import rl_accel

    assert "instanceStringWidthTTF" in rl_accel._c_funcs
    assert "fp_str" in rl_accel._c_funcs
