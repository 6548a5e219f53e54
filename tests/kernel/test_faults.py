"""Faults, through the fake Bot API and on SQLite and a real PostgreSQL: during a reminder
pass Telegram answers 429 (beyond the bot's patience), 5xx, not at all (time-out) and 403 —
each reminder kept and retried later, or marked unreachable and not retried, the others sent
at once; a revoked token stops the pass and loses nothing. The database drops every
connection while the bot runs: the next question and the next pass work without a restart. A
row locked by a stuck transaction does not stall the pass. Two updates of one new user at
the same moment make one member."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from core.action_plan.due import decide
from core.action_plan.reminders import PassReport, run_pass
from core.identity import identify
from core.services import Services
from handlers.render import TelegramSender
from handlers.throttle import ChatThrottle
from storage.accounts.queries import touch_member
from storage.accounts.tables import Member
from storage.action_plan.tables import NOTICE_KINDS, Reminder
from storage.engine import normalise_url, session_scope
from tests.action_plan.support import MANAGER, add_item, berlin, manager, person
from tests.conftest import clean_env, fresh_database, make_settings, start_services
from tests.e2e_support import BOT_ID, BOT_USERNAME, STARTUP_TIMEOUT, TOKEN, RunningBot
from tests.fakebot import FakeBotApi
from tests.fakebot.wire import parse_request

THROTTLED, BROKEN, SILENT, BLOCKED, FINE = 7201, 7202, 7203, 7204, 7205
OWNERS = (THROTTLED, BROKEN, SILENT, BLOCKED, FINE)
PASS_AT = berlin(2027, 3, 17, 9, 30)


class HangingBotApi(FakeBotApi):
    """The fake Bot API; a message to a chat in `hang` gets no answer for that many seconds
    (then a 504, never delivered): the network ate it."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.hang: dict[int, float] = {}

    def _handle_http(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        if path.rstrip("/").lower().endswith("/sendmessage"):
            chat = parse_request("sendMessage", "", content_type, body).params.get("chat_id")
            seconds = self.hang.pop(int(chat), 0.0) if chat is not None else 0.0
            if seconds:
                time.sleep(seconds)
                return 504, "application/json", b'{"ok":false,"error_code":504,' \
                    b'"description":"Gateway Timeout"}'
        return super()._handle_http(path, content_type, body)


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    built = start_services(make_settings(database_url, manager_ids=str(MANAGER)))
    with session_scope(built.engine) as session:  # the PostgreSQL database is shared
        session.execute(Reminder.__table__.delete())  # type: ignore[attr-defined]
        for owner in OWNERS:
            session.execute(Member.__table__.delete().where(  # type: ignore[attr-defined]
                col(Member.telegram_id) == owner))
    yield built
    built.close()


async def _pass(services: Services, api: FakeBotApi, when: object = PASS_AT, *,
                revoke: bool = False) -> PassReport:
    """A pass through the bot's own rate limiter, with a short read time-out."""
    request = HTTPXRequest(read_timeout=1.0, connect_timeout=1.0)
    bot: ExtBot[None] = ExtBot(TOKEN, base_url=api.base_url, rate_limiter=ChatThrottle(),
                               request=request)
    async with bot:
        if revoke:  # revoked with @BotFather while the bot runs
            api.token = "654321:SOMEONE-ELSES-TOKEN"
        return await run_pass(services, TelegramSender(bot), when)  # type: ignore[arg-type]


def _rows(services: Services) -> dict[int, Reminder]:
    """Each owner's reminder row (not the notice that went out on saving) by chat."""
    with session_scope(services.engine) as session:
        return {int(r.chat_id or 0): r for r in session.exec(select(Reminder)).all()
                if r.item_id is not None and r.kind not in NOTICE_KINDS}


def _statuses(api: FakeBotApi, chat: int) -> list[int]:
    return [c.status for c in api.calls_to("sendMessage") if c.params["chat_id"] == chat]


def _owners(services: Services) -> None:
    for owner in OWNERS:
        person(services, owner, username=f"owner{owner}")
        add_item(services, manager(services), deadline=date(2027, 3, 31),
                 responsible=f"@owner{owner}", now=berlin(2027, 3, 1))


def test_telegram_faults_during_a_pass_keep_every_reminder_or_mark_it(
        services: Services) -> None:
    _owners(services)
    with HangingBotApi() as api:
        api.fail_next("sendMessage", error_code=429, retry_after=120, chat_id=THROTTLED,
                      description="Too Many Requests: retry after 120")
        api.fail_next("sendMessage", error_code=502, chat_id=BROKEN, description="Bad Gateway")
        api.fail_next("sendMessage", error_code=403, chat_id=BLOCKED,
                      description="Forbidden: bot was blocked by the user")
        api.hang[SILENT] = 3.0
        started = time.monotonic()
        first = asyncio.run(_pass(services, api))
        seconds = time.monotonic() - started
        rows = _rows(services)
        assert seconds < 10, f"the pass waited {seconds:.0f} s"
        assert _statuses(api, FINE) == [200] and _statuses(api, MANAGER) == [200]
        assert {chat: rows[chat].state for chat in OWNERS} == {
            THROTTLED: "pending", BROKEN: "pending", SILENT: "pending",
            BLOCKED: "unreachable", FINE: "sent"}, first.summary()
        assert "429" in (rows[THROTTLED].last_error or "")
        assert "Bad Gateway" in (rows[BROKEN].last_error or "")
        assert rows[SILENT].last_error, "the time-out is recorded"
        # an hour later: everything kept is sent once, the blocked owner is not asked again
        asyncio.run(_pass(services, api, PASS_AT + timedelta(hours=1)))
        rows = _rows(services)
        assert {chat: rows[chat].state for chat in OWNERS} == {
            THROTTLED: "sent", BROKEN: "sent", SILENT: "sent", BLOCKED: "unreachable",
            FINE: "sent"}
        for chat in (THROTTLED, BROKEN):
            assert _statuses(api, chat)[-1] == 200 and _statuses(api, chat).count(200) == 1
        assert _statuses(api, BLOCKED) == [403], "a blocked user is not retried"
        assert _statuses(api, FINE) == [200], "nothing twice"


def test_a_revoked_token_stops_the_pass_and_loses_nothing(services: Services) -> None:
    _owners(services)
    with FakeBotApi(token=TOKEN) as api:
        report = asyncio.run(_pass(services, api, revoke=True))
        assert report.messages == 0
        assert len(api.rejected_calls) <= 3, "the pass stops at the first refusal"
        rows = _rows(services)
        assert {r.state for r in rows.values()} == {"pending"}
        assert all(r.attempts == 0 for r in rows.values()), "not counted towards giving up"
        api.token = TOKEN  # a new token is configured
        asyncio.run(_pass(services, api, PASS_AT + timedelta(minutes=10)))
    assert {r.state for r in _rows(services).values()} == {"sent"}
    for owner in (*OWNERS, MANAGER):
        assert _statuses(api, owner).count(200) == 1


@pytest.fixture
def postgres_url() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with fresh_database(base) as url:
        yield url


def _drop_connections(url: str) -> int:
    """What a database restart does to the bot: every connection to its database is gone."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(normalise_url(url).rsplit("/", 1)[0] + "/postgres",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        dropped = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name}).scalar_one()
    admin.dispose()
    return int(dropped)


def _start_bot_on(url: str, workdir: Path) -> RunningBot:
    """`cluster-advisor run` on this database against a fresh fake Bot API."""
    api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
    api.start()
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                    DATABASE_URL=url, PYTHONUNBUFFERED="1")
    stderr_path = workdir / "bot.stderr.log"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=workdir,
                                   env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    running = RunningBot(api, process, stderr_path)
    try:
        running.wait_until_polling(STARTUP_TIMEOUT)
    except BaseException:
        running.close()
        raise
    return running


@pytest.mark.postgres
def test_the_bot_answers_after_the_database_dropped_every_connection(
        postgres_url: str, tmp_path: Path) -> None:
    bot = _start_bot_on(postgres_url, tmp_path)
    try:
        first = bot.say(7301, "/start")
        assert first.status == 200
        assert _drop_connections(postgres_url) >= 1, "the bot holds a connection"
        again = bot.say(7302, "/start")  # a new user: the database is written
        assert again.status == 200 and bot.process.poll() is None
        assert "database" not in str(again.params.get("text", "")).lower()
        services = start_services(make_settings(postgres_url), upgrade=False)
        try:
            with session_scope(services.engine) as session:
                known = session.exec(select(Member.telegram_id)).all()
        finally:
            services.close()
        assert {7301, 7302} <= set(known), "the second user was recorded"
    finally:
        bot.close()


@pytest.mark.postgres
def test_a_pass_after_the_database_dropped_its_connections_works(postgres_url: str) -> None:
    services = start_services(make_settings(postgres_url, manager_ids=str(MANAGER)))
    try:
        _owners(services)
        with FakeBotApi(token=TOKEN) as api:
            asyncio.run(_pass(services, api, berlin(2027, 3, 10)))  # the pool is warm
            assert _drop_connections(postgres_url) >= 1
            asyncio.run(_pass(services, api))
        assert {r.state for r in _rows(services).values()} == {"sent"}
    finally:
        services.close()


@pytest.mark.postgres
def test_a_row_locked_by_a_stuck_transaction_does_not_stall_the_pass(
        postgres_url: str) -> None:
    services = start_services(make_settings(postgres_url, manager_ids=str(MANAGER)))
    stuck = create_engine(normalise_url(postgres_url))
    try:
        _owners(services)
        with FakeBotApi(token=TOKEN) as api:
            decide(services, PASS_AT)  # the rows exist; one of them is locked elsewhere
            with session_scope(services.engine) as session:
                row_id = session.exec(select(Reminder.id).where(
                    col(Reminder.key).like("item:%:before:14@%"))
                    .order_by(col(Reminder.id))).first()
            with stuck.connect() as connection:
                connection.execute(text("SELECT id FROM reminder WHERE id = :id FOR UPDATE"),
                                   {"id": row_id})
                started = time.monotonic()
                report = asyncio.run(_pass(services, api))
                seconds = time.monotonic() - started
                connection.rollback()
            assert seconds < 10, f"the pass waited {seconds:.0f} s for the locked row"
            assert report.messages == len(OWNERS), report.summary()  # four owners + digest
            asyncio.run(_pass(services, api, PASS_AT + timedelta(minutes=1)))
        assert {r.state for r in _rows(services).values()} == {"sent"}
        assert all(c.status == 200 for c in api.calls_to("sendMessage"))
    finally:
        stuck.dispose()
        services.close()


def test_two_updates_of_one_new_user_at_once_make_one_member(services: Services) -> None:
    user = 7_400_000_001
    with session_scope(services.engine) as session:
        session.execute(Member.__table__.delete().where(  # type: ignore[attr-defined]
            col(Member.telegram_id) == user))
    other: dict[str, object] = {}

    def second_update() -> None:
        try:
            other["actor"] = identify(services, user_id=user, chat_id=user, name="Neu",
                                      username="neu", language_code="de")
        except Exception as exc:  # noqa: BLE001 - reported below
            other["error"] = exc

    with session_scope(services.engine) as session:  # the first update, not committed yet
        first = touch_member(session=session, telegram_id=user, name="Neu", username="neu",
                             language="de")
        thread = threading.Thread(target=second_update)
        thread.start()
        time.sleep(0.5)  # the second update has read "no such member" and inserts too
    thread.join(30)
    assert "error" not in other, other.get("error")
    with session_scope(services.engine) as session:
        rows = session.exec(select(Member).where(col(Member.telegram_id) == user)).all()
    assert len(rows) == 1 and rows[0].id == first.id
