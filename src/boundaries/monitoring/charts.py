"""Bar charts of a monitoring report's counts, drawn as SVG in the style of
:mod:`boundaries.reports.charts`: no embedded styles (the site's Content-Security-Policy allows
none), a title and a description stating every figure, hatched bars that survive a greyscale
printer, and each bar's figure written beside it so that nothing depends on colour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup, escape

from boundaries.monitoring.reports import ReportKind, ReportTable
from boundaries.reports.charts import (
    BAR_GROUND,
    BAR_HEIGHT,
    BAR_INK,
    BAR_TOP,
    FONT,
    FONT_SIZE,
    INK,
    LABEL_BASELINE,
    LEFT,
    MAX_LABEL_CHARS,
    ROW,
)

BAR_WIDTH = 300
VALUE_WIDTH = 120
TOP = 8
MAX_BARS = 25
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
# The column a chart counts, by preference: requests first, then blocked attempts.
_COUNT_COLUMNS = ("requests", "blocked", "attempts", "hits", "count", "lines")


@dataclass(frozen=True)
class CountBar:
    label: str
    value: int


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _shown(value: object) -> str:
    if value is None:
        return "(unknown)"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def count_column(table: ReportTable) -> int | None:
    """The index of the column a chart of ``table`` counts, or None if it has none."""
    for name in _COUNT_COLUMNS:
        if name in table.columns:
            index = table.columns.index(name)
            if all(isinstance(row[index], int) or row[index] is None for row in table.rows):
                return index
    return None


def bars_for(table: ReportTable) -> list[CountBar]:
    """One bar per row (the first :data:`MAX_BARS`), labelled by the row's other leading
    columns; none for a timeline, whose rows are single requests."""
    index = count_column(table)
    if index is None or table.kind is ReportKind.TIMELINE:
        return []
    # A row is labelled by its name where it has one (a person's name rather than their
    # e-mail address), else by its first column.
    named = [i for i, c in enumerate(table.columns) if c.endswith("_name") and i != index]
    bars = []
    for row in table.rows[:MAX_BARS]:
        candidates = [row[i] for i in named] + [row[0] if index != 0 else None]
        label = next((_shown(v) for v in candidates if v not in (None, "")), "(unknown)")
        bars.append(CountBar(label, int(row[index] or 0)))
    return bars


def count_chart(bars: Sequence[CountBar], *, chart_id: str, title: str, description: str) -> Markup:
    """A horizontal bar chart of counts scaled to the largest, as an ``<svg>`` element."""
    if not _ID.match(chart_id):
        raise ValueError(f"not a usable element id: {chart_id!r}")
    width = LEFT + BAR_WIDTH + 10 + VALUE_WIDTH
    height = TOP + ROW * len(bars) + 4
    hatch = f"{chart_id}-hatch"
    largest = max((bar.value for bar in bars), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        "<defs>",
        f'<pattern id="{hatch}" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        f'<rect width="8" height="8" fill="{BAR_GROUND}"/>',
        f'<rect width="4" height="8" fill="{BAR_INK}"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for position, bar in enumerate(bars):
        row = TOP + ROW * position
        y = row + BAR_TOP
        filled = BAR_WIDTH * bar.value / largest if largest else 0.0
        parts.append('<g class="bar">')
        parts.append(
            f'<text x="{LEFT}" y="{row + LABEL_BASELINE}" fill="{INK}" font-weight="bold">'
            f"{escape(_label(bar.label))}</text>"
        )
        if filled > 0:
            parts.append(
                f'<rect class="fill" x="{LEFT}" y="{y}" width="{max(filled, 2.0):.1f}" '
                f'height="{BAR_HEIGHT}" fill="url(#{hatch})" stroke="{BAR_INK}" '
                'stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{LEFT + BAR_WIDTH + 10}" y="{y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35:.1f}" '
            f'fill="{INK}">{bar.value:,}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def report_chart(
    table: ReportTable, title: str, *, chart_id: str = "report-chart"
) -> Markup | None:
    """The chart of a report table, or None when it has nothing to chart."""
    bars = bars_for(table)
    if not bars:
        return None
    figures = "; ".join(f"{bar.label}: {bar.value:,}" for bar in bars)
    return count_chart(bars, chart_id=chart_id, title=title, description=f"{title}. {figures}.")
