"""End to end: the real bot process sends a due reminder as a private message through the fake
Bot API right after start, its buttons work, a blocked owner shows up in the managers' digest,
/plan and /plan_export work over Telegram; whoever is named responsible gets the item's card
at once (or, named before they started the bot, at the first pass), and the creator hears when
they mark it done."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from core.action_plan import items as plan_items
from core.action_plan.items import Draft
from core.action_plan.schedule import WEEKDAYS
from core.identity import identify
from storage.action_plan.tables import PlanItem
from storage.engine import session_scope
from tests.action_plan.support import BERLIN, add_item, data, person
from tests.conftest import clean_env, make_settings, start_services
from tests.e2e_support import (
    BOT_ID,
    BOT_USERNAME,
    STARTUP_TIMEOUT,
    TOKEN,
    RunningBot,
    button_data,
    press,
    t,
    wait_answered,
)
from tests.fakebot import FakeBotApi

MANAGER_ID = 910_000
OWNER = 910_001
BLOCKED = 910_002
STRANGER = 910_003
ASSIGNEE = 910_004  # named in a /plan_add during the test
LATE = 910_005  # named before they started the bot


def _prepare(database: Path) -> dict[str, int]:
    """Two owners with an item due today (created yesterday), and a member who is neither."""
    settings = make_settings(f"sqlite:///{database}", manager_ids=str(MANAGER_ID))
    services = start_services(settings)
    ids: dict[str, int] = {}
    try:
        today = datetime.now(BERLIN).date()
        yesterday = datetime.now(BERLIN) - timedelta(days=1)
        boss = identify(services, user_id=MANAGER_ID, chat_id=MANAGER_ID, name="Manager",
                        username="e2e_manager", language_code="de")
        for name, user in (("owner", OWNER), ("blocked", BLOCKED)):
            person(services, user, username=f"e2e_{name}")
            item = add_item(services, boss, deadline=today, responsible=f"@e2e_{name}",
                            topic=f"Thema {name}", now=yesterday)
            assert item.id is not None
            ids[name] = item.id
        person(services, STRANGER, username="e2e_stranger")
        person(services, ASSIGNEE, username="e2e_assignee", language="en")
        late, _ = plan_items.create(services, boss, Draft(  # recorded, nobody to tell yet
            topic="Thema late", action="Aktion", deadline=today + timedelta(days=400),
            responsible="@e2e_late"))
        assert late.id is not None
        ids["late"] = late.id
        person(services, LATE, username="e2e_late")  # starts the bot while it is down
    finally:
        services.close()
    return ids


Started = tuple[RunningBot, dict[str, int]]  # the bot, and item ids by owner


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    """The bot, started after the database was filled and a 403 was queued for BLOCKED."""
    workdir = tmp_path_factory.mktemp("plan_e2e")
    database = workdir / "e2e.sqlite3"
    ids = _prepare(database)
    api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
    api.start()
    api.fail_next("sendMessage", error_code=403, chat_id=BLOCKED,
                  description="Forbidden: bot was blocked by the user")
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                    DATABASE_URL=f"sqlite:///{database}", MANAGER_IDS=str(MANAGER_ID),
                    REMINDER_TIME="00:00",
                    DIGEST_WEEKDAY=WEEKDAYS[datetime.now(BERLIN).weekday()])
    env["PYTHONUNBUFFERED"] = "1"
    stderr_path = workdir / "bot.stderr.log"
    with open(workdir / "bot.stdout.log", "wb") as stdout, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=workdir,
                                   env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                   stderr=stderr)
    bot = RunningBot(api, process, stderr_path)
    try:
        bot.wait_until_polling(STARTUP_TIMEOUT)
        yield bot, ids
    finally:
        try:
            bot.stop()
        finally:
            api.stop()
    items = _items(database)
    assert items, "the database is still readable after the bot stopped"


def _items(database: Path) -> dict[int, PlanItem]:
    services = start_services(make_settings(f"sqlite:///{database}"), upgrade=False)
    try:
        with session_scope(services.engine) as session:
            return {i.id or 0: i for i in session.exec(select(PlanItem)).all()}
    finally:
        services.close()


def test_due_reminder_arrives_as_a_private_message_with_buttons(
        running: Started) -> None:
    bot, ids = running
    reminder = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == OWNER
                            and c.status == 200, timeout=STARTUP_TIMEOUT)
    assert reminder.params.get("parse_mode") == "HTML"
    assert reminder.params["text"].startswith(t("de", "plan_reminder_title_one"))
    assert "Thema owner" in reminder.params["text"]
    assert t("de", "plan_due_today") in reminder.params["text"]
    item = ids["owner"]
    assert button_data(reminder) == [data("done", item, "reminder"),
                                     data("progress", item, "reminder"),
                                     data("postpone", item)]

    stranger_mark, query = press(bot, STRANGER, data("done", item, "reminder"),
                                 bot.api.sent_message(reminder))
    answered = wait_answered(bot, query, after=stranger_mark)
    assert t("de", "plan_not_yours", id=item) in str(answered.params.get("text"))

    mark, query = press(bot, OWNER, data("done", item, "reminder"),
                        bot.api.sent_message(reminder))
    wait_answered(bot, query, after=mark)
    confirmation = bot.reply_to(OWNER, after=mark)
    assert confirmation.params["text"].startswith(t("de", "plan_now_done", id=item))
    stranger_messages = [c for c in bot.api.get_calls()[stranger_mark:]
                         if c.method == "sendMessage" and c.params.get("chat_id") == STRANGER]
    assert stranger_messages == [], "a refused press sends no message"


def test_blocked_owner_is_in_the_managers_digest(
        running: Started) -> None:
    bot, _ = running
    blocked = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == BLOCKED,
                           timeout=STARTUP_TIMEOUT)
    assert blocked.status == 403
    digest = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == MANAGER_ID
                          and "plan_digest" not in c.params["text"]
                          and c.params["text"].startswith("📋"), timeout=STARTUP_TIMEOUT)
    assert digest.status == 200, digest.response
    text = digest.params["text"]
    assert "@e2e_blocked" in text and "blockiert" in text
    assert data("page", "overdue", 0) in button_data(digest)
    assert bot.api.calls_to("sendMessage").count(blocked) == 1, "403 is not retried"


def test_plan_list_and_export_work_over_telegram(
        running: Started) -> None:
    bot, ids = running
    listing = bot.say(STRANGER, "/plan")
    assert listing.params["text"].startswith("<b>")
    assert "Thema blocked" in listing.params["text"]
    assert data("card", ids["blocked"]) in button_data(listing)

    mark = bot.api.mark()
    bot.api.push_message(STRANGER, "/plan_export")
    bot.reply_to(STRANGER, after=mark)
    documents = [bot.wait_for("sendDocument", lambda c: c.params.get("chat_id") == STRANGER,
                              after=mark)]
    documents.append(bot.wait_for("sendDocument", lambda c: c.params.get("chat_id") == STRANGER
                                  and c is not documents[0], after=mark))
    contents = sorted(next(iter(c.files.values()))[:15] for c in documents)
    assert contents[0].startswith(b"BEGIN:VCALENDAR") or contents[1].startswith(
        b"BEGIN:VCALENDAR"), contents


def test_person_named_before_starting_the_bot_gets_the_card_at_the_first_pass(
        running: Started) -> None:
    bot, ids = running
    notice = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == LATE,
                          timeout=STARTUP_TIMEOUT)
    assert notice.status == 200, notice.response
    assert notice.params["text"].startswith(t("de", "plan_notice_assigned"))
    assert "Thema late" in notice.params["text"]
    item = ids["late"]
    assert button_data(notice) == [data("done", item, "reminder"),
                                   data("progress", item, "reminder"), data("postpone", item)]


def test_person_named_in_plan_add_gets_the_card_and_the_creator_hears_when_done(
        running: Started) -> None:
    bot, _ = running
    mark = bot.api.mark()
    saved = bot.say(MANAGER_ID, "/plan_add Thema neu | Aktion | 31.12.2030 | @e2e_assignee")
    assert "Thema neu" in saved.params["text"]
    notice = bot.reply_to(ASSIGNEE, after=mark)
    text = notice.params["text"]
    assert text.startswith(t("en", "plan_notice_assigned")), "in the assignee's language"
    assert "Thema neu" in text and "2030-12-31" in text
    item = int(button_data(notice)[0].split(":")[2])
    assert button_data(notice) == [data("done", item, "reminder"),
                                   data("progress", item, "reminder"), data("postpone", item)]

    pressed, query = press(bot, ASSIGNEE, data("done", item, "reminder"),
                           bot.api.sent_message(notice), language_code="en")
    wait_answered(bot, query, after=pressed)
    assert bot.reply_to(ASSIGNEE, after=pressed).params["text"].startswith(
        t("en", "plan_now_done", id=item))
    told = bot.reply_to(MANAGER_ID, after=pressed)
    # the fake's button press carries no @username, so the assignee is shown by name
    assert told.params["text"] == t("de", "plan_creator_done", who="Test", id=item,
                                    topic="Thema neu")
    assert button_data(told) == [data("card", item)]


def test_zz_the_bot_keeps_running(running: Started) -> None:
    bot, _ = running
    assert bot.process.poll() is None, bot.describe()
    assert bot.api.errors == []
