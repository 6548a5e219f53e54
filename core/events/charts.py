"""The funnel requests -> accepted -> met -> project as a PNG: one group of bars per year
(and the talk's example as the last group), labels translated by the caller. matplotlib is
imported inside the function only, as in core/pitfalls/charts.py."""

from __future__ import annotations

import io

COLOURS = ("#4c72b0", "#55a868", "#e6b422", "#d1495b")
DPI = 100


def funnel_chart(title: str, steps: list[str], groups: list[tuple[str, list[int]]],
                 compare_title: str, compare: list[tuple[str, int, int]],
                 legend: tuple[str, str]) -> bytes:
    """Left: bars per group (a year, an event), one colour per funnel step. Right: each KPI
    counted beside the talk's example figure (`legend` names the two)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.2), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.06, right=0.98, top=0.86, bottom=0.2, wspace=0.25)
    axes = figure.add_subplot(1, 2, 1)
    width = 0.8 / max(len(steps), 1)
    for step_index, step in enumerate(steps):
        xs = [group_index + (step_index - (len(steps) - 1) / 2) * width
              for group_index in range(len(groups))]
        values = [values[step_index] for _, values in groups]
        bars = axes.bar(xs, values, width=width * 0.95, label=step,
                        color=COLOURS[step_index % len(COLOURS)])
        axes.bar_label(bars, fontsize=7)
    axes.set_xticks(range(len(groups)), [label[:18] for label, _ in groups], fontsize=8)
    axes.set_title(title, fontsize=11)
    axes.grid(axis="y", color="#dddddd")
    axes.set_axisbelow(True)
    axes.legend(fontsize=7, loc="upper right")
    right = figure.add_subplot(1, 2, 2)
    xs = list(range(len(compare)))
    counted = right.bar([x - 0.2 for x in xs], [c for _, c, _ in compare], width=0.38,
                        color=COLOURS[0], label=legend[0])
    talk = right.bar([x + 0.2 for x in xs], [k for _, _, k in compare], width=0.38,
                     color="#bbbbbb", label=legend[1])
    right.bar_label(counted, fontsize=7)
    right.bar_label(talk, fontsize=7)
    right.set_xticks(xs, [label for label, _, _ in compare], fontsize=8)
    right.set_title(compare_title, fontsize=11)
    right.grid(axis="y", color="#dddddd")
    right.set_axisbelow(True)
    right.legend(fontsize=7, loc="upper right")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
