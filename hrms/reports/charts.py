"""Charts drawn on the server as SVG: horizontal bars, one per row, with the label above the bar
and the count after it. No script, no style attribute (the content security policy allows
neither inline), nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

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
    """An SVG of ``(label, count)`` bars scaled to the largest count (text is escaped by the
    Markup templates)."""
    largest = max((count for _label, count in rows), default=0)
    step = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = max(step * len(rows), step)
    span = WIDTH - COUNT_ROOM
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="hrms-chart" viewBox="0 0 {} {}" '
            'width="100%" role="img" aria-label="{}"><title>{}</title>'
        ).format(WIDTH, height, title, title)
    ]
    for index, (label, count) in enumerate(rows):
        top = index * step
        length = round(span * count / largest) if largest else 0
        bar_top = top + LABEL_HEIGHT
        parts.append(
            Markup(
                '<text x="0" y="{}" font-size="11" fill="#212529">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}" rx="2">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" font-size="11" fill="#212529">{}</text>'
            ).format(
                top + LABEL_HEIGHT - 4,
                _short(label),
                bar_top,
                max(length, 1) if count else 0,
                BAR_HEIGHT,
                COLOURS[index % len(COLOURS)],
                label,
                count,
                length + 4,
                bar_top + BAR_HEIGHT - 3,
                count,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
