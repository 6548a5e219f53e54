"""The console chat: the same conversation as Telegram on stdin/stdout."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console import ConsoleChat, to_plain_text
from core.actor import Role
from core.reply import Reply
from core.services import Services
from tests.conftest import clean_env, make_settings, start_services


def chat(services: Services, lines: list[str], role: Role = Role.MANAGER) -> str:
    output = io.StringIO()
    ConsoleChat(services, role=role, output=output).run(io.StringIO("\n".join(lines) + "\n"))
    return output.getvalue()


def test_buttons_are_numbered_and_a_number_presses_them(services: Services) -> None:
    transcript = chat(services, ["/topics", "1", "1"])
    assert "[1] Grundlagen: Cluster und Netzwerke" in transcript
    assert "[1] Was ist ein Cluster?" in transcript
    assert "räumliche Konzentration" in transcript


def test_a_number_without_choices_is_a_question_and_a_wrong_number_is_explained(
        services: Services) -> None:
    transcript = chat(services, ["/topics", "99"])
    assert "Keine Auswahl mit der Nummer 99" in transcript


def test_member_console_cannot_use_manager_commands(services: Services) -> None:
    transcript = chat(services, ["/unanswered"], role=Role.MEMBER)
    assert "nur für Cluster-Manager" in transcript
    assert "(Mitglied)" in transcript.splitlines()[0]


def test_whoever_runs_the_console_is_no_person_of_the_cluster(tmp_path: Path) -> None:
    fresh = start_services(make_settings(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    try:
        assert "0 Mitglieder, 0 Manager, 0 Gäste" in chat(fresh, ["/stats"])
    finally:
        fresh.close()


def test_html_is_rendered_as_plain_text() -> None:
    assert to_plain_text("<b>Titel</b> &amp; <i>mehr</i> &lt;x&gt;") == "Titel & mehr <x>"


def test_piped_chat_subprocess_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--member"], cwd=tmp_path,
        input="What is a cluster?\n/language en\nwie finanziert sich ein Cluster\n",
        capture_output=True, text=True, timeout=60,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'chat.sqlite3'}"))
    assert result.returncode == 0, result.stderr
    assert "spatial concentration" in result.stdout
    assert "Done, I will answer you in English" in result.stdout
    assert "Mitgliedsbeiträge" in result.stdout or "Mitglieds" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_failing_line_is_reported_and_the_chat_goes_on(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> Reply:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.console.run_command", broken)
    transcript = chat(services, ["/help", "Was ist ein Cluster?"])
    assert "Something went wrong" in transcript
    assert "räumliche Konzentration" in transcript
