"""End to end (#12): the real bot process against the fake Telegram Bot API. A member's
question is not answered; the manager finds it in /unanswered and writes the answer in the
chat; the member asks in other words and gets the cluster's answer; a 👎 reaches the queue;
a visitor's forged presses of every manager button change nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.actor import Role
from core.feature import Argument, integer
from core.questions import TEACH_ACTIONS
from tests.conftest import make_settings, start_services
from tests.e2e_support import (
    RunningBot,
    button_data,
    buttons,
    press,
    start_bot,
    t,
    visible,
    wait_answered,
)
from tests.questions.support import OFFICE_ANSWER, OFFICE_HOURS, OFFICE_HOURS_AGAIN, person

MANAGER = 920_000
MEMBER = 920_001
VISITOR = 920_002


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningBot, Path]]:
    workdir = tmp_path_factory.mktemp("teaching_e2e")
    database = workdir / "e2e.sqlite3"
    services = start_services(make_settings(f"sqlite:///{database}"))
    try:
        person(services, MEMBER, Role.MEMBER)
    finally:
        services.close()
    bot = start_bot(workdir, MANAGER_IDS=str(MANAGER))
    try:
        yield bot, database
    finally:
        bot.close()


def _press(bot: RunningBot, user: int, data: str, call_message: dict[str, object]) -> int:
    mark, query_id = press(bot, user, data, call_message)
    wait_answered(bot, query_id, after=mark)
    return mark


def _valid(reader: Argument) -> str:
    """An argument the table accepts, so the press reaches the role check: an existing
    entry, the first question, a language, a field."""
    if reader is integer:
        return "1"
    for value in ("what_is_a_cluster", "title", "de"):
        try:
            reader(value)
            return value
        except ValueError:
            continue
    raise AssertionError(f"no valid value for {reader}")


def _snapshot(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(map(tuple, connection.execute(f'SELECT * FROM "{name}"')), key=repr)
                for name in tables if name not in ("member", "alembic_version")}


def test_manager_teaches_an_answer_and_the_member_gets_it(running: tuple[RunningBot, Path]
                                                          ) -> None:
    bot, _ = running
    missed = bot.say(MEMBER, OFFICE_HOURS)
    assert missed.params["text"].startswith(t("de", "not_sure", question=OFFICE_HOURS))

    queue = bot.say(MANAGER, "/unanswered")
    assert OFFICE_HOURS in visible(bot, queue)
    group = next(d for d in button_data(queue) if d.startswith("teach:group:"))
    mark = _press(bot, MANAGER, group, bot.api.sent_message(queue))
    card = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == MANAGER,
                        after=mark)
    new = next(d for d in button_data(card) if d.startswith("teach:new:"))
    mark = _press(bot, MANAGER, new, bot.api.sent_message(card))
    asked = bot.reply_to(MANAGER, after=mark)
    assert asked.params["text"].startswith(t("de", "kb_new_title", language="Deutsch"))
    bot.say(MANAGER, "Öffnungszeiten")
    other = bot.say(MANAGER, OFFICE_ANSWER)
    mark = _press(bot, MANAGER, "teach:skip", bot.api.sent_message(other))
    chapters = bot.reply_to(MANAGER, after=mark)
    mark = _press(bot, MANAGER, "teach:chapter:cluster", bot.api.sent_message(chapters))
    saved = bot.reply_to(MANAGER, after=mark)
    assert visible(bot, saved).startswith("✅")

    answer = bot.say(MEMBER, OFFICE_HOURS_AGAIN)
    assert visible(bot, answer).startswith("Öffnungszeiten\n") and OFFICE_ANSWER in visible(
        bot, answer)
    down = next(d for d in button_data(answer) if d.endswith(":down"))
    mark = _press(bot, MEMBER, down, bot.api.sent_message(answer))
    edited = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == MEMBER,
                          after=mark)
    assert edited.status == 200 and t("de", "kb_thanks_down") in edited.params["text"]

    queue = bot.say(MANAGER, "/unanswered")
    assert OFFICE_HOURS_AGAIN in visible(bot, queue) and "👎" in visible(bot, queue)


def test_the_membership_fee_is_taught_and_answered_in_other_words(
        running: tuple[RunningBot, Path]) -> None:
    """The issue's own example: the talk cannot know this cluster's fee."""
    bot, _ = running
    fee, fee_answer = "Wie hoch ist unser Mitgliedsbeitrag?", "Unternehmen zahlen 300 € im Jahr."
    missed = bot.say(MEMBER, fee)
    assert missed.params["text"].startswith(t("de", "not_sure", question=fee))
    queue = bot.say(MANAGER, "/unanswered")
    group = next(str(b["callback_data"]) for b in buttons(queue)
                 if str(b.get("callback_data")).startswith("teach:group:")
                 and "Mitgliedsbeitrag" in str(b.get("text")))
    mark = _press(bot, MANAGER, group, bot.api.sent_message(queue))
    card = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == MANAGER,
                        after=mark)
    new = next(d for d in button_data(card) if d.startswith("teach:new:"))
    mark = _press(bot, MANAGER, new, bot.api.sent_message(card))
    bot.reply_to(MANAGER, after=mark)
    bot.say(MANAGER, "Mitgliedsbeitrag")
    other = bot.say(MANAGER, fee_answer)
    mark = _press(bot, MANAGER, "teach:skip", bot.api.sent_message(other))
    chapters = bot.reply_to(MANAGER, after=mark)
    mark = _press(bot, MANAGER, "teach:chapter:cluster", bot.api.sent_message(chapters))
    assert visible(bot, bot.reply_to(MANAGER, after=mark)).startswith("✅")
    for again in ("Was ist unser Mitgliedsbeitrag?", "What is our membership fee?"):
        answer = bot.say(MEMBER, again)
        assert visible(bot, answer).startswith("Mitgliedsbeitrag\n"), again
        assert fee_answer in visible(bot, answer)


def test_forged_manager_buttons_change_nothing_for_a_visitor(
        running: tuple[RunningBot, Path]) -> None:
    bot, database = running
    reply = bot.say(VISITOR, "Was ist ein Cluster?")
    before = _snapshot(database)
    for action in TEACH_ACTIONS.actions:
        data = ":".join(["teach", action.name, *(_valid(reader) for reader in action.arguments)])
        mark, query_id = press(bot, VISITOR, data, bot.api.sent_message(reply))
        answered = wait_answered(bot, query_id, after=mark)
        assert answered.params.get("text") == t("de", "not_allowed_manager", command="teach"), \
            data
    assert _snapshot(database) == before
    sent = [c for c in bot.api.get_calls() if c.method in ("sendMessage", "editMessageText")
            and c.params.get("chat_id") == VISITOR]
    assert len(sent) == 1  # the answer to the question, nothing after the presses
