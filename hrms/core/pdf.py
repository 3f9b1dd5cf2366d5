"""PDF kernel: the shipped serif font, an A4 page with numbered pages, paragraph styles and
tables whose long cells wrap and whose rows flow onto the next page under a repeated header.

Official documents are set in a Times-style serif; Liberation Serif (metric-compatible with
Times New Roman, full Vietnamese coverage) ships in ``hrms/static/fonts`` and is embedded in
every PDF, so the output does not depend on the fonts of the server or of the reader.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from flask import Response, send_file
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table
from reportlab.platypus import TableStyle as _TableStyle

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FAMILY = "LiberationSerif"
_FACES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}

PAGE_SIZE = A4
#: margins of administrative documents (Nghị định 30/2020/NĐ-CP: top and bottom 20-25 mm,
#: left 30-35 mm for binding, right 15-20 mm)
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
#: width available to the text
CONTENT_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT
BODY_SIZE = 12
CELL_SIZE = 11


@functools.cache
def register_fonts() -> str:
    """Register the four faces and their family once per process; returns the family name."""
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )
    return FAMILY


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of an official document."""

    body: Any
    justified: Any
    centered: Any
    bold: Any
    title: Any
    heading: Any
    note: Any
    cell: Any
    cell_head: Any
    cell_center: Any


@functools.cache
def styles() -> Styles:
    family = register_fonts()
    body = ParagraphStyle(
        "hrms-body",
        fontName=family,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.3,
        alignment=TA_LEFT,
        spaceAfter=2,
    )
    cell = ParagraphStyle(
        "hrms-cell", parent=body, fontSize=CELL_SIZE, leading=CELL_SIZE * 1.2, spaceAfter=0
    )
    return Styles(
        body=body,
        justified=ParagraphStyle("hrms-justified", parent=body, alignment=TA_JUSTIFY),
        centered=ParagraphStyle("hrms-centered", parent=body, alignment=TA_CENTER),
        bold=ParagraphStyle("hrms-bold", parent=body, fontName=f"{family}-Bold"),
        title=ParagraphStyle(
            "hrms-title",
            parent=body,
            fontName=f"{family}-Bold",
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=10,
        ),
        heading=ParagraphStyle(
            "hrms-heading",
            parent=body,
            fontName=f"{family}-Bold",
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        note=ParagraphStyle(
            "hrms-note", parent=body, fontName=f"{family}-Italic", fontSize=10, leading=12.5
        ),
        cell=cell,
        cell_head=ParagraphStyle(
            "hrms-cell-head", parent=cell, fontName=f"{family}-Bold", alignment=TA_CENTER
        ),
        cell_center=ParagraphStyle("hrms-cell-center", parent=cell, alignment=TA_CENTER),
    )


def text(value: object) -> str:
    """Plain text made safe for a Paragraph: markup characters escaped, line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


class _Paragraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width.

    Layout asks a paragraph for its size several times at the same width (a table sizes its
    cells, then wraps them again to draw them; a frame wraps before splitting): line breaking
    is the most expensive step of a document, and its result depends only on the width (the
    text and the style do not change), so the last one is kept on the paragraph itself, for
    as long as reportlab keeps the broken lines (``split`` drops them when the paragraph
    moves on to the next page).
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth and hasattr(self, "blPara"):
            return wrapped[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


def para(markup: str, style: Any = None) -> Paragraph:
    """A paragraph of ``markup`` (already escaped: build it with ``text``)."""
    return _Paragraph(markup, style or styles().body)


@functools.lru_cache(maxsize=1024)
def _parsed(markup: str, style: Any) -> Paragraph:
    """The parse of a fixed wording in a style (never laid out: a pattern to copy from)."""
    return Paragraph(markup, style)


def fixed_para(markup: str, style: Any = None) -> Paragraph:
    """A paragraph of the document's own wording (a form's labels, headings, hints, column
    headers: constants of the code, never data), whose markup is parsed once per process.

    Parsing is a good part of building a document; the paragraph laid out is always a new
    one, with its own copies of the parsed fragments (layout may change them).
    """
    pattern = _parsed(markup, style or styles().body)
    return _Paragraph(
        markup,
        pattern.style,
        bulletText=pattern.bulletText,
        frags=[fragment.clone() for fragment in pattern.frags],
    )


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of plain text set in bold and/or italic inside a phrase (a filled-in value)."""

    text: str
    bold: bool = False
    italic: bool = False


def bold(value: object) -> Run:
    return Run(str(value), bold=True)


#: what a Paragraph takes for the space between words (the no-break space is not one)
_SPACES = re.compile(r"[ \t\r\f\v]+")


@functools.cache
def _face(font_name: str, bold: bool, italic: bool) -> str:
    """The registered face of the family of ``font_name`` with bold and italic added."""
    family, is_bold, is_italic = ps2tt(font_name)
    return str(tt2ps(family, int(is_bold or bold), int(is_italic or italic)))


@functools.cache
def _pattern(style: Any, bold: bool, italic: bool) -> Any:
    """A parsed fragment of ``style`` in the given weight and slant, to clone for text."""
    markup = "x"
    if bold:
        markup = f"<b>{markup}</b>"
    if italic:
        markup = f"<i>{markup}</i>"
    return _parsed(markup, style).frags[0]


class _Phrase(Flowable):  # type: ignore[misc]
    """Plain text set as a Paragraph of the same style would set it, without a Paragraph
    whenever it fits on one line.

    Most of a form is one-line text: its numbered lines and the cells of its tables. A
    Paragraph parses markup, breaks lines and draws word by word; a line that fits needs one
    width measure and one text object. Longer text, and text holding line breaks, is handed
    to a Paragraph built from the runs (no markup to parse), which wraps and splits it.
    """

    def __init__(self, runs: Sequence[Run], style: Any) -> None:
        super().__init__()
        self.style = style
        self._runs = runs
        self._paragraph: _Paragraph | None = None
        self._pieces: list[tuple[str, str]] | None = None
        self._width = 0.0
        if all("\n" not in run.text for run in runs):
            self._pieces, self._width = self._measure(runs, style)

    @staticmethod
    def _measure(runs: Sequence[Run], style: Any) -> tuple[list[tuple[str, str]] | None, float]:
        """The text in its faces, spaced as a Paragraph spaces words (runs of spaces made one,
        none at either end), and its width; no pieces for an empty text."""
        pieces: list[tuple[str, str]] = []
        after_space = True
        for run in runs:
            words = _SPACES.sub(" ", run.text)
            if after_space:
                words = words.lstrip(" ")
            if words:
                pieces.append((words, _face(style.fontName, run.bold, run.italic)))
                after_space = words.endswith(" ")
        if pieces and after_space:
            last, face = pieces.pop()
            if last.rstrip(" "):
                pieces.append((last.rstrip(" "), face))
        if not pieces:
            return None, 0.0
        size = style.fontSize
        return pieces, sum(pdfmetrics.stringWidth(words, face, size) for words, face in pieces)

    def _room(self, width: float) -> float:
        style = self.style
        return float(width - style.leftIndent - style.firstLineIndent - style.rightIndent)

    def _as_paragraph(self) -> _Paragraph:
        if self._paragraph is None:
            runs, style = self._runs, self.style
            if self._pieces is None:
                markup = "".join(_markup(run) for run in runs)
                self._paragraph = _Paragraph(markup, style)
            else:
                frags = [
                    _pattern(style, run.bold, run.italic).clone(text=run.text)
                    for run in runs
                    if run.text
                ]
                plain = "".join(run.text for run in runs)
                self._paragraph = _Paragraph(escape(plain), style, frags=frags)
        return self._paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._paragraph is None and self._pieces and self._width <= self._room(availWidth):
            self.width, self.height = availWidth, self.style.leading
            return availWidth, self.style.leading
        size: tuple[float, float] = self._as_paragraph().wrap(availWidth, availHeight)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._paragraph is None:
            return []
        parts: list[Flowable] = self._paragraph.split(availWidth, availHeight)
        return parts

    def draw(self) -> None:
        if self._paragraph is not None:
            self._paragraph.drawOn(self.canv, 0, 0)
            return
        assert self._pieces is not None
        style = self.style
        x = style.leftIndent + style.firstLineIndent
        if style.alignment == TA_CENTER:
            x += (self._room(self.width) - self._width) / 2
        elif style.alignment == TA_RIGHT:
            x += self._room(self.width) - self._width
        # drawOn keeps the canvas state around draw: the colour set here goes with it
        canvas = self.canv
        canvas.setFillColor(style.textColor)
        # where a Paragraph puts its first baseline (rl_config.paraFontSizeHeightOffset)
        line = canvas.beginText(x, self.height - style.fontSize)
        for words, face in self._pieces:
            line.setFont(face, style.fontSize)
            line.textOut(words)
        canvas.drawText(line)


def _markup(run: Run) -> str:
    markup = text(run.text)
    if run.bold:
        markup = f"<b>{markup}</b>"
    if run.italic:
        markup = f"<i>{markup}</i>"
    return markup


def phrase(*runs: str | Run, style: Any = None) -> Flowable:
    """Plain text (strings in the style's own face, runs in bold or italic) as a paragraph
    of ``style`` (the body by default): no markup, nothing to escape."""
    return _Phrase(
        [Run(run) if isinstance(run, str) else run for run in runs], style or styles().body
    )


#: room a table leaves on either side of a cell's text
CELL_PADDING = 3


def _cell(value: str, style: Any, room: float) -> object:
    """A table cell of plain text: the text itself when it fits on one line (the table draws
    a string where a phrase of the cell's style would be drawn, without a flowable to lay out
    and draw), a phrase otherwise."""
    if "\n" not in value:
        pieces, width = _Phrase._measure([Run(value)], style)
        if pieces is not None and width <= room:
            return pieces[0][0]
    return phrase(value, style=style)


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    empty_rows: int = 0,
    header_columns: int = 0,
) -> Table:
    """A ruled table of wrapping cells that splits between rows across pages, repeating its
    header on each.

    ``widths`` are fractions of the text width. Cells that are strings are drawn as phrases
    (long text wraps instead of being clipped); other flowables are kept as given. ``empty_rows``
    blank rows are drawn when there is no data (a form to fill in by hand); the first
    ``header_columns`` columns are set in bold (row headings of a transposed table).
    """
    s = styles()
    rooms = [CONTENT_WIDTH * share - 2 * CELL_PADDING for share in widths]
    data: list[list[object]] = []
    if header is not None:
        data.append(
            [_cell(label, s.cell_head, room) for label, room in zip(header, rooms, strict=True)]
        )
    for row in rows:
        data.append(
            [
                # an empty cell holds nothing (no paragraph to parse, break and draw)
                []
                if cell is None or cell == ""
                else _cell(cell, s.cell_head if index < header_columns else s.cell, room)
                if isinstance(cell, str)
                else cell
                for index, (cell, room) in enumerate(zip(row, rooms, strict=True))
            ]
        )
    if not rows:
        data.extend([[""] * len(widths) for _ in range(empty_rows)])
    if not data:
        data.append([""] * len(widths))
    result = Table(
        data,
        colWidths=[CONTENT_WIDTH * share for share in widths],
        repeatRows=1 if header is not None else 0,
        # whole rows move to the next page (splitting inside a row would also repeat the
        # header in the middle of the page, in reportlab 4.5): a row must fit on one page
        splitInRow=0,
        minRowHeights=[s.cell.leading + 6] * len(data),
        hAlign="LEFT",
    )
    # the cells' styles, for the cells that are strings
    head = (s.cell_head.fontName, s.cell_head.fontSize, s.cell_head.leading)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 0), (-1, -1), s.cell.fontName, s.cell.fontSize, s.cell.leading),
    ]
    if header is not None:
        commands += [("FONT", (0, 0), (-1, 0), *head), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    if header_columns:
        last = header_columns - 1
        commands += [("FONT", (0, 0), (last, -1), *head), ("ALIGN", (0, 0), (last, -1), "CENTER")]
    result.setStyle(_TableStyle(commands))
    return result


def _numbered_canvas(footer: Callable[[int, int], str]) -> type[Canvas]:
    """A canvas that holds its pages until the end, then writes "page X of Y" on each."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self.setFont(FAMILY, 10)
                self.drawCentredString(
                    MARGIN_LEFT + CONTENT_WIDTH / 2,
                    MARGIN_BOTTOM / 2,
                    footer(self._pageNumber, total),
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def vietnamese_page_number(page: int, total: int) -> str:
    return f"Trang {page}/{total}"


def render(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str = "",
    subject: str = "",
    footer: Callable[[int, int], str] = vietnamese_page_number,
) -> bytes:
    """Lay ``story`` out on numbered A4 pages and return the PDF."""
    register_fonts()
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="HRMS",
        initialFontName=FAMILY,
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(list(story), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> Response:
    """A PDF to save (``Content-Disposition: attachment``), never cached by proxies."""
    response = send_file(
        io.BytesIO(content),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
