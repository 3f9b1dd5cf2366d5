"""Charts drawn on the server as SVG: horizontal bars, one per row, with the label above the bar
and the count after it. No script, no style attribute (the content security policy allows
neither inline), nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 420
LABEL_HEIGHT = 15
BAR_HEIGHT = 14
ROW_GAP = 8
#: room right of the longest bar for its count
COUNT_ROOM = 60
MAX_LABEL = 48
COLOURS = ("#2f6db5", "#3f8f5a", "#c27c1a", "#8a4fa3", "#b8433a", "#2b8c95")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int]], title: str) -> Markup:
    """An SVG of ``(label, count)`` bars scaled to the largest count. Every text is escaped
    here; the numbers are computed (a province's "by unit" chart has hundreds of bars: plain
    string formatting, not one Markup.format per bar)."""
    largest = max((count for _label, count in rows), default=0)
    step = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = max(step * len(rows), step)
    span = WIDTH - COUNT_ROOM
    heading = escape(title)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="hrms-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{heading}">'
        f"<title>{heading}</title>"
    ]
    for index, (label, count) in enumerate(rows):
        top = index * step
        length = round(span * count / largest) if largest else 0
        bar_top = top + LABEL_HEIGHT
        width = max(length, 1) if count else 0
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<text x="0" y="{top + LABEL_HEIGHT - 4}" font-size="11" fill="#212529">'
            f"{escape(_short(label))}</text>"
            f'<rect x="0" y="{bar_top}" width="{width}" height="{BAR_HEIGHT}" fill="{colour}" '
            f'rx="2"><title>{escape(label)}: {int(count)}</title></rect>'
            f'<text x="{length + 4}" y="{bar_top + BAR_HEIGHT - 3}" font-size="11" '
            f'fill="#212529">{int(count)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text is escaped above)
