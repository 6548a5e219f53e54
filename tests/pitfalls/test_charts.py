"""The charts are real PNG pictures of sensible size, and matplotlib stays unloaded until a
chart is drawn."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.pitfalls.charts import (
    FundingBar,
    FundingLabels,
    ScoreBar,
    funding_chart,
    selfcheck_chart,
)
from tests.conftest import ROOT, clean_env
from tests.pitfalls.support import check_png

BARS = [ScoreBar("Unklare oder unrealistische Erwartungen", 85, "green", 70),
        ScoreBar("Fehlendes Monitoring und fehlende Evaluierung", 45, "yellow", None),
        ScoreBar("Unausgewogenes Finanzierungskonzept", 12, "red", 40),
        ScoreBar("Masse statt Klasse", 100, "green", 100),
        ScoreBar("Fehlende Offenheit", 0, "red", None)]
LABELS = FundingLabels("Funding", "public share", "own share", "curve", "break-even",
                       "your break-even", "share (%)")


def test_selfcheck_chart_is_a_valid_png() -> None:
    assert check_png(selfcheck_chart(BARS, title="Selbstcheck vom 26.11.2026",
                                     axis_label="Punkte", previous_label="letztes Mal")
                     ) == (800, 460)
    check_png(selfcheck_chart([ScoreBar(b.label, b.score, b.light) for b in BARS],
                              title="no previous", axis_label="Score"))


@pytest.mark.parametrize("years", [1, 10, 15])
def test_funding_chart_is_a_valid_png_for_short_and_long_histories(years: int) -> None:
    bars = [FundingBar(2020 + i, 80 - 4 * i if i % 3 else None, [80, 80, 75, 70, 60, 50, 40,
                                                                  30, 30, 30][min(i, 9)],
                       f"{2020 + i}\nYear {i + 1}") for i in range(years)]
    check_png(funding_chart(bars, LABELS, curve_break_even_year=2025,
                            cluster_break_even_year=2020 + years - 1 if years > 5 else None))


def test_funding_chart_without_founding_year_has_no_curve_but_still_draws() -> None:
    bars = [FundingBar(2023, 90.0, None, "2023"), FundingBar(2024, 45.5, None, "2024")]
    check_png(funding_chart(bars, LABELS, curve_break_even_year=None,
                            cluster_break_even_year=2024))


def test_answering_questions_does_not_import_matplotlib(tmp_path) -> None:
    """Start-up and ordinary replies stay fast: matplotlib loads only when a chart is drawn."""
    script = """
import sys
from core.settings import load_settings
from core.services import build_services
import bot.app, bot.cli, core.router
from bot.features import registry
from core.identity import identify
from core.pitfalls.selfcheck import ACTIONS
from core.router import run_command, press_button
from core.questions import ask

services = build_services(load_settings(None, database_url=sys.argv[1], manager_ids="42"),
                          registry())
user = identify(services, user_id=7, chat_id=7, name="A", username=None, language_code="en")
manager = identify(services, user_id=42, chat_id=42, name="M", username=None,
                   language_code="en")
ask(services, user, "What is an unbalanced funding concept?")
run_command(services, user, "selfcheck", "")
press_button(services, user, ACTIONS.data("answer", 0, 3))
run_command(services, manager, "health", "")
run_command(services, manager, "funding", "")
print("loaded" if "matplotlib" in sys.modules else "not loaded")
run_command(services, manager, "funding", "2024 1 2 3 4")
print("loaded" if "matplotlib" in sys.modules else "not loaded")
"""
    result = subprocess.run([sys.executable, "-c", script,
                             f"sqlite:///{tmp_path / 'lazy.sqlite3'}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["not", "loaded", "loaded"]
