"""A soak under mixed load on one SQLite file: nothing lost, nothing doubled, never locked.

Runs `cluster-advisor run` (started as bench_throttle.py starts it) against the fake Bot API
on loopback with a SQLite file (WAL) for `--minutes`, while many users write at once, each
waiting for the reply before writing again (a few seconds of thinking between):

* visitors ask questions in German and English (typos, out of scope), browse /topics, switch
  /language, press 👍 under answers;
* members join through the manager's invite link (over the first half of the run), walk
  through /profile and later edit one field, /match by keywords, open events and register
  with the card's button, read /plan mine and mark items done from the reminders they got;
* one manager adds action items with deadlines today, tomorrow and in three days — due at
  REMINDER_TIME, which the soak sets to the whole minute about 40 % into the run — and in two
  or ten days (not due), and creates events for tomorrow, whose day-before reminders fall due
  at the same minute (as does the weekly digest: DIGEST_WEEKDAY is today); some items name a
  member who has not started the bot yet, who is told at the first pass after starting it
  (the bot's or run-once's, whichever comes first); the other manager asks, reads /health
  and /plan;
* every `--run-once-every` seconds `cluster-advisor reminders run-once` runs beside the bot on
  the same file, racing the bot's own pass (every minute).

After the load the soak waits (at most DRAIN seconds) for the passes to deliver, then checks:
every message and every button press answered (the missing ones listed), no reply or
unexplained extra message beyond them; each due plan reminder, "you are responsible" notice,
event reminder and digest sent exactly once — the fake's sendMessage calls against the plan
items, registrations and managers in the database; no "database is locked", traceback or
ERROR in the bot's or run-once's standard error. Printed besides: reply latency p50/p99, the
bot's resident memory at the end and its CPU time. Exit code 1 when a check fails.

    .venv/bin/python bench/bench_soak.py [--minutes 10] [--members 24] [--visitors 16]
                                         [--think 4] [--run-once-every 15] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_throttle import TOKEN, start, stop  # noqa: E402  (the same bot process, same stop)
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import select  # noqa: E402

from core.i18n import LANGUAGES, TEXTS, t  # noqa: E402
from storage.accounts.tables import Member  # noqa: E402
from storage.action_plan.tables import PlanItem  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.events.tables import Event, EventRegistration  # noqa: E402
from tests.fakebot import Call, FakeBotApi  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
MANAGERS = (1_000_001, 1_000_002)
OFFSETS = (3, 1, 0)  # REMINDER_OFFSETS: items due in 3, 1 or 0 days are reminded today
DUE_IN: tuple[int, ...] = (0, 1, 3)
NOT_DUE_IN: tuple[int, ...] = (2, 10)
QUIET_AROUND_REMINDER = 10.0  # s: no item is added this close to REMINDER_TIME
REPLY_TIMEOUT = 60.0
HUMAN_GAP = 1.2  # s between two messages or presses of one person at least
DRAIN = 150.0  # s after the load: two passes of the bot (every minute) and of run-once
BAD_LOG = re.compile(r"database is locked|Traceback|\bERROR\b|\bCRITICAL\b")

QUESTIONS = {
    "de": ["Was ist ein Cluster?", "Was ist ein Netzwerk?", "Wie finanziert man ein Cluster?",
           "Welche Aufgaben hat ein Clustermanager?", "Was ist der Unterschied zwischen "
           "Cluster und Netzwerk?", "Wie misst man den Erfolg eines Clusters?",
           "Was sind typische Fehler im Clustermanagement?", "wie finde ich partner im "
           "netzwerk", "Was ist ein Aktionsplan?", "Wie wichtig ist Vertrauen im Netzwerk?",
           "Was kostet die Mitgliedschaft bei uns?", "Wie wird das Wetter morgen?",
           "Clustermanagment Aufgabn", "Welche Rolle spielt die Politik?"],
    "en": ["What is a cluster?", "What is cluster management?", "How is a cluster funded?",
           "What does a network manager do?", "How do I measure a cluster's success?",
           "What are common pitfalls of clusters?", "how to find partners in a network",
           "What is an action plan?", "Who pays for cluster management?",
           "What's the weather tomorrow?", "clustr definiton", "Why do clusters fail?"],
}
KEYWORDS = ["Logistik", "RFID", "heat pumps", "Wasserstoff", "Softwareentwicklung",
            "battery", "Sensorik", "Wärmepumpen", "logistics software", "Beratung"]


# ---------------------------------------------------------------- what the bot's messages are


def _forms(template: object) -> list[str]:
    return list(template.values()) if isinstance(template, dict) else [str(template)]


def _pattern(keys: list[str]) -> re.Pattern[str]:
    """The catalogue texts of `keys` in both languages, placeholders as wildcards."""
    options = []
    for key in keys:
        for lang in LANGUAGES:
            for template in _forms(TEXTS[key][lang]):
                options.append("".join(re.escape(literal) + (r"[\s\S]+?" if name is not None
                                                             else "")
                                       for literal, name, _, _ in Formatter().parse(template)))
    return re.compile("|".join(f"(?:{option})" for option in options))


def _keys(*prefixes: str) -> list[str]:
    return [key for key in TEXTS if key.startswith(prefixes)]


PLAN_REMINDER = _pattern(_keys("plan_reminder_title_"))
PLAN_NOTICE = _pattern(_keys("plan_notice_"))
DIGEST = _pattern(["plan_digest_title"])
EVENT_REMINDER = _pattern(["events_reminder_title"])
CREATOR = _pattern(_keys("plan_creator_"))
ITEM_ID = re.compile(r"<b>#(\d+)\b")


def unasked(call: Call) -> str | None:
    """The kind of a message the bot sends by itself (a pass, another's action), else None."""
    text = str(call.params.get("text", ""))
    for kind, pattern in (("plan", PLAN_REMINDER), ("plan", PLAN_NOTICE), ("digest", DIGEST),
                          ("event reminder", EVENT_REMINDER), ("creator", CREATOR)):
        if pattern.match(text):
            return kind
    return None


def plan_ids(text: str) -> tuple[list[int], list[int]]:
    """(notice ids, reminder ids) of a plan message: notices come before the reminder part."""
    found = PLAN_REMINDER.search(text)
    cut = found.start() if found else len(text)
    return ([int(i) for i in ITEM_ID.findall(text[:cut])],
            [int(i) for i in ITEM_ID.findall(text[cut:])])


def button_data(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup")
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return [(str(b.get("text", "")), str(b.get("callback_data", ""))) for row in rows
            for b in row if b.get("callback_data")]


# ------------------------------------------------------------------------------- the users


@dataclass
class Exchange:
    """One message or press and what answered it."""

    user: int
    what: str  # the text, or "press DATA"
    at: float
    reply: Call | None = None
    answered: Call | None = None  # the answerCallbackQuery of a press

    @property
    def latency(self) -> float:
        answer = self.answered or self.reply
        return answer.at - self.at if answer is not None else float("nan")


class Missing(Exception):
    """No answer within REPLY_TIMEOUT: the user stops (a late reply must not be taken for
    the answer to the next message)."""


@dataclass
class Soak:
    """The fake, the shared state of the users, and everything they sent."""

    api: FakeBotApi
    until: float  # time.monotonic() when the load stops
    reminder_at: datetime  # REMINDER_TIME today, UTC
    today: date
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    invite: str | None = None
    people: list[int] = field(default_factory=list)  # the members-to-be
    joined: dict[int, str] = field(default_factory=dict)  # member id -> username
    events: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def running(self) -> bool:
        return time.monotonic() < self.until


class User:
    """One person writing in their private chat, one message at a time."""

    def __init__(self, soak: Soak, user_id: int, lang: str, seed: float, think: float
                 ) -> None:
        self.soak, self.id, self.lang = soak, user_id, lang
        self.username = f"soak{user_id}"
        self.rng = random.Random(seed)
        self.think = think
        self.seen = 0  # call index up to which this user's unasked messages were looked at
        self.last = 0.0  # time.monotonic() of this user's last message or press

    def act(self) -> None:
        """One thing this person does (each kind of user has its own mix)."""
        raise NotImplementedError

    def typing(self) -> None:
        """Nobody writes or taps twice within HUMAN_GAP: dialog answers come quickly, but not
        faster than a person (the bot keeps one message a second per chat, like Telegram)."""
        time.sleep(max(0.0, self.last + HUMAN_GAP - time.monotonic()))
        self.last = time.monotonic()

    def pause(self) -> None:
        time.sleep(self.rng.uniform(self.think / 2, self.think * 1.5))

    def _reply(self, mark: int, methods: tuple[str, ...], exchange: Exchange) -> Call:
        def answer(call: Call) -> bool:
            return (call.method in methods and call.params.get("chat_id") == self.id
                    and unasked(call) is None)
        try:
            return self.soak.api.wait_for(methods[0], answer, REPLY_TIMEOUT, after=mark) \
                if len(methods) == 1 else self._any(answer, mark)
        except AssertionError:
            raise Missing(exchange.what) from None

    def _any(self, answer: Any, mark: int) -> Call:
        """The first call `answer` accepts, whatever its method (wait_for takes one)."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        index = mark
        while time.monotonic() < deadline:
            calls = self.soak.api.get_calls()
            for call in calls[index:]:
                if answer(call):
                    return call
            index = len(calls)
            time.sleep(0.05)
        raise AssertionError("no answer")

    def say(self, text: str, lang: str | None = None) -> Call:
        """Write `text`; the bot's reply (sendMessage into this chat that no pass sent)."""
        api = self.soak.api
        self.typing()
        exchange = Exchange(self.id, text, time.time())
        mark = api.mark()
        api.push_message(self.id, text, username=self.username, first_name=f"U{self.id}",
                         language_code=lang or self.lang)
        self.soak.exchanges.append(exchange)
        exchange.reply = self._reply(mark, ("sendMessage",), exchange)
        return exchange.reply

    def press(self, data: str, under: Call) -> Call:
        """Press the button `data` under the message of `under`, as Telegram sends it (with
        the username); the press's answer, then the message sent or edited for it."""
        api = self.soak.api
        self.typing()
        mark = api.mark()
        exchange = Exchange(self.id, f"press {data}", time.time())
        query = f"soak{self.id}-{mark}"
        api.push_update({"callback_query": {
            "id": query, "data": data, "chat_instance": f"ci{self.id}",
            "message": api.sent_message(under),
            "from": {"id": self.id, "is_bot": False, "first_name": f"U{self.id}",
                     "username": self.username, "language_code": self.lang}}})
        self.soak.exchanges.append(exchange)
        exchange.answered = self._answered(mark, query, exchange)
        exchange.reply = self._reply(mark, ("sendMessage", "editMessageText"), exchange)
        return exchange.reply

    def _answered(self, mark: int, query: str, exchange: Exchange) -> Call:
        try:
            return self.soak.api.wait_for(
                "answerCallbackQuery", lambda c: c.params.get("callback_query_id") == query,
                REPLY_TIMEOUT, after=mark)
        except AssertionError:
            raise Missing(exchange.what) from None

    def inbox(self, kind: str) -> list[Call]:
        """Messages of `kind` the bot sent this user by itself since the last look."""
        calls = self.soak.api.get_calls()
        found = [c for c in calls[self.seen:] if c.method == "sendMessage"
                 and c.params.get("chat_id") == self.id and c.status == 200
                 and unasked(c) == kind]
        self.seen = len(calls)
        return found

    def question(self) -> None:
        lang = self.lang if self.rng.random() < 0.8 else ("en" if self.lang == "de" else "de")
        answer = self.say(self.rng.choice(QUESTIONS[lang]), lang)
        thumbs = [d for label, d in button_data(answer) if label.startswith("👍")]
        if thumbs and self.rng.random() < 0.3:
            self.press(thumbs[0], answer)

    def topics(self) -> None:
        listing = self.say("/topics")
        chapters = [d for _, d in button_data(listing) if d.startswith("kb:chapter:")]
        if chapters:
            self.press(self.rng.choice(chapters), listing)


class Visitor(User):
    def act(self) -> None:
        roll = self.rng.random()
        if roll < 0.65:
            self.question()
        elif roll < 0.8:
            self.topics()
        elif roll < 0.9:
            self.say(self.rng.choice(["/help", "/start", "/privacy"]))
        else:
            self.lang = "en" if self.lang == "de" else "de"
            self.say(f"/language {self.lang}")


class Person(User):
    """A member: joins by the invite link, makes a profile, matches, registers, closes items."""

    profiled = False
    registered: set[int]

    def join(self) -> None:
        while self.soak.invite is None and self.soak.running():
            time.sleep(0.2)
        welcome = self.say(f"/start {self.soak.invite}")
        if "Mitglied" in str(welcome.params.get("text")) or "member" in str(
                welcome.params.get("text")):
            with self.soak.lock:
                self.soak.joined[self.id] = self.username
        else:
            self.soak.problems.append(f"{self.id} did not become a member: "
                                      f"{str(welcome.params.get('text'))[:80]}")
        self.registered = set()

    def profile(self, reply: Call) -> None:
        """Answer the profile dialog (or a one-field edit) until it says saved."""
        answers = {1: f"Person {self.id}", 2: f"Org {self.id % 7}", 4: "Essen",
                   5: ", ".join(self.rng.sample(KEYWORDS, 2)),
                   6: ", ".join(self.rng.sample(KEYWORDS, 2)), 7: "Wir suchen Partner."}
        for _ in range(14):
            text, data = str(reply.params.get("text", "")), [d for _, d in button_data(reply)]
            if t(self.lang, "members_profile_saved") in text:
                self.profiled = True
                return
            kind = [d for d in data if d.startswith("profile:kind:")]
            if kind:
                reply = self.press(self.rng.choice(kind), reply)
            elif "profile:suggestions:keep" in data:
                reply = self.press("profile:suggestions:keep", reply)
            elif "profile:visible:yes" in data:
                reply = self.press("profile:visible:yes", reply)
            else:
                step = re.search(r"(?:Schritt|Step) (\d)/8", text)
                reply = self.say(answers.get(int(step.group(1)), "-") if step
                                 else ", ".join(self.rng.sample(KEYWORDS, 2)))
        self.soak.problems.append(f"{self.id}: the profile dialog did not end")

    def act(self) -> None:
        if not self.profiled:
            self.profile(self.say("/profile"))
            return
        reminders = self.inbox("plan")
        closable = [d for r in reminders for _, d in button_data(r)
                    if d.startswith("plan:done:") and PLAN_REMINDER.search(
                        str(r.params.get("text", "")))]
        roll = self.rng.random()
        if closable and roll < 0.5:
            self.press(self.rng.choice(closable), reminders[-1])
        elif roll < 0.35:
            self.question()
        elif roll < 0.55:
            self.say(f"/match {self.rng.choice(KEYWORDS)}" if self.rng.random() < 0.7
                     else "/match")
        elif roll < 0.7:
            self.register()
        elif roll < 0.8:
            overview = self.say("/profile")
            if any(d == "profile:edit:offers" for _, d in button_data(overview)):
                self.profile(self.press("profile:edit:offers", overview))
        elif roll < 0.9:
            self.say("/plan mine" if self.lang == "en" else "/plan meine")
        else:
            self.topics()

    def register(self) -> None:
        open_events = [e for e in self.soak.events if e not in self.registered]
        if not open_events:
            self.say("/events")
            return
        event = self.rng.choice(open_events)
        card = self.say(f"/events {event}")
        if any(d == f"events:register:{event}" for _, d in button_data(card)):
            self.press(f"events:register:{event}", card)
            self.registered.add(event)


class Planner(User):
    """The manager who invites, adds action items and creates events."""

    added = 0
    made = 0

    def act(self) -> None:
        if self.soak.invite is None:
            self.say("/start")
            found = re.search(r"start=([A-Za-z0-9_-]+)", str(self.say("/invite").params["text"]))
            self.soak.invite = found.group(1) if found else None
            return
        now = datetime.now(UTC)
        quiet = abs((now - self.soak.reminder_at).total_seconds()) < QUIET_AROUND_REMINDER
        roll = self.rng.random()
        if self.made == 0 or (roll < 0.12 and self.made < 6):
            self.event()
        elif roll < 0.75 and self.soak.joined and not quiet:
            self.item(now)
        else:
            self.say(self.rng.choice(["/plan", "/plan soon", "/stats", "/members", "/events"]))

    def event(self) -> None:
        self.made += 1
        day = (datetime.now(BERLIN) + timedelta(days=1)).strftime("%d.%m.%Y")
        reply = self.say(f"/event_new Soak-Treffen {self.made} | {day} 14:00-18:00 | "
                         f"Halle {self.made} | 40 | {day} | Themen: Wasserstoff")
        found = re.search(r"(?:Nr\.|no\.) (\d+)", str(reply.params.get("text", "")))
        if found:
            with self.soak.lock:
                self.soak.events.append(int(found.group(1)))
        else:
            self.soak.problems.append(f"/event_new failed: {reply.params.get('text')!r:.120}")

    def item(self, now: datetime) -> None:
        self.added += 1
        with self.soak.lock:
            waiting = sorted(set(self.soak.people) - set(self.soak.joined))
            joined = sorted(self.soak.joined)
        if waiting and self.rng.random() < 0.3:  # told at the first pass after they start
            who, choices = waiting, NOT_DUE_IN  # (not due: the notice would stand for it)
        else:
            who, choices = joined, DUE_IN if self.rng.random() < 0.75 else NOT_DUE_IN
        person = self.rng.choice(who)
        days = self.rng.choice(choices)
        deadline = (self.soak.today + timedelta(days=days)).strftime("%d.%m.%Y")
        reply = self.say(f"/plan_add Soak {self.added} | Aktion {self.added} in {days} Tagen | "
                         f"{deadline} | @soak{person} | Forschung, Unternehmen | Teilnehmende")
        if "#" not in str(reply.params.get("text", "")):
            self.soak.problems.append(f"/plan_add failed: {reply.params.get('text')!r:.120}")


class Reader(User):
    """The other manager: asks, looks at the plan and the health check."""

    def act(self) -> None:
        roll = self.rng.random()
        if roll < 0.5:
            self.question()
        else:
            self.say(self.rng.choice(["/health", "/plan", "/plan overdue", "/unanswered",
                                      "/stats", "/help"]))


def live(user: User) -> None:
    """The user's loop until the load stops; a missing answer ends it, a crash is reported."""
    try:
        if isinstance(user, Person):
            time.sleep(user.rng.uniform(0, max(1.0, (user.soak.until - time.monotonic())
                                                * 0.5)))
            user.join()
        while user.soak.running():
            user.act()
            user.pause()
    except Missing as exc:
        user.soak.problems.append(f"user {user.id}: no answer to {exc}")
    except Exception:  # a bug in the soak or an answer it did not expect: shown, counted
        user.soak.problems.append(f"user {user.id} crashed:\n{traceback.format_exc()}")


# -------------------------------------------------------------------------- run-once racer


@dataclass
class RunOnce:
    runs: int = 0
    failed: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    stderr: str = ""


def race(soak: Soak, env: dict[str, str], folder: str, every: float, stop_at: threading.Event,
         result: RunOnce) -> None:
    """`cluster-advisor reminders run-once` beside the bot, on the same file, until stopped."""
    while not stop_at.wait(every):
        done = subprocess.run([sys.executable, "-m", "bot.cli", "reminders", "run-once"],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=300,
                              check=False)
        result.runs += 1
        result.stderr += done.stderr
        if done.returncode:
            result.failed.append(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
        elif not done.stdout.startswith("0 message(s)"):
            result.summaries.append(done.stdout.strip())


# ---------------------------------------------------------------------------------- checks


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expected(engine: Engine, soak: Soak) -> dict[str, set[Any]]:
    """What must have been sent once, from the database: reminders of the items due at
    REMINDER_TIME (deadline in 0, 1 or 3 days, added before it, a member responsible),
    the notices of every item with a member responsible, an event reminder per registration
    for tomorrow's events, one digest per manager."""
    with session_scope(engine) as session:
        members = {m.id: m.telegram_id for m in session.exec(select(Member)).all()}
        items = session.exec(select(PlanItem)).all()
        tomorrow = soak.today + timedelta(days=1)
        events = {e.id for e in session.exec(select(Event)).all()
                  if aware(e.starts_at).astimezone(BERLIN).date() == tomorrow}
        registrations = session.exec(select(EventRegistration)).all()
    owned = [(i.id, members[i.responsible_id]) for i in items if i.responsible_id in members]
    due = {(i.id, members[i.responsible_id]) for i in items if i.responsible_id in members
           and (i.deadline - soak.today).days in DUE_IN
           and aware(i.created_at) < soak.reminder_at}  # done moves planned_from
    return {"plan reminder": due, "notice": set(owned),
            "event reminder": {(r.event_id, r.telegram_id) for r in registrations
                               if r.event_id in events},
            "digest": set(MANAGERS)}


def delivered(api: FakeBotApi) -> dict[str, list[Any]]:
    """What the passes and the replies' side messages sent, as the fake received it."""
    sent: dict[str, list[Any]] = {"plan reminder": [], "notice": [], "event reminder": [],
                                  "digest": []}
    for call in api.calls_to("sendMessage"):
        kind, chat = unasked(call), call.params.get("chat_id")
        if call.status != 200 or kind is None:
            continue
        text = str(call.params.get("text", ""))
        if kind == "plan":
            notices, reminders = plan_ids(text)
            sent["notice"] += [(i, chat) for i in notices]
            sent["plan reminder"] += [(i, chat) for i in reminders]
        elif kind == "digest":
            sent["digest"].append(chat)
        elif kind == "event reminder":
            ids = {int(m) for _, d in button_data(call) for m in re.findall(r"events:\w+:(\d+)",
                                                                             d)}
            sent["event reminder"] += [(i, chat) for i in sorted(ids)[:1]]
    return sent


def once(want: dict[str, set[Any]], got: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    """Per kind: (expected, sent, lost, doubled, unexpected)."""
    table = {}
    for kind, wanted in want.items():
        sent = got[kind]
        lost = sorted(wanted - set(sent))
        doubled = sorted({x for x in sent if sent.count(x) > 1})
        extra = sorted(set(sent) - wanted)
        table[kind] = (len(wanted), len(sent), lost, doubled, extra)
    return table


def pending(engine: Engine, soak: Soak, api: FakeBotApi) -> int:
    figures = once(expected(engine, soak), delivered(api))
    return sum(len(lost) for _, _, lost, _, _ in figures.values())


def stray(api: FakeBotApi, soak: Soak) -> list[str]:
    """Messages into the users' chats that answer nothing and no pass sent (a reply twice?),
    and calls Telegram refused."""
    answers = {id(e.reply) for e in soak.exchanges if e.reply is not None}
    users = {e.user for e in soak.exchanges}
    lines = []
    for call in api.get_calls():
        if call.method not in ("sendMessage", "editMessageText", "answerCallbackQuery"):
            continue
        if call.status != 200:
            lines.append(f"refused {call.method} [{call.status}] {call.response!r:.150}")
        elif (call.method == "sendMessage" and call.params.get("chat_id") in users
              and id(call) not in answers and unasked(call) is None):
            lines.append(f"unasked message to {call.params.get('chat_id')}: "
                         f"{str(call.params.get('text'))[:100]!r}")
    return lines


def log_errors(log: str) -> dict[str, int]:
    """Distinct bad log records (ERROR, CRITICAL, a traceback, a locked database), each as
    its first line and, for a traceback, the exception it ended in; with counts."""
    found: dict[str, int] = {}
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", log)
    for record in records:
        if not BAD_LOG.search(record):
            continue
        lines = record.strip().splitlines()
        head = re.sub(r"^[\d:, -]+", "", lines[0])
        head = re.sub(r"\d+", "N", head)  # "Update 100072 failed" once, not per update
        last = lines[-1].strip() if len(lines) > 1 else ""
        key = f"{head} -> {last}" if last else head
        found[key] = found.get(key, 0) + 1
    return found


def process_figures(pid: int) -> tuple[float, float, float]:
    """Resident memory now and at its peak (MB), and CPU seconds, of the bot process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, hwm, cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered \
        else float("nan")


# ------------------------------------------------------------------------------------ main

TZ_NAME = "Europe/Berlin"


def settle_reminder_time(load_seconds: float) -> datetime:
    """REMINDER_TIME: the whole minute about 40 % into the load; sleeps until the bot can
    start so that it is (start-up takes 10-20 s)."""
    startup = 20.0
    now = datetime.now(BERLIN)
    target = now + timedelta(seconds=startup + 0.4 * load_seconds)
    moment = (target + timedelta(minutes=1)).replace(second=0, microsecond=0) \
        if target.second or target.microsecond else target
    wait = (moment - target).total_seconds()
    print(f"REMINDER_TIME {moment:%H:%M} ({TZ_NAME}); waiting {wait:.0f} s so that it falls "
          f"40 % into the load", flush=True)
    time.sleep(wait)
    return moment.astimezone(UTC)


@dataclass
class Outcome:
    """Everything the report needs, gathered while the fake and the bot still ran."""

    soak: Soak
    users: int
    racer: RunOnce
    figures: dict[str, tuple[Any, ...]]
    strays: list[str]
    pass_messages: int
    log: str
    load_wall: float
    wall: float
    bench_cpu: float
    rss: float
    hwm: float
    cpu: float


def crowd(soak: Soak, args: argparse.Namespace) -> list[User]:
    rng = random.Random(args.seed)
    users: list[User] = [Planner(soak, MANAGERS[0], "de", rng.random(), args.think),
                         Reader(soak, MANAGERS[1], "en", rng.random(), args.think)]
    users += [Person(soak, 2_000_000 + n, LANGUAGES[n % 2], rng.random(), args.think)
              for n in range(args.members)]
    users += [Visitor(soak, 3_000_000 + n, LANGUAGES[n % 2], rng.random(), args.think)
              for n in range(args.visitors)]
    return users


def run(args: argparse.Namespace, folder: str) -> Outcome:
    """Start the bot, run the load and the racer, wait for the passes, gather the figures."""
    load = args.minutes * 60
    reminder_at = settle_reminder_time(load)
    today = reminder_at.astimezone(BERLIN).date()
    # start() passes the environment on, minus TELEGRAM_* and DATABASE_*: the soak's settings
    os.environ.update(MANAGER_IDS=",".join(map(str, MANAGERS)), TIMEZONE=TZ_NAME,
                      REMINDER_OFFSETS=",".join(map(str, OFFSETS)),
                      REMINDER_TIME=reminder_at.astimezone(BERLIN).strftime("%H:%M"),
                      DIGEST_WEEKDAY=today.strftime("%a").lower(), CLUSTER_NAME="Soak")
    url = f"sqlite:///{folder}/bench.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    with FakeBotApi(token=TOKEN) as api:
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                   DATABASE_URL=url, LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        wall, bench_cpu = time.monotonic(), time.process_time()
        process = start(api, folder)
        soak = Soak(api, time.monotonic() + load, reminder_at, today)
        if reminder_at <= datetime.now(UTC):
            soak.problems.append("the bot started after REMINDER_TIME: no reminder falls due")
        users = crowd(soak, args)
        soak.people = [u.id for u in users if isinstance(u, Person)]
        threads = [threading.Thread(target=live, args=(u,), daemon=True) for u in users]
        halt, racer = threading.Event(), RunOnce()
        engine = make_engine(url)  # the soak's own reads: a third process on the file
        racing = threading.Thread(target=race, args=(soak, env, folder, args.run_once_every,
                                                     halt, racer), daemon=True)
        try:
            for thread in [*threads, racing]:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(1.0, soak.until - time.monotonic()) + REPLY_TIMEOUT * 3)
            load_wall = time.monotonic() - wall
            drain_until = time.monotonic() + DRAIN
            while time.monotonic() < drain_until and pending(engine, soak, api):
                time.sleep(5)
            halt.set()
            racing.join(timeout=300)
            rss, hwm, cpu = process_figures(process.pid)
        finally:
            stop(process)
        figures = once(expected(engine, soak), delivered(api))
        engine.dispose()
        passes = sum(1 for c in api.calls_to("sendMessage") if c.status == 200 and (
            DIGEST.match(str(c.params.get("text", "")))
            or PLAN_REMINDER.search(str(c.params.get("text", "")))))
        return Outcome(soak, len(users), racer, figures, stray(api, soak), passes,
                       (Path(folder) / "advisor.stderr.log").read_text(errors="replace"),
                       load_wall, time.monotonic() - wall, time.process_time() - bench_cpu,
                       rss, hwm, cpu)


def report_answers(out: Outcome, failures: list[str]) -> None:
    messages = [e for e in out.soak.exchanges if not e.what.startswith("press ")]
    presses = [e for e in out.soak.exchanges if e.what.startswith("press ")]
    unanswered = [e for e in messages if e.reply is None]
    unpressed = [e for e in presses if e.answered is None]
    print(f"Messages: {len(messages)} sent ({len(messages) / out.load_wall:.1f}/s), "
          f"{len(messages) - len(unanswered)} answered; button presses: {len(presses)}, "
          f"{len(presses) - len(unpressed)} answered")
    for e in unanswered + unpressed:
        print(f"  MISSING: user {e.user}: {e.what!r} at {datetime.fromtimestamp(e.at):%H:%M:%S}")
        failures.append("a message or press got no answer")
    for line in out.strays[:20]:
        print(f"  {line}")
    if out.strays:
        failures.append(f"{len(out.strays)} refused or unexplained messages")
    replies = [e.latency for e in messages if e.reply is not None]
    answers = [e.latency for e in presses if e.answered is not None]
    print(f"Reply latency over the soak: p50 {percentile(replies, .5) * 1000:.0f} ms, p99 "
          f"{percentile(replies, .99) * 1000:.0f} ms, max {max(replies or [0]) * 1000:.0f} ms; "
          f"press answered p50 {percentile(answers, .5) * 1000:.0f} ms, p99 "
          f"{percentile(answers, .99) * 1000:.0f} ms")


def report_deliveries(out: Outcome, failures: list[str]) -> None:
    for kind, (want, sent, lost, doubled, extra) in out.figures.items():
        print(f"{kind.capitalize()}s: {want} due, {sent} sent; lost {len(lost)}, doubled "
              f"{len(doubled)}, not due but sent {len(extra)}")
        for label, values in (("lost", lost), ("doubled", doubled), ("not due", extra)):
            if values:
                print(f"  {label}: {values[:20]}")
                failures.append(f"{kind}: {label}")
    by_run_once = sum(int(line.split(" ", 1)[0]) for line in out.racer.summaries
                      if line.split(" ", 1)[0].isdigit())
    print(f"Race: {out.pass_messages} plan reminder and digest messages in all; run-once "
          f"({out.racer.runs} runs) sent {by_run_once} messages (reminders, digests and the "
          f"notices of members who started the bot late), the bot's own pass the rest")


def report_logs(out: Outcome, failures: list[str]) -> None:
    bad = log_errors(out.log + out.racer.stderr)
    locked = sum(count for line, count in bad.items() if "database is locked" in line)
    warnings = [line for line in out.log.splitlines() if " WARNING " in line]
    print(f"Logs: {locked} 'database is locked', {sum(bad.values())} errors or tracebacks "
          f"(bot and run-once), {len(warnings)} warnings in the bot's log; run-once failed "
          f"{len(out.racer.failed)} times")
    for line, count in sorted(bad.items(), key=lambda pair: -pair[1])[:12]:
        print(f"  {count} x {line[:240]}")
    for line in out.racer.failed[:6]:
        print(f"  run-once: {line}")
    if bad or out.racer.failed:
        failures.append("errors in the logs")
    distinct: dict[str, int] = {}
    for problem in out.soak.problems:
        key = re.sub(r"\b\d{7}\b", "N", problem.splitlines()[0] if "crashed" not in problem
                     else problem)
        distinct[key] = distinct.get(key, 0) + 1
    for problem, count in list(distinct.items())[:12]:
        print(f"  problem ({count} x): {problem[:1500]}")
    if out.soak.problems:
        failures.append("users saw problems")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--members", type=int, default=24)
    parser.add_argument("--visitors", type=int, default=16)
    parser.add_argument("--think", type=float, default=4.0, help="mean seconds between two "
                        "messages of one user")
    parser.add_argument("--run-once-every", type=float, default=15.0)
    parser.add_argument("--keep", action="store_true", help="keep the folder (database, logs)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="soak-")
    out = run(args, folder)
    print(f"\nSoak: {args.minutes:g} min of load ({out.load_wall:.0f} s with the users' last "
          f"replies), {out.users} users ({args.members} members, {args.visitors} visitors, "
          f"2 managers), think {args.think:g} s; reminders due at "
          f"{out.soak.reminder_at.astimezone(BERLIN):%H:%M}; run-once every "
          f"{args.run_once_every:g} s")
    failures: list[str] = []
    report_answers(out, failures)
    report_deliveries(out, failures)
    report_logs(out, failures)
    print(f"Bot process at the end: resident {out.rss:.0f} MB (peak {out.hwm:.0f} MB), CPU "
          f"{out.cpu:.0f} s in {out.wall:.0f} s wall; the soak itself {out.bench_cpu:.0f} s CPU")
    if args.keep:
        print(f"Kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    print("PASS" if not failures else "FAIL: " + "; ".join(sorted(set(failures))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
