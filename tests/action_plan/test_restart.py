"""`cluster-advisor reminders run-once` against the fake Bot API: killed with SIGKILL between
two sends, the next run sends every reminder exactly once (at most the one in flight twice);
a second run at the same moment sends nothing; 429 is waited out; 403 marks unreachable."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from core.action_plan.reminders import run_pass
from core.services import Services
from core.settings import Settings
from handlers.render import TelegramSender
from storage.accounts.queries import get_member
from storage.action_plan.tables import NOTICE_KINDS, Reminder
from storage.engine import session_scope
from tests.action_plan.support import MANAGER, add_item, berlin, manager, person
from tests.conftest import clean_env, make_settings, start_services
from tests.e2e_support import TOKEN
from tests.fakebot import FakeBotApi

OWNERS = (7001, 7002, 7003, 7004)
AT = "2027-03-17T09:30:00"  # Wednesday; the Monday digest of that week is overdue too


class BlockingBotApi(FakeBotApi):
    """The fake Bot API, made to hang on the n-th sendMessage (before or after Telegram
    would have accepted it) so the test can kill the sender at that moment."""

    def __init__(self, block_at: int, *, deliver_first: bool) -> None:
        super().__init__(token=TOKEN)
        self.block_at, self.deliver_first = block_at, deliver_first
        self.sends = 0
        self.blocked, self.release = threading.Event(), threading.Event()
        self._count = threading.Lock()

    def _handle_http(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        if not path.rstrip("/").lower().endswith("/sendmessage"):
            return super()._handle_http(path, content_type, body)
        with self._count:
            self.sends += 1
            number = self.sends
        if number != self.block_at:
            return super()._handle_http(path, content_type, body)
        answer = super()._handle_http(path, content_type, body) if self.deliver_first else None
        self.blocked.set()
        self.release.wait(60)  # the sender is killed meanwhile; nobody reads the answer
        return answer or (503, "application/json", b'{"ok": false}')


def _prepare(tmp_path: Path) -> Settings:
    """A database with four owners whose reminders are due at AT, and one manager."""
    settings = make_settings(f"sqlite:///{tmp_path / 'plan.sqlite3'}", manager_ids=str(MANAGER))
    services = start_services(settings)
    try:
        boss = manager(services)
        for owner in OWNERS:
            person(services, owner, username=f"owner{owner}")
            add_item(services, boss, deadline=date(2027, 3, 31), responsible=f"@owner{owner}",
                     topic=f"Thema von {owner}", now=berlin(2027, 3, 1))
    finally:
        services.close()
    return settings


def _run_once(tmp_path: Path, api: FakeBotApi, *extra: str,
              background: bool = False) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'plan.sqlite3'}",
                    MANAGER_IDS=str(MANAGER))
    command = [sys.executable, "-m", "bot.cli", "reminders", "run-once", "--at", AT, *extra]
    if background:
        return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def _delivered(api: FakeBotApi) -> Counter[int]:
    """Messages Telegram accepted, per chat."""
    return Counter(int(c.params["chat_id"]) for c in api.calls_to("sendMessage")
                   if c.status == 200)


def _states(settings: Settings) -> Counter[str]:
    services = start_services(settings, upgrade=False)
    try:
        with session_scope(services.engine) as session:
            return Counter(r.state for r in session.exec(select(Reminder)).all()
                           if not r.key.startswith("schedule:")  # markers, never sent
                           and (r.item_id, r.chat_id) != (None, None)
                           and r.kind not in NOTICE_KINDS)  # went out with /plan_add
    finally:
        services.close()


@pytest.mark.parametrize("deliver_first", [False, True],
                         ids=["killed-before-telegram-got-it", "killed-after-telegram-got-it"])
def test_reminder_sent_once_after_kill_9_in_the_middle_of_a_pass(
        tmp_path: Path, deliver_first: bool) -> None:
    settings = _prepare(tmp_path)
    api = BlockingBotApi(block_at=2, deliver_first=deliver_first)
    api.start()
    try:
        process = _run_once(tmp_path, api, background=True)
        assert isinstance(process, subprocess.Popen)
        if not api.blocked.wait(60):
            process.kill()
            raise AssertionError(f"the second send never came: {process.communicate()}")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        api.release.set()
        in_flight = api.calls_to("sendMessage")[-1] if deliver_first else None
        states = _states(settings)
        assert states == Counter({"sent": 1, "sending": 1, "pending": 3}), states

        api.block_at = 0  # the restarted process is not disturbed
        rerun = _run_once(tmp_path, api)
        assert rerun.returncode == 0, rerun.stderr
        delivered = _delivered(api)
        everyone = {*OWNERS, MANAGER}
        assert set(delivered) == everyone, "nothing is lost"
        doubled = {chat for chat, count in delivered.items() if count > 1}
        if deliver_first:
            assert in_flight is not None
            assert doubled == {int(in_flight.params["chat_id"])}, delivered
            assert delivered[int(in_flight.params["chat_id"])] == 2
        else:
            assert doubled == set(), delivered
        assert _states(settings) == Counter({"sent": 5})

        before = len(api.calls_to("sendMessage"))
        again = _run_once(tmp_path, api)
        assert again.returncode == 0, again.stderr
        assert len(api.calls_to("sendMessage")) == before, "run-once is idempotent"
        assert "0 message(s) sent" in again.stdout
    finally:
        api.release.set()
        api.stop()


def _services(tmp_path: Path, api: FakeBotApi) -> Services:
    settings = make_settings(f"sqlite:///{tmp_path / 'plan.sqlite3'}", manager_ids=str(MANAGER),
                             telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url)
    return start_services(settings)


async def _pass_through_telegram(services: Services, api: FakeBotApi) -> None:
    from telegram import Bot

    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await run_pass(services, TelegramSender(bot), berlin(2027, 3, 17, 9, 30))


def test_429_is_retried_after_the_time_telegram_gives(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as api:
        services = _services(tmp_path, api)
        try:
            owner = OWNERS[0]
            person(services, owner, username="owner_one")
            add_item(services, manager(services), deadline=date(2027, 3, 31),
                     responsible="@owner_one", now=berlin(2027, 3, 1))
            api.fail_next("sendMessage", error_code=429, retry_after=2, chat_id=owner,
                          description="Too Many Requests: retry after 2")
            asyncio.run(_pass_through_telegram(services, api))
        finally:
            services.close()
        calls = [c for c in api.calls_to("sendMessage") if c.params["chat_id"] == owner]
        assert [c.status for c in calls] == [429, 200]
        assert calls[1].at - calls[0].at >= 2.0, "waited as long as Telegram asked"


def test_403_marks_the_owner_unreachable_and_the_digest_says_so(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as api:
        services = _services(tmp_path, api)
        try:
            owner = OWNERS[0]
            person(services, owner, username="owner_one")
            add_item(services, manager(services), deadline=date(2027, 3, 31),
                     responsible="@owner_one", now=berlin(2027, 3, 1))
            api.fail_next("sendMessage", error_code=403, chat_id=owner,
                          description="Forbidden: bot was blocked by the user")
            started = time.monotonic()
            asyncio.run(_pass_through_telegram(services, api))
            assert time.monotonic() - started < 10
            with session_scope(services.engine) as session:
                member = get_member(session=session, telegram_id=owner)
                assert member is not None and member.unreachable_since is not None
                states = {r.kind.split(":")[0]: r.state
                          for r in session.exec(select(Reminder)).all()
                          if (r.item_id, r.chat_id) != (None, None)}  # not the week marker
            assert states == {"assigned": "sent", "before": "unreachable", "digest": "sent"}
        finally:
            services.close()
        digest = next(c for c in api.calls_to("sendMessage")
                      if c.params["chat_id"] == MANAGER)
        assert "@owner_one" in digest.params["text"] and "blockiert" in digest.params["text"]
        assert api.errors == []


def test_run_once_without_a_token_says_what_is_missing(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "reminders", "run-once"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "TELEGRAM_BOT_TOKEN" in result.stderr
    env["TELEGRAM_BOT_TOKEN"] = TOKEN
    bad = subprocess.run([sys.executable, "-m", "bot.cli", "reminders", "run-once", "--at",
                          "next tuesday"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "--at" in bad.stderr
