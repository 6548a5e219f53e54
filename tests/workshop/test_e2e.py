"""End to end through the fake Bot API, with the real bot process: a round with three
members through all four steps — competences proposed from their profiles, SWOT statements
with a near-duplicate merged after the manager saw the proposal, a synergy proposed from two
fitting profiles, a draft saved into the action plan whose responsible person is told by the
plan and whose suggested participants include the member whose offer fits — the SWOT chart
as a valid PNG, a visitor who can neither read nor contribute, and a restart in the middle
of step 2 that loses nothing."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.actor import Role
from storage.engine import session_scope
from storage.members.profiles import save_profile
from storage.workshop.contributions import contributions
from tests.action_plan.support import person
from tests.conftest import clean_env, make_settings, start_services
from tests.e2e_support import (
    BOT_ID,
    BOT_USERNAME,
    STARTUP_TIMEOUT,
    TOKEN,
    RunningBot,
    button_data,
    t,
    visible,
)
from tests.fakebot import Call, FakeBotApi
from tests.pitfalls.support import check_png
from tests.workshop.support import PEOPLE

MANAGER = 920_000
ANNA, BEN, CLEO = 501, 502, 503
VISITOR = 920_009
NAMES = {MANAGER: "Maria", ANNA: "Anna", BEN: "Ben", CLEO: "Cleo", VISITOR: "Vera"}
WAIT = 15.0


def _prepare(database: Path) -> None:
    services = start_services(make_settings(f"sqlite:///{database}",
                                            manager_ids=str(MANAGER)))
    try:
        for user_id, (name, organization, kind, offers, needs) in PEOPLE.items():
            person(services, user_id, username=f"ws_{user_id}")
            with session_scope(services.engine) as session:
                save_profile(session=session, telegram_id=user_id, name=name,
                             organization=organization, kind=kind, city="Gelsenkirchen",
                             offers=offers, needs=needs, description="", visible=True)
        person(services, VISITOR, username="ws_visitor", role=Role.VISITOR)
    finally:
        services.close()


class Session:
    """The fake Bot API and the bot process, which can be restarted on the same database."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
        self.api.start()
        self.bot = self.start()

    def start(self) -> RunningBot:
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=self.api.base_url,
                        DATABASE_URL=f"sqlite:///{self.workdir / 'e2e.sqlite3'}",
                        MANAGER_IDS=str(MANAGER))
        env["PYTHONUNBUFFERED"] = "1"
        stderr_path = self.workdir / "bot.stderr.log"
        with open(self.workdir / "bot.stdout.log", "ab") as out, \
                open(stderr_path, "ab") as err:
            process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"],
                                       cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err)
        running = RunningBot(self.api, process, stderr_path)
        mark = self.api.mark()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not any(c.method == "getUpdates" for c in self.api.get_calls()[mark:]):
            assert process.poll() is None and time.monotonic() < deadline, running.describe()
            time.sleep(0.1)
        return running

    def restart(self) -> None:
        self.bot.stop()
        self.bot = self.start()

    # -- what the users do
    def say(self, user: int, text: str) -> Call:
        mark = self.api.mark()
        self.api.push_message(user, text, first_name=NAMES[user])
        return self.bot.reply_to(user, after=mark)

    def tap(self, user: int, data: str, message: dict[str, Any]) -> int:
        mark = self.api.mark()
        self.api.push_callback(user, data, message=message, first_name=NAMES[user])
        return mark

    def answer(self, user: int, mark: int, *, method: str | None = None,
               contains: str = "") -> Call:
        """The bot's next message or edit into `user`'s chat after `mark`."""
        methods = (method,) if method else ("sendMessage", "editMessageText")
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for call in self.api.get_calls()[mark:]:
                if (call.method in methods and call.params.get("chat_id") == user
                        and contains in str(call.params.get("text", ""))):
                    assert call.status == 200, call.response
                    return call
            time.sleep(0.05)
        raise AssertionError(f"no {methods} to {user} containing {contains!r}\n"
                             f"{self.bot.describe()}")

    def press(self, user: int, data: str, message: dict[str, Any], **wanted: Any) -> Call:
        return self.answer(user, self.tap(user, data, message), **wanted)

    def message(self, call: Call) -> dict[str, Any]:
        return self.api.sent_message(call)

    def close(self) -> None:
        try:
            self.bot.stop()
        finally:
            self.api.stop()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    workdir = tmp_path_factory.mktemp("workshop_e2e")
    _prepare(workdir / "e2e.sqlite3")
    running = Session(workdir)
    try:
        yield running
    finally:
        running.close()


def _data(call: Call, pattern: str) -> str:
    found = [d for d in button_data(call) if re.fullmatch(pattern, d)]
    assert found, (pattern, button_data(call))
    return found[0]


def test_a_round_goes_through_the_four_steps_into_the_plan(session: Session) -> None:
    s = session
    card = s.say(MANAGER, "/workshop new E-Mobilität 2027 | Ladeinfrastruktur")
    round_id = int(_data(card, r"ws:invite:\d+:all").split(":")[2])

    # inviting by keyword shows the matching words before anyone is told
    preview = s.press(MANAGER, f"ws:invite:{round_id}:match", s.message(card))
    assert "Ladeinfrastruktur" in visible(s.bot, preview)
    assert "Cleo" not in visible(s.bot, preview)
    preview = s.press(MANAGER, f"ws:invite:{round_id}:all", s.message(card))
    mark = s.tap(MANAGER, f"ws:invite_ok:{round_id}:all", s.message(preview))
    invitations = {user: s.answer(user, mark, method="sendMessage") for user in (ANNA, BEN,
                                                                                 CLEO)}
    card = s.answer(MANAGER, mark, method="editMessageText")

    # step 1: competences proposed from the profile, confirmed in a tap
    prompt = s.press(ANNA, f"ws:contribute:{round_id}:1", s.message(invitations[ANNA]))
    assert "➕ Ladeinfrastruktur" in [b["text"] for b in prompt.params["reply_markup"]
                                     ["inline_keyboard"][0]]
    confirmed = s.press(ANNA, f"ws:offer:{round_id}:0", s.message(prompt),
                        method="editMessageText")
    assert "✅ Ladeinfrastruktur" in str(confirmed.params["reply_markup"])

    # step 2, with a restart in the middle
    mark = s.tap(MANAGER, f"ws:next:{round_id}:1", s.message(card))
    card = s.answer(MANAGER, mark, method="editMessageText")
    step2 = {user: s.answer(user, mark, method="sendMessage") for user in (ANNA, BEN, CLEO)}
    s.press(ANNA, f"ws:contribute:{round_id}:2", s.message(step2[ANNA]))
    s.say(ANNA, "Die Ladeinfrastruktur in der Region ausbauen")
    prompt = s.press(BEN, f"ws:contribute:{round_id}:2", s.message(step2[BEN]))
    s.press(BEN, f"ws:group:{round_id}:companies", s.message(prompt), method="editMessageText")
    s.restart()
    kept = s.say(BEN, "Ladeinfrastruktur in unserer Region ausbauen!")
    assert visible(s.bot, kept).startswith("✓"), visible(s.bot, kept)
    prompt = s.press(CLEO, f"ws:contribute:{round_id}:2", s.message(step2[CLEO]))
    too_long = s.say(CLEO, "x" * 301)
    assert "301" in visible(s.bot, too_long)
    s.say(CLEO, "Mehr Kooperation zwischen Forschung und Unternehmen")
    listing = s.press(CLEO, f"ws:list:{round_id}:2:0", s.message(prompt))
    assert "Die Ladeinfrastruktur in der Region ausbauen" in visible(s.bot, listing)
    assert visible(s.bot, listing).count("#") >= 3  # nothing lost in the restart
    vote = _data(listing, r"ws:vote:\d+:0")
    s.press(CLEO, vote, s.message(listing), method="editMessageText", contains="👍1")

    # a visitor can neither read nor contribute
    refused = s.say(VISITOR, f"/workshop {round_id}")
    assert "Ladeinfrastruktur" not in visible(s.bot, refused)
    mark = s.tap(VISITOR, f"ws:list:{round_id}:2:0", s.message(refused))
    s.bot.wait_for("answerCallbackQuery", after=mark)
    time.sleep(0.5)
    assert not [c for c in s.api.get_calls()[mark:] if c.params.get("chat_id") == VISITOR
                and "Ladeinfrastruktur" in str(c.params.get("text", ""))]

    # the near-duplicate: proposed, shown, merged on the manager's tap
    dups = s.press(MANAGER, f"ws:dups:{round_id}", s.message(card))
    text = visible(s.bot, dups)
    assert "unserer Region" in text and "in der Region" in text
    merge = _data(dups, r"ws:merge:\d+:\d+")
    merged = s.press(MANAGER, merge, s.message(dups), method="editMessageText")
    assert t("de", "ws_merged", dup=merge.split(":")[3], keep=merge.split(":")[2]) in \
        merged.params["text"]

    # the SWOT chart is a PNG
    mark = s.tap(MANAGER, f"ws:summary:{round_id}:2", s.message(card))
    photo = s.bot.wait_for("sendPhoto", lambda c: c.params.get("chat_id") == MANAGER,
                           after=mark)
    check_png(photo.files["photo"])

    # step 3: the synergy of Anna's offer and Ben's need is proposed
    mark = s.tap(MANAGER, f"ws:next:{round_id}:2", s.message(card))
    card = s.answer(MANAGER, mark, method="editMessageText")
    step3 = s.answer(BEN, mark, method="sendMessage")
    prompt = s.press(BEN, f"ws:contribute:{round_id}:3", s.message(step3))
    assert "Ladeinfrastruktur" in visible(s.bot, prompt)
    s.press(BEN, _data(prompt, rf"ws:synergy:{round_id}:{ANNA}:{BEN}"), s.message(prompt),
            method="editMessageText", contains="✓")

    # step 4: drafts, pitfalls before saving, into the plan
    mark = s.tap(MANAGER, f"ws:next:{round_id}:3", s.message(card))
    card = s.answer(MANAGER, mark, method="editMessageText")
    drafts = s.press(MANAGER, f"ws:drafts:{round_id}", s.message(card))
    draft_id = int(_data(drafts, r"ws:draft:\d+").split(":")[2])
    shown = s.press(MANAGER, f"ws:draft:{draft_id}", s.message(drafts))
    assert "KPI" in visible(s.bot, shown) and "⚠️" in visible(s.bot, shown)
    for change in ("responsible Ben", "kpi 5 Pilotstandorte",
                   "participants Forschung, Unternehmen", "horizon 36 Monate"):
        s.say(MANAGER, f"/workshop draft {draft_id} {change}")
    shown = s.say(MANAGER, f"/workshop draft {draft_id} topic Ladeinfrastruktur ausbauen")
    assert "⚠️" not in visible(s.bot, shown)
    saved = s.press(MANAGER, f"ws:to_plan:{draft_id}:check", s.message(shown),
                    method="editMessageText")
    item_id = int(re.findall(r"#(\d+)", visible(s.bot, saved))[0])
    suggest = _data(saved, rf"ws:suggest:{item_id}:{ANNA}")  # her offer fits the action

    # the responsible person is told by the plan's reminder pass (at start, every minute)
    s.restart()
    told = s.answer(BEN, 0, method="sendMessage", contains="Ladeinfrastruktur ausbauen")
    assert any(d.startswith("plan:") for d in button_data(told))

    # Anna is invited, and accepts
    mark = s.tap(MANAGER, suggest, s.message(saved))
    invitation = s.answer(ANNA, mark, method="sendMessage")
    accept = _data(invitation, r"ws:accept:\d+")
    s.press(ANNA, accept, s.message(invitation), method="editMessageText")
    s.answer(MANAGER, mark, method="sendMessage", contains="Anna")

    # the group Ben chose before the restart was still his dialog's after it
    services = start_services(make_settings(f"sqlite:///{s.workdir / 'e2e.sqlite3'}"),
                              upgrade=False)
    try:
        with session_scope(services.engine) as db:
            rows = contributions(session=db, round_id=round_id, step=2, open_only=False)
    finally:
        services.close()
    bens = [c for c in rows if c.author_id == BEN]
    assert [(c.actor_group, c.swot_field, c.status) for c in bens] == [
        ("companies", "S", "merged")]
