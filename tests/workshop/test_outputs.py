"""Summaries and exports: per step a chart as PNG (competences per actor group, the SWOT
four-field picture, votes per statement), and `cluster-advisor workshop export ID` as CSV
and Markdown with every contribution and its author."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from core.services import Services
from core.settings import Settings
from tests.conftest import clean_env
from tests.pitfalls.support import check_png
from tests.workshop.support import open_round, press, say


def _fill(services: Services) -> tuple[int, object]:
    round_id, boss, people = open_round(services, step=1)
    press(services, people[501], "contribute", round_id, 1)
    press(services, people[501], "offer", round_id, 0)
    press(services, people[502], "contribute", round_id, 1)
    press(services, people[502], "offer", round_id, 0)
    press(services, people[502], "offer", round_id, 1)
    press(services, boss, "next", round_id, 1)
    for user, field, text in ((501, "S", "Starke Zulieferer in der Region"),
                              (502, "W", "Zu wenig Ladepunkte"),
                              (503, "O", "Förderprogramm E-Mobilität 2027"),
                              (501, "T", "Fachkräftemangel; =SUMME(A1)")):
        press(services, people[user], "contribute", round_id, 2)
        press(services, people[user], "field", round_id, field)
        say(services, people[user], text)
    return round_id, boss


def test_each_step_summary_has_a_png_chart(services: Services) -> None:
    round_id, boss = _fill(services)
    competences = press(services, boss, "summary", round_id, 1)
    assert "Unternehmen 1" in competences.text and "Forschung 2" in competences.text
    check_png(competences.attachments[0].content)
    swot = press(services, boss, "summary", round_id, 2)
    assert [a.filename for a in swot.attachments] == ["swot.png", "votes.png"]
    for attachment in swot.attachments:
        assert attachment.kind == "photo"
        check_png(attachment.content)
    assert "Zu wenig Ladepunkte" in swot.text


def test_cli_exports_csv_and_markdown(services: Services, settings: Settings,
                                      tmp_path: Path) -> None:
    round_id, _ = _fill(services)
    env = clean_env(DATABASE_URL=settings.database_url, DEFAULT_LANGUAGE="en")
    out = tmp_path / "round.csv"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "workshop", "export",
                           str(round_id), "--output", str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 7
    risky = next(r for r in rows if r["swot_field"] == "T")
    assert risky["text"] == "Fachkräftemangel; =SUMME(A1)" and risky["author"]
    markdown = subprocess.run([sys.executable, "-m", "bot.cli", "workshop", "export",
                               str(round_id), "--format", "md"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
    assert markdown.returncode == 0, markdown.stderr
    assert "## 2. Regional SWOT" in markdown.stdout
    assert "- **W** Zu wenig Ladepunkte" in markdown.stdout
    missing = subprocess.run([sys.executable, "-m", "bot.cli", "workshop", "export", "999"],
                             cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "999" in missing.stderr
