"""Charts as PNG bytes: the five self-check scores, and funding shares against the talk's curve.

matplotlib is imported inside the functions only, so start-up and every other reply never
load it. The object API (Figure + Agg canvas) is used instead of pyplot: no global figure
state, safe to call from any thread. All labels arrive translated from the caller.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

# Colours of the traffic lights and the funding shares (colour-blind friendly pairs).
COLOURS = {"green": "#2e9e5b", "yellow": "#e6b422", "red": "#d1495b",
           "public": "#4c72b0", "own": "#55a868", "curve": "#222222", "grid": "#dddddd"}
DPI = 100


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _figure(width: float, height: float, **margins: float) -> object:
    """A figure on the Agg canvas with fixed margins (a layout engine costs ~100 ms)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    figure.subplots_adjust(**margins)
    FigureCanvasAgg(figure)
    return figure


@dataclass(frozen=True)
class ScoreBar:
    label: str
    score: int
    light: str  # green, yellow, red
    previous: int | None = None


def selfcheck_chart(bars: list[ScoreBar], *, title: str, axis_label: str,
                    previous_label: str | None = None) -> bytes:
    """Horizontal bars 0-100 per pitfall in traffic-light colours; previous scores as ticks."""
    figure = _figure(8.0, 4.6, left=0.29, right=0.97, top=0.88, bottom=0.13)
    axes = figure.add_subplot()  # type: ignore[attr-defined]
    positions = list(range(len(bars)))[::-1]  # first pitfall on top
    axes.barh(positions, [b.score for b in bars], color=[COLOURS[b.light] for b in bars],
              height=0.6, zorder=2)
    for position, bar in zip(positions, bars, strict=True):
        right = max(bar.score, bar.previous if bar.previous is not None else 0)
        axes.text(min(right, 100) + 1.5, position, str(bar.score), va="center",
                  fontsize=11, fontweight="bold", zorder=3)
    earlier = [(p, b.previous) for p, b in zip(positions, bars, strict=True)
               if b.previous is not None]
    if earlier:
        axes.scatter([v for _, v in earlier], [p for p, _ in earlier], marker="|", s=500,
                     linewidths=2.5, color=COLOURS["curve"], zorder=4, label=previous_label)
        axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    axes.set_yticks(positions, [textwrap.fill(b.label, 26) for b in bars], fontsize=10)
    axes.set_xlim(0, 110)
    axes.set_xticks(range(0, 101, 20))
    axes.set_xlabel(axis_label, fontsize=9)
    axes.set_title(title, fontsize=13, loc="left")
    axes.grid(axis="x", color=COLOURS["grid"], zorder=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


@dataclass(frozen=True)
class FundingBar:
    year: int
    public_share: float | None  # None: not recorded, or recorded as 0 € (see `zero`)
    target: int | None  # the talk's public share for the cluster's age, None if unknown
    tick: str  # x-axis label, e.g. "2024\nYear 4"
    zero: bool = False  # recorded, with 0 € in every source: labelled instead of a bar


@dataclass(frozen=True)
class FundingLabels:
    title: str
    public: str
    own: str
    curve: str
    break_even: str  # the talk's break-even (vertical line)
    cluster_break_even: str  # the year the cluster's own share first reached 50 % (star)
    axis: str
    zero: str = "0"  # the label of a year recorded as 0 € ("0 €" / "€0")


def funding_chart(bars: list[FundingBar], labels: FundingLabels, *,
                  curve_break_even_year: int | None, cluster_break_even_year: int | None
                  ) -> bytes:
    """Stacked bars of public and own share per year, the talk's curve, break-even marks."""
    figure = _figure(9.0, 4.8, left=0.08, right=0.98, top=0.91, bottom=0.25)
    axes = figure.add_subplot()  # type: ignore[attr-defined]
    years = [b.year for b in bars]
    recorded = [b for b in bars if b.public_share is not None]
    public = [b.public_share or 0.0 for b in recorded]
    axes.bar([b.year for b in recorded], public, color=COLOURS["public"], width=0.65,
             label=labels.public, zorder=2)
    axes.bar([b.year for b in recorded], [100 - p for p in public], bottom=public,
             color=COLOURS["own"], width=0.65, label=labels.own, zorder=2)
    for bar, share in zip(recorded, public, strict=True):
        axes.text(bar.year, share / 2, f"{round(share)}%", ha="center", va="center",
                  color="white", fontsize=9, fontweight="bold", zorder=3)
    for bar in bars:
        if bar.zero:  # recorded, but without income: say so rather than leave a gap
            axes.text(bar.year, 2, labels.zero, ha="center", va="bottom", fontsize=9,
                      fontweight="bold", color=COLOURS["curve"], zorder=3)
    curve = [(b.year, b.target) for b in bars if b.target is not None]
    if curve:
        axes.plot([y for y, _ in curve], [v for _, v in curve], color=COLOURS["curve"],
                  linestyle="--", marker="o", markersize=4, linewidth=1.8,
                  label=labels.curve, zorder=4)
    axes.axhline(50, color=COLOURS["curve"], linestyle=":", linewidth=1, zorder=1)
    if curve_break_even_year is not None and years[0] <= curve_break_even_year <= years[-1]:
        axes.axvline(curve_break_even_year, color=COLOURS["curve"], linestyle=":",
                     linewidth=1.5, zorder=2.5)
        axes.annotate(labels.break_even, (curve_break_even_year, 97), ha="center",
                      va="top", fontsize=8, backgroundcolor="white", zorder=5)
    if cluster_break_even_year is not None:
        axes.plot([cluster_break_even_year], [50], marker="*", markersize=16,
                  color=COLOURS["yellow"], markeredgecolor=COLOURS["curve"], zorder=6,
                  linestyle="none", label=labels.cluster_break_even)
    axes.set_xticks(years, [b.tick for b in bars], fontsize=8)
    axes.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    axes.set_ylim(0, 100)
    axes.set_ylabel(labels.axis, fontsize=9)
    axes.set_title(labels.title, fontsize=13, loc="left")
    axes.grid(axis="y", color=COLOURS["grid"], zorder=0)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=9,
                frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)
