"""The reminder pass through the bot's own rate limiter and the fake Bot API: a chat that
Telegram throttles for 120 s neither stalls the pass nor loses its reminder — the others go
out now, the throttled one stays pending for a later pass."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import select
from telegram.ext import ExtBot

from core.action_plan.reminders import run_pass
from core.services import Services
from handlers.render import TelegramSender
from handlers.throttle import ChatThrottle
from storage.action_plan.tables import Reminder
from storage.engine import session_scope
from tests.action_plan.support import MANAGER, add_item, berlin, manager, person
from tests.conftest import make_settings, start_services
from tests.e2e_support import TOKEN
from tests.fakebot import FakeBotApi

THROTTLED, OTHERS = 7101, (7102, 7103)
PASS_AT = berlin(2027, 3, 17, 9, 30)


async def _pass(services: Services, api: FakeBotApi) -> None:
    bot: ExtBot[None] = ExtBot(TOKEN, base_url=api.base_url, rate_limiter=ChatThrottle())
    async with bot:
        await run_pass(services, TelegramSender(bot), PASS_AT)


def test_a_long_429_leaves_that_reminder_pending_and_the_pass_goes_on(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as api:
        settings = make_settings(f"sqlite:///{tmp_path / 'plan.sqlite3'}",
                                 manager_ids=str(MANAGER), telegram_bot_token=TOKEN,
                                 telegram_api_base_url=api.base_url)
        services = start_services(settings)
        try:
            for owner in (THROTTLED, *OTHERS):
                person(services, owner, username=f"owner{owner}")
                add_item(services, manager(services), deadline=date(2027, 3, 31),
                         responsible=f"@owner{owner}", now=berlin(2027, 3, 1))
            api.fail_next("sendMessage", error_code=429, retry_after=120, chat_id=THROTTLED,
                          description="Too Many Requests: retry after 120")
            started = time.monotonic()
            asyncio.run(_pass(services, api))
            seconds = time.monotonic() - started
            with session_scope(services.engine) as session:
                rows = list(session.exec(select(Reminder)).all())
        finally:
            services.close()
    assert seconds < 10, f"the pass waited {seconds:.0f} s for the throttled chat"
    to_throttled = [c for c in api.calls_to("sendMessage") if c.params["chat_id"] == THROTTLED]
    assert [c.status for c in to_throttled] == [429], "asked once, not retried within the pass"
    for owner in OTHERS:
        assert [c.status for c in api.calls_to("sendMessage")
                if c.params["chat_id"] == owner] == [200]
    pending = [r for r in rows if r.state == "pending"]
    assert pending and all(r.last_error and "429" in r.last_error for r in pending), rows
    later = PASS_AT.astimezone(UTC) + timedelta(seconds=119)
    assert all(r.not_before is not None and _utc(r.not_before) >= later for r in pending), \
        [(r.key, r.not_before) for r in pending]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
