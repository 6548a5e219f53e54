"""Webhook settings: `run --webhook` needs WEBHOOK_URL and WEBHOOK_SECRET, checks each one
and names the missing or bad one in one line (exit 2) before anything starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import SettingsError, load_settings, require_webhook
from tests.conftest import clean_env
from tests.e2e_support import TOKEN

PUBLIC_URL = "https://bot.example.test/telegram/updates"
SECRET = "s3cret-Webhook_token-for-tests-0123456789"


@pytest.mark.parametrize(("settings", "named"), [
    ({"webhook_secret": SECRET}, "WEBHOOK_URL"),
    ({"webhook_url": PUBLIC_URL}, "WEBHOOK_SECRET"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": "short"}, "WEBHOOK_SECRET"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": "sixteen chars but spaces"},
     "WEBHOOK_SECRET"),
    ({"webhook_url": f"https://bot.example.test/{TOKEN}", "webhook_secret": SECRET},
     "WEBHOOK_URL"),
    ({"webhook_url": f"https://bot.example.test/x{TOKEN.split(':')[1]}",
      "webhook_secret": SECRET}, "WEBHOOK_URL"),
    ({"webhook_url": "bot.example.test", "webhook_secret": SECRET}, "WEBHOOK_URL"),
    ({"webhook_url": "https://bot.example.test/healthz", "webhook_secret": SECRET},
     "WEBHOOK_URL"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": SECRET, "webhook_port": "99999"},
     "WEBHOOK_PORT"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": SECRET, "webhook_listen": "everywhere"},
     "WEBHOOK_LISTEN"),
    ({"telegram_bot_token": "", "webhook_url": PUBLIC_URL, "webhook_secret": SECRET},
     "TELEGRAM_BOT_TOKEN"),
])
def test_a_missing_or_bad_webhook_setting_is_named_in_one_line(
        settings: dict[str, str], named: str) -> None:
    values = {"telegram_bot_token": TOKEN, **settings}
    with pytest.raises(SettingsError) as raised:
        require_webhook(load_settings(None, **values))
    message = str(raised.value)
    assert named in message and "\n" not in message, message
    assert SECRET not in message and TOKEN.split(":")[1] not in message


def test_complete_webhook_settings_listen_on_the_urls_path() -> None:
    webhook = require_webhook(load_settings(None, telegram_bot_token=TOKEN,
                                            webhook_url=PUBLIC_URL + "/",
                                            webhook_secret=f"  {SECRET} "))
    assert (webhook.path, webhook.secret, webhook.listen, webhook.port) == (
        "/telegram/updates", SECRET, "127.0.0.1", 8443)


@pytest.mark.parametrize(("settings", "named"), [
    ({"WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL"),
    ({"WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"),
])
def test_run_webhook_without_a_good_setting_exits_2_and_starts_nothing(
        tmp_path: Path, settings: dict[str, str], named: str) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                    **settings)
    done = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--webhook"], cwd=tmp_path,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
    assert not (tmp_path / "x.sqlite3").exists(), "nothing is started on a bad setting"
