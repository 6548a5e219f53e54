"""The workshop's pictures as PNG bytes: the SWOT as the classic four-field picture, 👍 per
statement, competences per actor group. As in core/pitfalls/charts.py: matplotlib's object
API on the Agg canvas (no pyplot, no global state), imported only when a chart is drawn,
fixed margins instead of a layout engine; every label arrives translated from the caller."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence

DPI = 100
FIELD_COLOURS = {"S": "#dff0d8", "W": "#f9e0e0", "O": "#dde8f7", "T": "#fbeed5"}
BAR = "#4c72b0"
PER_FIELD = 5  # statements shown in a SWOT field
LINE_CHARS = 50


def _figure(width: float, height: float, **margins: float) -> object:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    figure.subplots_adjust(**margins)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _short(text: str, width: int = LINE_CHARS, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="…"))


def swot_chart(fields: Mapping[str, Sequence[tuple[str, int]]], *, names: Mapping[str, str],
               title: str, more: str) -> bytes:
    """Four fields (S W / O T), each with its top statements and their votes, drawn on one
    axes (four subplots cost twice the time)."""
    from matplotlib.patches import Rectangle

    figure = _figure(10.0, 7.0, left=0.01, right=0.99, top=0.93, bottom=0.01)
    figure.suptitle(title, fontsize=14, x=0.02, ha="left")  # type: ignore[attr-defined]
    axes = figure.add_subplot()  # type: ignore[attr-defined]
    axes.set_axis_off()
    axes.set_xlim(0, 2)
    axes.set_ylim(0, 2)
    corners = {"S": (0.0, 1.0), "W": (1.0, 1.0), "O": (0.0, 0.0), "T": (1.0, 0.0)}
    for field, (x, y) in corners.items():
        axes.add_patch(Rectangle((x + 0.01, y + 0.01), 0.98, 0.98,
                                 facecolor=FIELD_COLOURS[field], edgecolor="none"))
        statements = list(fields.get(field, ()))
        axes.text(x + 0.04, y + 0.95, f"{names[field]} ({len(statements)})", fontsize=13,
                  fontweight="bold", va="top")
        lines = [f"+{votes}  " + _short(text).replace("\n", "\n      ")
                 for text, votes in statements[:PER_FIELD]]
        if len(statements) > PER_FIELD:
            lines.append(more.format(count=len(statements) - PER_FIELD))
        axes.text(x + 0.04, y + 0.84, "\n".join(lines), fontsize=10.5, va="top",
                  linespacing=1.45)
    return _png(figure)


def bar_chart(bars: Sequence[tuple[str, int]], *, title: str, axis_label: str) -> bytes:
    """Horizontal bars (votes per statement, competences per actor group), biggest on top."""
    shown = list(bars)[:12]
    height = 1.6 + 0.42 * max(len(shown), 1)
    figure = _figure(9.0, height, left=0.38, right=0.95, top=1 - 0.6 / height,
                     bottom=0.5 / height)
    axes = figure.add_subplot()  # type: ignore[attr-defined]
    positions = list(range(len(shown)))[::-1]
    values = [value for _, value in shown]
    axes.barh(positions, values, color=BAR, height=0.6, zorder=2)
    for position, value in zip(positions, values, strict=True):
        axes.text(value + max(max(values, default=1), 1) * 0.01, position, str(value),
                  va="center", fontsize=10)
    axes.set_yticks(positions, [_short(label, 40, 2) for label, _ in shown], fontsize=9)
    axes.set_xlim(0, max(max(values, default=1), 1) * 1.12)
    axes.set_xlabel(axis_label, fontsize=9)
    axes.set_title(title, fontsize=12, loc="left")
    axes.grid(axis="x", color="#dddddd", zorder=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)
