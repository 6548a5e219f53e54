"""End to end through the fake Bot API, the real bot process: a manager creates an event,
four members register with the card's button, meeting requests are accepted and declined,
slots are booked without double-booking (a stale slot button is a clear conflict), the
day-before reminder arrives once and not again after restarts, and after a clock jump of
three months the follow-up is answered "met, project started"; /stats then counts 1 event,
4 participants, the 2 held talks and 1 project without any /stats add.

The clock jump: the bot process loads tests/events/clock_shift/sitecustomize.py, which
moves `storage.clock.utcnow` by the days in a file the test writes between two starts."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.events.buttons import ACTIONS
from tests.conftest import clean_env, make_settings, start_services
from tests.e2e_support import (
    BOT_ID,
    BOT_USERNAME,
    SILENCE_TIMEOUT,
    STARTUP_TIMEOUT,
    TOKEN,
    RunningBot,
    button_data,
    press,
    t,
    wait_answered,
)
from tests.events.support import event_line, person, tomorrow
from tests.fakebot import Call, FakeBotApi

MANAGER = 42
A, B, C, D, E = 930_001, 930_002, 930_003, 930_004, 930_005
CLOCK_DIR = Path(__file__).parent / "clock_shift"


class Bot:
    """The fake Bot API (kept across restarts) and the bot process of the moment."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
        self.api.start()
        self.running: RunningBot | None = None
        self.starts = 0

    def start(self, shift_days: float = 0, reminder_time: str = "00:00") -> RunningBot:
        (self.workdir / "clock").write_text(str(shift_days), encoding="utf-8")
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=self.api.base_url,
                        DATABASE_URL=f"sqlite:///{self.workdir / 'e2e.sqlite3'}",
                        MANAGER_IDS=str(MANAGER), REMINDER_TIME=reminder_time)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = str(CLOCK_DIR)
        env["CLUSTER_ADVISOR_TEST_CLOCK_FILE"] = str(self.workdir / "clock")
        self.starts += 1
        stderr_path = self.workdir / f"bot{self.starts}.stderr.log"
        first_call = self.api.mark()
        with open(self.workdir / "bot.stdout.log", "ab") as out, \
                open(stderr_path, "wb") as err:
            process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"],
                                       cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err)
        self.running = RunningBot(self.api, process, stderr_path, first_call)
        self.running.wait_until_polling(STARTUP_TIMEOUT)
        return self.running

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    workdir = tmp_path_factory.mktemp("events_e2e")
    services = start_services(make_settings(f"sqlite:///{workdir / 'e2e.sqlite3'}",
                                            manager_ids=str(MANAGER)))
    try:
        person(services, MANAGER)
        person(services, A, offers=["Wärmepumpen"], needs=["Logistik"])
        person(services, B, offers=["logistics software"], needs=["Wärmepumpen"])
        person(services, C, offers=["Logistiksoftware"], needs=["Wärmepumpen"])
        person(services, D, offers=["Speicher"], needs=["logistics"])
        person(services, E, offers=["Beratung"])
    finally:
        services.close()
    fixture = Bot(workdir)
    try:
        yield fixture
    finally:
        try:
            fixture.stop()
        finally:
            fixture.api.stop()


NEW_MESSAGE = ("partners", "ask", "send")  # these answer with a new message, others edit


def _pressed(bot: RunningBot, user: int, data: str, message: dict[str, Any]) -> Call:
    """Press a button; the edited (or, for NEW_MESSAGE actions, new) message answering it."""
    mark, query = press(bot, user, data, message)
    wait_answered(bot, query, after=mark)
    method = "sendMessage" if data.split(":")[1] in NEW_MESSAGE else "editMessageText"
    call = bot.wait_for(method, lambda c: c.params.get("chat_id") == user, after=mark)
    assert call.status == 200, call.response
    return call


def _to(bot: RunningBot, user: int, after: int) -> Call:
    return bot.reply_to(user, after=after)


def _message(bot: RunningBot, call: Call) -> dict[str, Any]:
    return bot.api.sent_message(call)


def _only(data: list[str], action: str) -> list[str]:
    return [d for d in data if d.startswith(f"events:{action}:")]


def _sent_to(bot: Bot, user: int, prefix: str) -> list[Call]:
    return [c for c in bot.api.calls_to("sendMessage")
            if c.params.get("chat_id") == user and str(c.params.get("text", ""))
            .startswith(prefix)]


def test_event_meetings_reminder_follow_up_and_stats(bot: Bot) -> None:
    running = bot.start(reminder_time="23:59")  # the reminder is not due yet
    created = running.say(MANAGER, "/event_new " + event_line(tomorrow(), capacity=4))
    assert t("de", "events_created", id=1) in created.params["text"]
    event = 1
    cards: dict[int, dict[str, Any]] = {}
    for user in (A, B, C, D):
        card = running.say(user, f"/events {event}")
        assert ACTIONS.data("register", event) in button_data(card)
        done = _pressed(running, user, ACTIONS.data("register", event), _message(running, card))
        assert t("de", "events_registered") in done.params["text"]
        cards[user] = _message(running, done)
    late = running.say(MANAGER, f"/events {event}")
    assert "4 von 4 Plätzen belegt, 0 frei" in late.params["text"]
    mark, query = press(running, E, ACTIONS.data("register", event), _message(running, late))
    full = wait_answered(running, query, after=mark)
    assert full.params.get("text") == t("de", "events_full")  # the fifth: a clear notice
    mark, query = press(running, D, "events:slot:1:99", cards[D])  # forged
    assert wait_answered(running, query, after=mark).params.get("text") == t(
        "de", "events_meeting_unknown")

    # A finds B among the suggested partners (matched words shown) and asks without message
    partners = _pressed(running, A, ACTIONS.data("partners", event), cards[A])
    assert "„Logistik“ ≈ deren Angebot „logistics software“" in partners.params["text"]
    ask_b = ACTIONS.data("ask", event, B)
    assert ask_b in button_data(partners)
    asked = _pressed(running, A, ask_b, _message(running, partners))
    mark = running.api.mark()
    sent = _pressed(running, A, ACTIONS.data("send", event, B), _message(running, asked))
    assert sent.params["text"] == t("de", "events_request_sent")
    request_b = _to(running, B, mark)
    accept_ab = _only(button_data(request_b), "accept")[0]

    # C asks A with a message
    _pressed(running, C, ACTIONS.data("ask", event, A), cards[C])
    mark = running.api.mark()
    running.say(C, "Gern zu Logistiksoftware")
    request_a = _to(running, A, mark)
    assert "Gern zu Logistiksoftware" in request_a.params["text"]
    accept_ca = _only(button_data(request_a), "accept")[0]

    mark = running.api.mark()
    slots_b = _pressed(running, B, accept_ab, _message(running, request_b))
    assert "tg://user?id=930001" in slots_b.params["text"]  # contact after consent
    assert "tg://user?id=930002" in _to(running, A, mark).params["text"]
    slots_a = _pressed(running, A, accept_ca, _message(running, request_a))
    first_slot_b = _only(button_data(slots_b), "slot")[0]
    first_slot_a = _only(button_data(slots_a), "slot")[0]
    assert first_slot_a.endswith(":0") and first_slot_b.endswith(":0")

    mark = running.api.mark()
    booked = _pressed(running, B, first_slot_b, _message(running, slots_b))
    assert booked.params["text"].startswith(t("de", "events_slot_booked"))
    assert "15:00" in _to(running, A, mark).params["text"]
    conflict = _pressed(running, A, first_slot_a, _message(running, slots_a))  # A is busy
    assert conflict.params["text"].startswith(t("de", "events_slot_conflict"))
    free = _only(button_data(conflict), "slot")
    assert free and not any(d.endswith(":0") for d in free)
    mark = running.api.mark()
    rebooked = _pressed(running, A, free[0], _message(running, conflict))
    assert "15:00" in rebooked.params["text"] and "15:20" in rebooked.params["text"]
    assert "15:20" in _to(running, C, mark).params["text"]

    # D asks B; B declines
    _pressed(running, D, ACTIONS.data("ask", event, B), cards[D])
    mark = running.api.mark()
    running.say(D, "Hallo")
    request_db = _to(running, B, mark)
    mark = running.api.mark()
    _pressed(running, B, _only(button_data(request_db), "decline")[0],
             _message(running, request_db))
    assert "abgelehnt" in _to(running, D, mark).params["text"]
    bot.stop()

    assert not _sent_to(bot, A, t("de", "events_reminder_title"))
    # the day-before reminder (REMINDER_TIME now 00:00: due since midnight): once, also
    # across two restarts
    running = bot.start()
    for user in (A, B, C, D):
        running.wait_for("sendMessage", lambda c, u=user: c.params.get("chat_id") == u
                         and str(c.params["text"]).startswith(t("de", "events_reminder_title")),
                         timeout=STARTUP_TIMEOUT + 60)  # a pass a minute
    bot.stop()
    running = bot.start()
    time.sleep(3 + SILENCE_TIMEOUT)  # the first pass runs 2 s after start
    for user in (A, B, C, D):
        reminders = _sent_to(bot, user, t("de", "events_reminder_title"))
        assert len(reminders) == 1, reminders
    bot.stop()

    # three months later: the follow-up, answered "met, project started"
    running = bot.start(shift_days=95)
    about_b = running.wait_for("sendMessage", lambda c: c.params.get("chat_id") == A
                               and "Person 930002" in str(c.params["text"])
                               and "Vor 3 Monaten" in str(c.params["text"]),
                               timeout=STARTUP_TIMEOUT)
    followup = _only(button_data(about_b), "fu")[0].split(":")[2]
    step = _pressed(running, A, f"events:fu:{followup}:met:yes", _message(running, about_b))
    assert step.params["text"] == t("de", "events_fu_q_project")
    step = _pressed(running, A, f"events:fu:{followup}:project:yes", _message(running, step))
    step = _pressed(running, A, f"events:fu:{followup}:mention:yes", _message(running, step))
    assert running.say(A, "Wärmepumpen-Pilot").params["text"] == t(
        "de", "events_fu_named", name="Wärmepumpen-Pilot")
    stats = running.say(MANAGER, "/stats").params["text"]
    for kind, value in (("Veranstaltungen", 1), ("Teilnehmende", 4),
                        ("Firmengespräche (B2B)", 2), ("Kooperationsprojekte", 1)):
        assert f"{kind}: <b>{value}</b>" in stats, stats
    assert "✎ von Hand" not in stats and "(4 gezählt)" in stats  # nothing typed in by hand
    assert ACTIONS.data("kpis") in button_data(running.say(MANAGER, "/stats"))
    bot.stop()
