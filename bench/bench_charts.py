"""Chart rendering: the self-check chart and the funding chart, cold and warm, and the whole
replies that carry them (the last self-check answer, /funding with ten recorded years).

Goal (issue #5): a chart renders in under a second; matplotlib is imported only when a chart
is drawn (checked by tests/pitfalls/test_charts.py).

    .venv/bin/python bench/bench_charts.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 20

def draw(kind: str) -> bytes:
    """One chart of `kind` ("selfcheck" or "funding") with typical content."""
    from core.pitfalls.charts import (
        FundingBar,
        FundingLabels,
        ScoreBar,
        funding_chart,
        selfcheck_chart,
    )

    if kind == "selfcheck":
        bars = [ScoreBar(f"Pitfall number {i} with a longer title", 20 * i, "green", 10 * i)
                for i in range(5)]
        return selfcheck_chart(bars, title="Self-check", axis_label="Score",
                               previous_label="last time")
    curve = [80, 80, 75, 70, 60, 50, 40, 30, 30, 30]
    years = [FundingBar(2016 + i, 80.0 - 5 * i, curve[i], f"{2016 + i}\nYear {i + 1}")
             for i in range(10)]
    labels = FundingLabels("Funding", "public", "own", "curve", "break-even", "yours", "%")
    return funding_chart(years, labels, curve_break_even_year=2021,
                         cluster_break_even_year=2022)


def cold(kind: str) -> tuple[float, float, int]:
    """The first chart in a fresh interpreter that has loaded the bot's modules (as a running
    bot has): matplotlib import and first draw, in milliseconds, and the PNG size."""
    out = subprocess.run([sys.executable, __file__, "--cold", kind], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def cold_run(kind: str) -> None:
    import bot.app  # noqa: F401  (what a running bot has loaded; matplotlib is not among it)
    import core.router  # noqa: F401

    assert "matplotlib" not in sys.modules
    begin = time.perf_counter()
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    imported = time.perf_counter()
    png = draw(kind)
    drawn = time.perf_counter()
    print(f"{(imported - begin) * 1000:.0f} {(drawn - imported) * 1000:.0f} {len(png)}")


def timed(action: object, runs: int = RUNS) -> tuple[float, float]:
    """Median and maximum milliseconds of `runs` calls (after one warm-up call)."""
    action()  # type: ignore[operator]
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    from bot.features import registry
    from core.identity import identify
    from core.pitfalls.content import load_content
    from core.pitfalls.selfcheck import ACTIONS
    from core.router import press_button, run_command
    from core.services import build_services
    from core.settings import load_settings

    print("Chart rendering (goal: < 1000 ms per chart)")
    for name, kind in (("self-check chart", "selfcheck"), ("funding chart, 10 years",
                                                           "funding")):
        imported, first, size = cold(kind)
        median, worst = timed(lambda k=kind: draw(k))
        print(f"  {name:24s} first: matplotlib import {imported:4.0f} ms + draw {first:4.0f} ms"
              f" | then median {median:4.0f} ms, max {worst:4.0f} ms | {size / 1024:.0f} KB")

    with tempfile.TemporaryDirectory() as folder:
        services = build_services(load_settings(
            None, database_url=f"sqlite:///{folder}/bench.sqlite3", manager_ids="42",
            cluster_founded=2016), registry())
        manager = identify(services, user_id=42, chat_id=42, name="M", username=None,
                           language_code="en")
        for year in range(2016, 2026):
            run_command(services, manager, "funding", f"{year} 10000 80000 5000 5000")
        total = len(load_content().statements)

        def last_answer() -> None:
            run_command(services, manager, "selfcheck", "")
            for index in range(total - 1):
                press_button(services, manager, ACTIONS.data("answer", index, 3))
            begin = time.perf_counter()
            reply = press_button(services, manager, ACTIONS.data("answer", total - 1, 3))
            assert reply.attachments, "no chart"
            last_answer.ms = (time.perf_counter() - begin) * 1000  # type: ignore[attr-defined]

        samples = []
        for _ in range(10):
            last_answer()
            samples.append(last_answer.ms)  # type: ignore[attr-defined]
        print("Whole replies")
        print(f"  last self-check answer (store, score, chart)  median "
              f"{statistics.median(samples):5.0f} ms, max {max(samples):5.0f} ms")
        median, worst = timed(lambda: run_command(services, manager, "funding", ""), runs=10)
        print(f"  /funding with 10 years (query, text, chart)   median {median:5.0f} ms, "
              f"max {worst:5.0f} ms")
        services.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cold"]:
        cold_run(sys.argv[2])
    else:
        main()
