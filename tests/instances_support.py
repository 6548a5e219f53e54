"""Support for racing several reminder senders on one PostgreSQL or SQLite file (the test in
tests/kernel/test_instances_race.py and bench/bench_instances.py): a throwaway database with an
audit trigger that records every state change of a reminder row, a slow fake Bot API that can
hold one send (so a sender can be killed mid-send), sender processes, and the figures —
lost, doubled, reverted."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.engine import normalise_url
from tests.action_plan.support import MANAGER, add_item, manager, person
from tests.conftest import clean_env, make_settings, start_services
from tests.e2e_support import TOKEN
from tests.fakebot import FakeBotApi
from tests.fakebot.wire import parse_request

AUDIT = """
CREATE TABLE reminder_audit (reminder_id integer, old_state text, new_state text,
                             claimed_by text);
CREATE FUNCTION reminder_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state THEN
    INSERT INTO reminder_audit (reminder_id, old_state, new_state, claimed_by)
    VALUES (NEW.id, OLD.state, NEW.state, NEW.claimed_by);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reminder_audit AFTER UPDATE ON reminder
  FOR EACH ROW EXECUTE FUNCTION reminder_audit();
"""
SQLITE_AUDIT = (
    "CREATE TABLE reminder_audit (reminder_id integer, old_state text, new_state text, "
    "claimed_by text)",
    "CREATE TRIGGER reminder_audit AFTER UPDATE OF state ON reminder "
    "WHEN NEW.state IS NOT OLD.state BEGIN "
    "INSERT INTO reminder_audit (reminder_id, old_state, new_state, claimed_by) "
    "VALUES (NEW.id, OLD.state, NEW.state, NEW.claimed_by); END",
)
FINAL = ("sent", "unreachable", "failed", "skipped")
DOOMED_TOKEN = "123456:DOOMED-TOKEN-abcdef"  # the sender the test will kill uses this one


def install_audit(url: str) -> None:
    """Record every state change of a reminder row (after the schema exists)."""
    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:
        for statement in SQLITE_AUDIT if url.startswith("sqlite") else (AUDIT,):
            connection.exec_driver_sql(statement)
    engine.dispose()


def prepare(url: str, owners: list[int], *, deadline: date, planned: datetime,
            **settings: str) -> set[int]:
    """Migrate, add one due item per owner and the audit trigger; everyone who must get
    exactly one message (the owners and the manager's digest)."""
    services = start_services(make_settings(url, manager_ids=str(MANAGER), **settings))
    try:
        boss = manager(services)
        for owner in owners:
            person(services, owner, username=f"owner{owner}")
            add_item(services, boss, deadline=deadline, responsible=f"@owner{owner}",
                     topic=f"Thema von {owner}", now=planned)
    finally:
        services.close()
    install_audit(url)
    return {*owners, MANAGER}


class SlowBotApi(FakeBotApi):
    """The fake Bot API, taking `delay` seconds per sendMessage; no message is accepted
    before `gate` senders have said hello (getMe), so that they really race; the
    `hold_at`-th send of the sender using `DOOMED_TOKEN` (counting from 1; 0: none) is
    delivered and then held until `release` is set, so that sender can be killed while it
    waits for Telegram's answer."""

    def __init__(self, delay: float, hold_at: int = 0, gate: int = 0) -> None:
        super().__init__(token=TOKEN)
        self.delay, self.hold_at, self.gate = delay, hold_at, gate
        self.sends = self.hellos = 0
        self.held_chat = 0  # the chat of the held message
        self.held, self.release, self.open = threading.Event(), threading.Event(), \
            threading.Event()
        if gate <= 0:
            self.open.set()
        self._count = threading.Lock()

    def _handle_http(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        doomed = DOOMED_TOKEN in path
        path = path.replace(DOOMED_TOKEN, TOKEN)  # the same bot, told apart here
        method = path.rstrip("/").lower().rpartition("/")[2]
        if method == "getme":
            with self._count:
                self.hellos += 1
                if self.hellos >= self.gate:
                    self.open.set()
        if method != "sendmessage":
            return super()._handle_http(path, content_type, body)
        self.open.wait(120)
        with self._count:
            self.sends += doomed
            number = self.sends if doomed else 0
        time.sleep(self.delay)
        answer = super()._handle_http(path, content_type, body)
        if self.hold_at and number == self.hold_at:
            self.held_chat = int(parse_request("sendMessage", "", content_type, body)
                                 .params["chat_id"])
            self.held.set()
            self.release.wait(120)
        return answer

    def delivered(self) -> Counter[int]:
        """Messages Telegram accepted, per chat."""
        return Counter(int(c.params["chat_id"]) for c in self.calls_to("sendMessage")
                       if c.status == 200)


def sender_env(url: str, api: FakeBotApi, *, doomed: bool = False, **settings: str
               ) -> dict[str, str]:
    """The environment of a sender process (`doomed`: the one whose send `SlowBotApi` holds)."""
    return clean_env(TELEGRAM_BOT_TOKEN=DOOMED_TOKEN if doomed else TOKEN,
                     TELEGRAM_API_BASE_URL=api.base_url, DATABASE_URL=url,
                     MANAGER_IDS=str(MANAGER), PYTHONUNBUFFERED="1",
                     **settings)


def run_once(workdir: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    """`cluster-advisor reminders run-once` in the background."""
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "reminders", "run-once", *extra],
                            cwd=workdir, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@dataclass
class Figures:
    """What a race did: everyone who should have got a message, and what they got."""

    expected: set[int]
    delivered: Counter[int]
    reverted: int  # state changes away from a final state (sent back to pending, ...)
    states: Counter[str]
    senders: int  # distinct processes whose claims sent something
    unsent: list[tuple[str, ...]]  # (key, state, last error, claimed by) of rows not sent

    @property
    def lost(self) -> int:
        return len(self.expected - set(self.delivered))

    @property
    def doubled(self) -> int:
        return sum(count - 1 for chat, count in self.delivered.items() if count > 1)

    def line(self) -> str:
        return (f"lost {self.lost}, doubled {self.doubled}, reverted {self.reverted} "
                f"({sum(self.delivered.values())} messages to {len(self.expected)} people, "
                f"sent by {self.senders} process(es); rows: {dict(self.states)}; not sent: "
                f"{self.unsent})")


def figures(url: str, api: SlowBotApi, expected: set[int]) -> Figures:
    """Read the outcome of a race from the fake and the database."""
    engine = create_engine(normalise_url(url))
    with engine.connect() as connection:
        reverted = connection.execute(text(
            f"SELECT count(*) FROM reminder_audit WHERE old_state IN {FINAL} "
            "AND new_state <> old_state")).scalar_one()
        states = Counter(str(state) for (state,) in connection.execute(text(
            "SELECT state FROM reminder WHERE (item_id IS NOT NULL OR chat_id IS NOT NULL) "
            "AND kind NOT IN ('assigned', 'handed', 'moved')")).all())
        claimants = {str(by).split("#")[0] for (by,) in connection.execute(text(
            "SELECT claimed_by FROM reminder WHERE state = 'sent' AND claimed_by IS NOT NULL"))}
        unsent = [tuple(str(v) for v in row) for row in connection.execute(text(
            "SELECT key, state, last_error, claimed_by FROM reminder WHERE state <> 'sent' "
            "AND state <> 'skipped'")).all()]
    engine.dispose()
    return Figures(expected, api.delivered(), int(reverted), states, len(claimants), unsent)
