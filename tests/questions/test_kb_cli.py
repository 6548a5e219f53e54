"""`cluster-advisor kb import/export/stats` and `ask` answering from cluster entries (#12),
run as a user would (a subprocess in an empty folder with its own database)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kernel.test_cli import cli

ENTRIES = '''\
[[entry]]
id = "office_hours"
title = { de = "Öffnungszeiten der Geschäftsstelle", en = "Office hours" }
answer.de = "Die Geschäftsstelle ist montags bis freitags von 9 bis 16 Uhr geöffnet."
answer.en = "The office is open Monday to Friday, 9 am to 4 pm."
questions.de = ["Wann öffnet die Geschäftsstelle im Technologiezentrum?"]
questions.en = ["When does the office at the technology centre open?"]

[[entry]]
id = "wifi_password"
title = { de = "WLAN im Besprechungsraum" }
answer = { de = "Das WLAN heißt Cluster-Gast, das Passwort hängt am Empfang <aus>." }
questions.de = ["Wie lautet das WLAN-Passwort im Besprechungsraum?"]
'''


def test_import_is_all_or_nothing_with_the_line_named_then_ask_answers(tmp_path: Path) -> None:
    file = tmp_path / "cluster.toml"
    file.write_text(ENTRIES, encoding="utf-8")
    broken_line = ENTRIES.splitlines().index(
        next(line for line in ENTRIES.splitlines() if "<aus>" in line)) + 1
    assert cli("db", "upgrade", tmp_path=tmp_path).returncode == 0
    failed = cli("kb", "import", str(file), tmp_path=tmp_path)
    assert failed.returncode == 1
    assert f"cluster.toml:{broken_line}: entry 'wifi_password'" in failed.stderr
    assert "nothing imported" in failed.stderr
    before = cli("ask", "Wann öffnet die Geschäftsstelle im Technologiezentrum?", "--json",
                 tmp_path=tmp_path)
    assert json.loads(before.stdout)["topic"] != "office_hours"  # nothing was imported

    file.write_text(ENTRIES.replace(" <aus>", ""), encoding="utf-8")
    imported = cli("kb", "import", str(file), tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "2 added" in imported.stdout

    one = cli("ask", "Wann hat die Geschäftsstelle im Technologiezentrum geöffnet?",
              tmp_path=tmp_path)
    assert "montags bis freitags" in one.stdout, one.stdout
    stream = cli("ask", "--json", "-", tmp_path=tmp_path,
                 stdin="When does the office at the technology centre open?\n"
                       "Wie lautet das WLAN-Passwort im Besprechungsraum?\n")
    records = [json.loads(line) for line in stream.stdout.splitlines()]
    assert [r["topic"] for r in records] == ["office_hours", "wifi_password"]
    assert records[0]["answer"].startswith("The office is open")
    assert "Cluster-Gast" in records[1]["answer"]  # German only: answered in German

    again = cli("kb", "import", str(file), tmp_path=tmp_path)
    assert "2 updated" in again.stdout


def test_export_writes_what_import_reads(tmp_path: Path) -> None:
    file = tmp_path / "cluster.toml"
    file.write_text(ENTRIES.replace(" <aus>", ""), encoding="utf-8")
    assert cli("kb", "import", str(file), tmp_path=tmp_path).returncode == 0
    exported = tmp_path / "export.toml"
    result = cli("kb", "export", str(exported), tmp_path=tmp_path)
    assert result.returncode == 0 and "2 cluster entries" in result.stdout
    text = exported.read_text(encoding="utf-8")
    assert 'id = "office_hours"' in text and "chapter" not in text
    assert cli("kb", "import", str(exported), tmp_path=tmp_path).returncode == 0


def test_invalid_toml_names_its_line_and_shipped_ids_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "bad.toml"
    file.write_text('[[entry]]\nid = "x"\ntitle = { de = "a" \n', encoding="utf-8")
    broken = cli("kb", "import", str(file), tmp_path=tmp_path)
    assert broken.returncode == 1 and "bad.toml:3:" in broken.stderr
    file.write_text(ENTRIES.replace("office_hours", "what_is_a_cluster").replace(" <aus>", ""),
                    encoding="utf-8")
    taken = cli("kb", "import", str(file), tmp_path=tmp_path)
    assert taken.returncode == 1 and "bad.toml:2: entry 'what_is_a_cluster'" in taken.stderr


def test_stats_lists_answers_given(tmp_path: Path) -> None:
    result = cli("kb", "stats", tmp_path=tmp_path)
    assert result.returncode == 0 and "No answers given yet." in result.stdout
