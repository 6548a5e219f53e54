"""Webhook mode end to end: `cluster-advisor run --webhook` as a subprocess, the fake Bot API
delivering updates to it the way Telegram does (POST with the secret header, through a
"proxy" that maps the public https URL to the bot's loopback port), replies going back
through the fake; requests without the right secret refused and without effect; /healthz.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine
from tornado.httpserver import HTTPServer

from bot.webhook import make_web_app
from core.settings import WebhookSettings
from tests.conftest import clean_env
from tests.e2e_support import (
    BOT_ID,
    BOT_USERNAME,
    STARTUP_TIMEOUT,
    TOKEN,
    RunningBot,
    button_data,
    press,
    t,
    title,
    visible,
    wait_answered,
)
from tests.fakebot import FakeBotApi

PUBLIC_URL = "https://bot.example.test/telegram/updates"
SECRET = "s3cret-Webhook_token-for-tests-0123456789"
MANAGER_ID = 910_001


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WebhookBot:
    running: RunningBot
    port: int
    database: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), json.loads(exc.read() or b"{}")


def message_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A private text message as Telegram would POST it (not queued in the fake)."""
    user = {"id": user_id, "is_bot": False, "first_name": "Mallory", "language_code": "de"}
    entities = ([{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
                if text.startswith("/") else [])
    return {"update_id": update_id, "message": {
        "message_id": 1, "from": user, "chat": {"id": user_id, "type": "private",
                                                "first_name": "Mallory"},
        "date": int(time.time()), "text": text, "entities": entities}}


def start_webhook_bot(workdir: Path) -> WebhookBot:
    api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
    api.start()
    port = free_port()
    database = workdir / "webhook.sqlite3"
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                    DATABASE_URL=f"sqlite:///{database}", MANAGER_IDS=str(MANAGER_ID),
                    WEBHOOK_URL=PUBLIC_URL, WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN="127.0.0.1",
                    WEBHOOK_PORT=str(port), LOG_LEVEL="DEBUG", PYTHONUNBUFFERED="1")
    stderr_path = workdir / "bot.stderr.log"
    with open(workdir / "bot.stdout.log", "wb") as stdout, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--webhook"],
                                   cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=stdout, stderr=stderr)
    running = RunningBot(api, process, stderr_path)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not api.calls_to("setWebhook"):
        if process.poll() is not None or time.monotonic() > deadline:
            running.close()
            raise AssertionError(f"the bot did not set its webhook\n{running.describe()}")
        time.sleep(0.1)
    api.deliver_webhooks_to(f"http://127.0.0.1:{port}")  # the reverse proxy's part
    return WebhookBot(running, port, database)


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebhookBot]:
    started = start_webhook_bot(tmp_path_factory.mktemp("webhook"))
    yield started
    started.running.close()


def test_the_webhook_is_set_with_the_secret_and_no_token_in_its_url(hook: WebhookBot) -> None:
    (call,) = hook.running.api.calls_to("setWebhook")
    assert call.status == 200, call.response
    assert call.params["url"] == PUBLIC_URL
    assert TOKEN.split(":")[1] not in call.params["url"]
    assert call.params["secret_token"] == SECRET
    assert "callback_query" in call.params["allowed_updates"]
    assert not hook.running.api.calls_to("getUpdates"), "webhook mode must not poll"


def test_updates_delivered_by_telegram_are_answered(hook: WebhookBot) -> None:
    bot = hook.running
    reply = bot.say(911_001, "/start")
    assert reply.params["text"] == t("de", "welcome", cluster="Cluster")
    answer = bot.say(911_001, "Wie finanziert sich ein Cluster?")
    assert visible(bot, answer).startswith(title("funding_sources", "de") + "\n")
    delivered = [d for d in bot.api.webhook_deliveries if d.status == 200]
    assert len(delivered) >= 2, bot.api.webhook_deliveries
    assert not bot.api.pending_updates


def test_a_button_press_arrives_by_webhook_too(hook: WebhookBot) -> None:
    bot = hook.running
    topics = bot.say(911_002, "/topics")
    data = button_data(topics)
    assert data, topics.params
    message = bot.api.sent_message(topics)
    mark, query_id = press(bot, 911_002, data[0], message)
    wait_answered(bot, query_id, after=mark)


def test_a_request_without_the_right_secret_is_refused_and_changes_nothing(
        hook: WebhookBot) -> None:
    bot, intruder = hook.running, 911_666
    body = json.dumps(message_update(999_000_001, intruder, "/start")).encode()
    url = hook.url("/telegram/updates")
    wrong = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert post(url, body, wrong) == 403
    assert post(url, body, {"Content-Type": "application/json"}) == 403
    assert post(url, body, {**wrong, "X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}) == 403
    # a later, genuine update is answered: the refused ones had their chance to show up
    bot.say(911_003, "/start")
    assert not [c for c in bot.api.get_calls() if c.params.get("chat_id") == intruder]
    with sqlite3.connect(hook.database) as connection:
        known = {row[0] for row in connection.execute("SELECT telegram_id FROM member")}
    assert 911_003 in known and intruder not in known


def test_with_the_secret_a_payload_that_is_no_update_is_a_bad_request(hook: WebhookBot) -> None:
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    url = hook.url("/telegram/updates")
    assert post(url, b"{not json", headers) == 400
    assert post(url, b"[1, 2]", headers) == 400
    hook.running.say(911_004, "/start")  # still serving


def test_only_the_webhook_path_takes_updates(hook: WebhookBot) -> None:
    body = json.dumps(message_update(999_000_002, 911_667, "/start")).encode()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert post(hook.url("/bot" + TOKEN), body, headers) == 404
    assert post(hook.url("/"), body, headers) == 404


def test_health_answers_200_while_the_database_answers(hook: WebhookBot) -> None:
    status, body = get(hook.url("/healthz"))
    assert (status, body) == (200, {"status": "ok", "database": "ok"})


def test_neither_secret_nor_token_reaches_the_log_even_at_debug(hook: WebhookBot) -> None:
    log = hook.running.stderr(tail=10_000_000)
    assert "setWebhook" in log and "<WEBHOOK_SECRET>" in log, "PTB logs setWebhook's parameters"
    assert SECRET not in log and TOKEN.split(":")[1] not in log


def test_stopping_leaves_the_webhook_for_other_instances(hook: WebhookBot) -> None:
    bot = hook.running
    bot.process.send_signal(signal.SIGTERM)
    assert bot.process.wait(timeout=15) == 0, bot.describe()
    assert not bot.api.calls_to("deleteWebhook")


# ------------------------------------------------------------------ health without a database
def test_health_answers_503_when_the_database_does_not() -> None:
    port = free_port()
    dead = create_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing")
    webhook = WebhookSettings(url=PUBLIC_URL, secret=SECRET, listen="127.0.0.1", port=port)

    async def probe() -> httpx.Response:
        server = HTTPServer(make_web_app(SimpleNamespace(running=True),  # type: ignore[arg-type]
                                         webhook, dead))
        server.listen(port, address="127.0.0.1")
        try:
            async with httpx.AsyncClient() as client:
                return await client.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        finally:
            server.stop()

    response = asyncio.run(probe())
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


# ------------------------------------------------------------------ start-up failures
@pytest.mark.parametrize("problem", ["http url", "port in use"])
def test_a_webhook_that_cannot_work_stops_the_start_with_one_line(
        tmp_path: Path, problem: str) -> None:
    api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
    api.start()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    busy_port = blocker.getsockname()[1]
    url = "http://bot.example.test/telegram" if problem == "http url" else PUBLIC_URL
    port = free_port() if problem == "http url" else busy_port
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", WEBHOOK_URL=url,
                    WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))
    try:
        done = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--webhook"],
                              cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
    finally:
        blocker.close()
        api.stop()
    last = done.stderr.strip().splitlines()[-1]
    if problem == "http url":
        assert done.returncode == 2, done.stderr
        assert "Telegram refused WEBHOOK_URL" in last and "https" in last, done.stderr
    else:
        assert done.returncode == 1, done.stderr
        assert f"Cannot listen on 127.0.0.1:{busy_port}" in last and "WEBHOOK_PORT" in last
        assert not api.calls_to("setWebhook"), "no webhook is set that nobody would serve"
    assert "Traceback" not in done.stderr, done.stderr


def test_a_token_revoked_while_on_webhooks_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    """Nothing polls in webhook mode: the first refused call must tell instead."""
    started = start_webhook_bot(tmp_path)
    bot = started.running
    try:
        bot.say(912_001, "/start")
        bot.api.token = "999:revoked-now-and-forever"
        bot.api.push_message(912_001, "/start")
        try:
            returncode = bot.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running 45 s after the token was revoked\n"
                                 f"{bot.describe()}") from None
    finally:
        bot.close()
    assert returncode == 1, bot.describe()
    assert "revoked" in bot.stderr().strip().splitlines()[-1], bot.describe()
