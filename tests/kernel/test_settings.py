"""Settings: read once from environment and .env, and a bad value is one clear line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings
from tests.conftest import ROOT, clean_env


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(None)
    assert settings.token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_language == "de" and settings.timezone == "Europe/Berlin"
    assert settings.manager_ids == frozenset()


def test_env_file_and_environment_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("MANAGER_IDS=1, 22 ,333\nCLUSTER_NAME=OWL Mobility\n"
                        "TELEGRAM_BOT_TOKEN=123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ\n")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "EN")
    settings = load_settings(env_file)
    assert settings.manager_ids == {1, 22, 333}
    assert settings.cluster_name == "OWL Mobility"
    assert settings.default_language == "en"
    assert settings.token == "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert "ABCDEFGHIJ" not in repr(settings)


@pytest.mark.parametrize(("name", "value"), [
    ("TIMEZONE", "Mars/Olympus"),
    ("MANAGER_IDS", "12,abc"),
    ("TELEGRAM_BOT_TOKEN", "not-a-token"),
    ("DEFAULT_LANGUAGE", "fr"),
    ("DATABASE_URL", "mysql://localhost/x"),
    ("TELEGRAM_API_BASE_URL", "ftp://example"),
    ("LOG_LEVEL", "LOUD"),
    ("REMINDER_OFFSETS", "3650000"),
    ("REMINDER_OFFSETS", "14,-3"),
    ("MANAGER_IDS", "12345678901234567890123"),
    ("MANAGER_IDS", "0"),
    ("TELEGRAM_MESSAGES_PER_SECOND", "0"),
    ("TELEGRAM_MESSAGES_PER_SECOND", "5000"),
])
def test_invalid_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch, name: str,
                                           value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings(None)
    message = str(error.value)
    assert message.startswith(f"Invalid setting {name}:") and "\n" not in message


def test_invalid_setting_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "Was ist ein Cluster?"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env=clean_env(TIMEZONE="Mars/Olympus"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_env_example_documents_every_setting_without_secrets() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}
    token_line = re.search(r"^TELEGRAM_BOT_TOKEN=(.*)$", example, flags=re.MULTILINE)
    assert token_line is not None and token_line.group(1).strip() == ""
