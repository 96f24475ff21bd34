"""Charts drawn on the server as SVG, so that they print, need no script and read the same on
paper as on screen.

Plain string building rather than a plotting library: a horizontal bar chart is a few
rectangles, and drawing it here keeps the output small, free of embedded styles (the site's
Content-Security-Policy allows none) and identical in the browser and in WeasyPrint's PDF.

Accessibility and print: the ``<svg>`` is ``role="img"`` with a ``<title>`` and a ``<desc>``
that states every figure (the page also gives them as a table); bars are filled with a dark
hatch on a pale ground and outlined, so they survive a greyscale printer; every bar carries its
figures as text, so nothing depends on colour; text is near-black on white (over 15:1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from boundaries.reports.governors import Completion, SchoolReport, format_percent

INK = "#0b0c0c"  # text and outlines: 19.6:1 on white
BAR_INK = "#12436d"  # hatch lines and bar outline: 10.4:1 on white
BAR_GROUND = "#d2e2f1"  # the pale ground between the hatch lines
GRID = "#505a5f"  # axis ticks and their labels: 7:1 on white
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_SIZE = 14
# Each item's name sits above its bar, so that the chart stays narrow enough to read on a
# phone without shrinking its text to nothing.
LEFT = 4
BAR_WIDTH = 300
VALUE_WIDTH = 160
ROW = 50
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 20
TOP = 28  # room for the axis
MAX_LABEL_CHARS = 52
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Bar:
    """One bar: a share of ``out_of``."""

    key: str
    label: str
    value: int
    out_of: int

    @property
    def share(self) -> float:
        return self.value / self.out_of if self.out_of else 0.0

    @property
    def text(self) -> str:
        if self.out_of == 0:
            return "nobody to count"
        return f"{self.value} of {self.out_of} ({format_percent(round(100 * self.share, 1))})"


def bars_from(completions: Sequence[Completion]) -> list[Bar]:
    return [Bar(c.key, c.label, c.acknowledged, c.people) for c in completions]


def _label(text: str) -> str:
    # Long school names are cut short in the chart; the table beside it has them in full.
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, description: str) -> Markup:
    """A horizontal bar chart of shares (0 to 100%), one bar per item, as an ``<svg>`` element.

    ``chart_id`` must be unique on the page (it names the title, description and pattern).
    """
    if not _ID.match(chart_id):
        raise ValueError(f"not a usable element id: {chart_id!r}")
    width = LEFT + BAR_WIDTH + 10 + VALUE_WIDTH
    height = TOP + ROW * len(bars) + 4
    hatch = f"{chart_id}-hatch"
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
    # The scale: 0, 25, 50, 75 and 100% along the top.
    for tick in (0, 25, 50, 75, 100):
        x = LEFT + BAR_WIDTH * tick / 100
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(
            f'<line class="tick" x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{TOP - 2}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{TOP - 12}" text-anchor="{anchor}" fill="{GRID}" '
            f'font-size="12">{tick}%</text>'
        )
    for index, bar in enumerate(bars):
        row = TOP + ROW * index
        y = row + BAR_TOP
        filled = BAR_WIDTH * bar.share
        parts.append(f'<g class="bar" data-key="{escape(bar.key)}">')
        parts.append(
            f'<text x="{LEFT}" y="{row + LABEL_BASELINE}" fill="{INK}" font-weight="bold">'
            f"{escape(_label(bar.label))}</text>"
        )
        # The track shows the whole (100%), so an empty bar still reads as "none yet".
        parts.append(
            f'<rect class="track" x="{LEFT}" y="{y}" width="{BAR_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="#ffffff" stroke="{INK}" stroke-width="1"/>'
        )
        if filled > 0:
            parts.append(
                f'<rect class="fill" x="{LEFT}" y="{y}" width="{filled:.1f}" '
                f'height="{BAR_HEIGHT}" fill="url(#{hatch})" stroke="{BAR_INK}" '
                'stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{LEFT + BAR_WIDTH + 10}" y="{y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35:.1f}" '
            f'fill="{INK}">{escape(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def describe(bars: Sequence[Bar], what: str) -> str:
    """The chart's description: every figure, in words, for screen readers."""
    figures = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return f"{what}. {figures}." if figures else f"{what}: nothing to show."


def completion_chart(groups: Sequence[Completion], *, chart_id: str = "completion") -> Markup:
    """The school's acknowledgement completion, one bar per group."""
    bars = bars_from(groups)
    return bar_chart(
        bars,
        chart_id=chart_id,
        title="Policy acknowledgements by group",
        description=describe(bars, "Share of each group who have acknowledged the current edition"),
    )


def schools_chart(schools: Sequence[SchoolReport], *, chart_id: str = "schools") -> Markup:
    """The trust's acknowledgement completion, one bar per school."""
    bars = [
        Bar(
            f"school-{s.school_id}",
            s.school_name,
            s.acknowledgements.acknowledged,
            s.acknowledgements.people,
        )
        for s in schools
    ]
    return bar_chart(
        bars,
        chart_id=chart_id,
        title="Policy acknowledgements by school",
        description=describe(
            bars, "Share of everyone at each school who has acknowledged its current edition"
        ),
    )
