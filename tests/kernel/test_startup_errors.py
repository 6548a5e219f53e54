"""Start-up and run-time failures end in one clear line and an exit code — never a
traceback, never the token (which PTB puts into its InvalidToken message)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import ReportedByUs
from tests.conftest import clean_env
from tests.e2e_support import BOT_ID, BOT_USERNAME, TOKEN
from tests.fakebot import FakeBotApi

SECRET = TOKEN.partition(":")[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(tmp_path: Path, timeout: float = 60, **settings: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, **settings)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    return subprocess.run([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert SECRET not in output and TOKEN not in output
    assert "Traceback" not in output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    with FakeBotApi(token="999:another-token-entirely", bot_username=BOT_USERNAME,
                    bot_id=BOT_ID) as api:
        result = _run(tmp_path, TELEGRAM_API_BASE_URL=api.base_url, LOG_LEVEL="ERROR")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in _one_clean_line(result)


def test_an_unreachable_bot_api_is_one_line(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{_free_port()}/bot"
    result = _run(tmp_path, TELEGRAM_API_BASE_URL=base, LOG_LEVEL="ERROR")
    assert result.returncode == 1
    assert "not reachable" in _one_clean_line(result)


@pytest.mark.parametrize(("make_url", "expected"), [
    (lambda p: f"sqlite:///{p / 'notes.txt'}", "not a SQLite database"),
    (lambda p: f"sqlite:///{p / 'notes.txt' / 'db.sqlite3'}", "cannot be created"),
    (lambda p: f"postgresql://nobody@127.0.0.1:{_free_port()}/x", "not reachable"),
    (lambda p: "postgresql://user@127.0.0.1:notaport/db", "DATABASE_URL cannot be read"),
])
def test_database_problems_are_one_line(tmp_path: Path, make_url, expected: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("these are notes, not a database\n" * 100)
    unreachable_api = f"http://127.0.0.1:{_free_port()}/bot"  # must not even be asked
    result = _run(tmp_path, DATABASE_URL=make_url(tmp_path), TELEGRAM_API_BASE_URL=unreachable_api,
                  LOG_LEVEL="ERROR")
    assert result.returncode == 1
    line = _one_clean_line(result)
    assert expected in line, line


def test_a_token_revoked_while_running_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID) as api:
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}", LOG_LEVEL="ERROR")
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                   env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            api.wait_for("getUpdates", timeout=30)
            api.token = "999:revoked-now-and-forever"
            stdout, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 1
    assert SECRET not in stdout + stderr
    assert "revoked" in stderr.splitlines()[-1]


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID) as api:
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}")
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                   env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            api.wait_for("getUpdates", timeout=30)
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, stderr
    assert "Event loop is closed" not in stderr and "Traceback" not in stderr


def test_a_job_cancelled_by_the_stopping_bot_is_one_line_not_a_traceback() -> None:
    try:
        raise asyncio.CancelledError
    except asyncio.CancelledError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("apscheduler.executors.default", logging.ERROR, __file__, 1,
                               'Job "%s" raised an exception', ("reminders:pass",), exc_info)
    assert ReportedByUs().filter(record)
    assert record.levelno == logging.INFO and record.exc_info is None
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert line == 'INFO Job "reminders:pass" raised an exception: cancelled, the bot is stopping'
    assert "Traceback" not in line
    failed = logging.LogRecord("apscheduler.executors.default", logging.ERROR, __file__, 1,
                               "Job failed", (), (ValueError, ValueError("x"), None))
    assert ReportedByUs().filter(failed) and failed.exc_info is not None  # a real failure
