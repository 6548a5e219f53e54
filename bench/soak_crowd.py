"""The soak's crowd (bench_soak.py): who writes what and when, and how the bot's own
messages (reminders, notices, digests) are told apart from the answers.

Visitors ask and browse, members join, fill in and edit profiles, /match, register for
events and mark plan items done, managers add items and events and read the figures; each
waits for the answer before writing again, at least HUMAN_GAP seconds apart (the bot's limit
of 3 messages in 3 s per chat).
"""


from __future__ import annotations

import random
import re
import sys
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


from core.i18n import LANGUAGES, TEXTS, t  # noqa: E402
from tests.fakebot import Call, FakeBotApi  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
MANAGERS = (1_000_001, 1_000_002)
OFFSETS = (3, 1, 0)  # REMINDER_OFFSETS: items due in 3, 1 or 0 days are reminded today
DUE_IN: tuple[int, ...] = (0, 1, 3)
NOT_DUE_IN: tuple[int, ...] = (2, 10)
QUIET_AROUND_REMINDER = 10.0  # s: no item is added this close to REMINDER_TIME
REPLY_TIMEOUT = 60.0
HUMAN_GAP = 1.2  # s between two messages or presses of one person at least

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

