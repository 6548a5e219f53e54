"""The command line: ask (one question, a stream of them), db upgrade, console fallback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import clean_env

JSON_KEYS = {"question", "lang", "topic", "title", "score", "answer", "suggestions"}


def cli(*args: str, tmp_path: Path, stdin: str = "", **env: str
        ) -> subprocess.CompletedProcess[str]:
    """Run `cluster-advisor ARGS` as a user would, in an empty folder with its own database
    (so no developer's .env is read)."""
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path,
                          input=stdin, capture_output=True, text=True, timeout=120,
                          env=clean_env(**env))


def test_ask_prints_the_answer(tmp_path: Path) -> None:
    result = cli("ask", "Was ist ein Cluster?", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "räumliche Konzentration" in result.stdout


def test_ask_json_has_the_documented_fields(tmp_path: Path) -> None:
    result = cli("ask", "What is the difference between clusters and networks?", "--json",
                 tmp_path=tmp_path)
    record = json.loads(result.stdout)
    assert set(record) == JSON_KEYS
    assert record["topic"] == "cluster_vs_network" and record["lang"] == "en"
    assert 0 <= record["score"] <= 100 and record["answer"]


def test_ask_lang_option_forces_the_answer_language(tmp_path: Path) -> None:
    result = cli("ask", "Was ist ein Cluster?", "--lang", "en", "--json", tmp_path=tmp_path)
    record = json.loads(result.stdout)
    assert record["lang"] == "en" and "spatial concentration" in record["answer"]


def test_ask_rejects_an_unknown_language(tmp_path: Path) -> None:
    result = cli("ask", "x", "--lang", "fr", tmp_path=tmp_path)
    assert result.returncode == 2 and "--lang" in result.stderr


def test_ask_json_stdin_answers_one_object_per_line(tmp_path: Path) -> None:
    questions = ["Was ist ein Cluster?", "", "What is a Kubernetes cluster?",
                 "Wie finanziert sich ein Cluster langfristig?", "<b>😀</b>"]
    result = cli("ask", "--json", "-", stdin="\n".join(questions) + "\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in records] == [q for q in questions if q]
    assert records[0]["topic"] == "what_is_a_cluster"
    assert records[1]["topic"] is None and records[1]["answer"] is None
    assert records[1]["suggestions"] and len(records[1]["suggestions"]) <= 3
    assert all(set(r) == JSON_KEYS for r in records)


def test_db_upgrade_creates_the_database_and_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        result = cli("db", "upgrade", tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.sqlite3").exists()


def test_run_without_token_opens_console_chat_and_ends_at_end_of_input(tmp_path: Path
                                                                        ) -> None:
    result = cli("run", stdin="Was ist ein Cluster?\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert "TELEGRAM_BOT_TOKEN" in first_line
    assert "räumliche Konzentration" in result.stdout


def test_the_bot_does_not_load_httpxs_command_line_client() -> None:
    """httpx's own CLI would bring rich and pygments into the running bot (5 MB)."""
    code = ("import sys; from bot.cli import skip_httpx_command_line; "
            "skip_httpx_command_line(); import httpx, telegram.ext; "
            "httpx.AsyncClient(); print('pygments' in sys.modules, httpx.main.__module__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "httpx"]
