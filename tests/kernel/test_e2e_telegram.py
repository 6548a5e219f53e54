"""End-to-end tests: the real bot process against the fake Telegram Bot API.

Why: unit tests of the core prove the answers are right; only a bot started exactly as a user
starts it (``python -m bot.cli run`` with settings from the environment) proves that the whole
chain works — settings, PTB Application, handler order, HTML parse mode, inline keyboards,
callback queries, group rules and error handling.  The bot runs as a subprocess against
:class:`~tests.fake_bot_api.FakeBotApi`, so every assertion is about what Telegram would see.

One bot process serves the whole module (starting it costs a few seconds); every test uses its
own user and chat ids, so the tests do not depend on each other's state.  Because PTB handles
updates one after another, "the bot said nothing" is proven with a later marker update: once
the marker is answered, the earlier update has been fully handled.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest

from core.locale import format_number
from knowledge.matcher import MAX_QUESTION_CHARS
from tests.e2e_support import (
    BOT_USERNAME,
    SILENCE_TIMEOUT,
    RunningBot,
    button_data,
    buttons,
    calls_into,
    command_names,
    index_of,
    prefix,
    press,
    push_private_update,
    start_bot,
    t,
    title,
    visible,
    wait_answered,
)
from tests.fakebot import Call

MANAGER_ID = 900_001
CLUSTER_NAME = "Nordlicht & Co"  # the "&" checks that the cluster name is HTML-escaped

# Commands every visitor must have; features may add more (those are checked against the table).
BASIC_VISITOR_COMMANDS = ["start", "help", "language", "ask", "topics"]
MANAGER_ONLY_COMMANDS = ["unanswered"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """The fake Bot API and `python -m bot.cli run` as a subprocess, polling it."""
    running = start_bot(tmp_path_factory.mktemp("e2e"), MANAGER_IDS=f"{MANAGER_ID}, 900002",
                        DEFAULT_LANGUAGE="de", CLUSTER_NAME=CLUSTER_NAME)
    yield running
    running.close()


def test_command_menus_are_set_for_german_english_and_managers(bot: RunningBot) -> None:
    calls = bot.api.calls_to("setMyCommands")
    assert calls and all(c.status == 200 for c in calls), calls

    def names(call: Call) -> list[str]:
        return [str(c["command"]) for c in call.params["commands"]]

    def scope(call: Call) -> dict[str, Any]:
        return call.params.get("scope") or {"type": "default"}

    visitor, manager_table = command_names("visitor"), command_names("manager")
    assert set(BASIC_VISITOR_COMMANDS) <= set(visitor), visitor
    assert not set(MANAGER_ONLY_COMMANDS) & set(visitor), visitor

    for lang in ("de", "en"):
        menu = [c for c in calls if c.params.get("language_code") == lang]
        assert len(menu) == 1, f"expected one {lang} menu, got {menu}"
        assert scope(menu[0])["type"] == "default"
        assert names(menu[0]) == visitor
    german = next(c for c in calls if c.params.get("language_code") == "de")
    english = next(c for c in calls if c.params.get("language_code") == "en")
    assert german.params["commands"][0] == {"command": "start",
                                            "description": "Begrüßung und erste Schritte"}
    assert english.params["commands"][0] == {"command": "start",
                                             "description": "Welcome and first steps"}

    default = [c for c in calls
               if not c.params.get("language_code") and scope(c)["type"] == "default"]
    assert len(default) == 1 and names(default[0]) == visitor, default

    manager = [c for c in calls
               if scope(c).get("type") == "chat" and scope(c).get("chat_id") == MANAGER_ID]
    assert len(manager) == 1, calls
    assert names(manager[0]) == manager_table
    assert set(MANAGER_ONLY_COMMANDS) <= set(manager_table), manager_table
    assert all(not set(MANAGER_ONLY_COMMANDS) & set(names(c))
               for c in calls if scope(c)["type"] == "default")


@pytest.mark.parametrize(("user_id", "language_code", "lang", "greeting"), [
    (100_001, "en", "en", "Welcome"),
    (100_002, "de", "de", "Willkommen"),
    (100_003, "de-AT", "de", "Willkommen"),
])
def test_start_welcomes_in_the_users_telegram_language_with_html(
        bot: RunningBot, user_id: int, language_code: str, lang: str, greeting: str) -> None:
    reply = bot.say(user_id, "/start", language_code=language_code)
    assert reply.params.get("parse_mode") == "HTML"
    assert reply.params["text"] == t(lang, "welcome", cluster=html.escape(CLUSTER_NAME))
    assert "<b>Nordlicht &amp; Co</b>" in reply.params["text"]
    assert greeting in visible(bot, reply) and CLUSTER_NAME in visible(bot, reply)
    assert "lang:topics" in button_data(reply)


# ---------------------------------------------------------------------------------- questions
def test_german_question_gets_german_answer_and_english_question_english_answer(
        bot: RunningBot) -> None:
    user = 100_101  # a German-speaking Telegram user asking in both languages
    german = bot.say(user, "Wie finanziert sich ein Cluster?")
    assert german.params.get("parse_mode") == "HTML"
    assert visible(bot, german).startswith(title("funding_sources", "de") + "\n")
    data = [d for d in button_data(german) if not d.startswith("kb:vote:")]  # 👍/👎 (#12)
    assert 1 <= len(data) <= 3 and all(d.startswith("kb:topic:") for d in data), data
    assert all(d.endswith(":de") for d in data), data

    english = bot.say(user, "What is a cluster?")
    assert visible(bot, english).startswith(title("what_is_a_cluster", "en") + "\n")
    data = [d for d in button_data(english) if not d.startswith("kb:vote:")]
    assert 1 <= len(data) <= 3 and all(d.startswith("kb:topic:") for d in data), data
    assert all(d.endswith(":en") for d in data), data
    labels = [b["text"] for b in buttons(english)
              if not str(b.get("callback_data")).startswith("kb:vote:")]
    assert all(label and label.isascii() for label in labels), labels


def test_low_confidence_question_offers_suggestions_and_pressing_one_answers_it(
        bot: RunningBot) -> None:
    user = 100_201
    question = "What is a Kubernetes cluster?"
    reply = bot.say(user, question, language_code="en")
    assert reply.params["text"].startswith(t("en", "not_sure", question=question))
    assert t("en", "not_sure_suggestions") in reply.params["text"]
    data = button_data(reply)
    assert 1 <= len(data) <= 3 and all(d.startswith("kb:topic:") for d in data), data

    first = buttons(reply)[0]
    mark, query_id = press(bot, user, first["callback_data"], bot.api.sent_message(reply),
                           language_code="en")
    answered = wait_answered(bot, query_id, after=mark)
    answer = bot.reply_to(user, after=mark)
    assert index_of(bot, answered) < index_of(bot, answer), "answer the button before replying"
    assert visible(bot, answer).startswith(first["text"] + "\n")
    assert calls_into(bot, user, after=mark, methods=("editMessageText",)) == []


def test_topics_browser_edits_the_message_in_place(bot: RunningBot) -> None:
    user = 100_301
    topics = bot.say(user, "/topics")
    topics_message = bot.api.sent_message(topics)
    assert topics.params["text"] == t("de", "topics_title")
    chapters = button_data(topics)
    assert len(chapters) >= 2 and all(d.startswith("kb:chapter:") for d in chapters), chapters

    mark, query_id = press(bot, user, chapters[0], topics_message)
    wait_answered(bot, query_id, after=mark)
    edit = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == user,
                        after=mark)
    assert edit.status == 200, edit.response
    assert edit.params["message_id"] == topics_message["message_id"]
    assert edit.params.get("parse_mode") == "HTML"
    chapter_name = next(b["text"] for b in buttons(topics) if b["callback_data"] == chapters[0])
    assert edit.params["text"] == t("de", "chapter_title", title=html.escape(chapter_name))
    data = button_data(edit)
    assert any(d.startswith("kb:topic:") for d in data), data
    assert data[-1] == "kb:chapters:de", data
    assert calls_into(bot, user, after=mark, methods=("sendMessage",)) == []

    # a double tap on the same chapter: Telegram says "not modified", the bot shrugs it off
    mark, query_id = press(bot, user, chapters[0], topics_message)
    wait_answered(bot, query_id, after=mark)
    same = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == user,
                        after=mark)
    assert same.status == 400 and "not modified" in str(same.response), same.response

    # "« All chapters" goes back, again in place
    mark, query_id = press(bot, user, "kb:chapters:de", bot.api.sent_message(edit))
    wait_answered(bot, query_id, after=mark)
    back = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == user,
                        after=mark)
    assert back.status == 200, back.response
    assert back.params["message_id"] == topics_message["message_id"]
    assert button_data(back) == chapters

    # a topic from the chapter list is sent as a new answer card
    topic = next(d for d in data if d.startswith("kb:topic:"))
    mark, query_id = press(bot, user, topic, bot.api.sent_message(back))
    wait_answered(bot, query_id, after=mark)
    card = bot.reply_to(user, after=mark)
    label = next(b["text"] for b in buttons(edit) if b["callback_data"] == topic)
    assert visible(bot, card).startswith(label + "\n")
    sent = calls_into(bot, user, after=index_of(bot, topics) + 1, methods=("sendMessage",))
    assert sent == [card], f"no error message or extra message expected: {sent}"


def test_language_button_switches_the_reply_language(bot: RunningBot) -> None:
    user = 100_351
    choose = bot.say(user, "/language")
    assert choose.params["text"] == t("de", "language_choose")
    assert button_data(choose) == ["lang:set:de", "lang:set:en"]
    mark, query_id = press(bot, user, "lang:set:en", bot.api.sent_message(choose))
    answered = wait_answered(bot, query_id, after=mark)
    assert "English" in str(answered.params.get("text"))
    edit = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == user,
                        after=mark)
    assert edit.status == 200 and edit.params["message_id"] == choose.response["message_id"]
    assert edit.params["text"] == t("en", "language_set")
    # the stored choice beats the Telegram language_code from now on
    welcome = bot.say(user, "/start", language_code="de")
    assert welcome.params["text"] == t("en", "welcome", cluster=html.escape(CLUSTER_NAME))




@pytest.mark.parametrize(("user", "data"), [
    pytest.param(100_401, "kb:topic:nope:de"),
    pytest.param(100_402, "kb:chapter:nope:de"),
    pytest.param(100_403, "lang:set:fr"),
    (100_404, "admin:delete:1"),
    (100_405, "nonsense"),
])
def test_forged_button_is_answered_with_a_notice_and_changes_nothing(
        bot: RunningBot, user: int, data: str) -> None:
    start = bot.say(user, "/start")
    mark, query_id = press(bot, user, data, bot.api.sent_message(start))
    answered = wait_answered(bot, query_id, after=mark)
    assert str(answered.params.get("text") or "").strip(), "the notice should say something"
    # marker: once /help is answered, the button press has been handled completely
    help_mark = bot.api.mark()
    bot.api.push_message(user, "/help")
    help_reply = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == user
                              and c.params["text"].startswith(t("de", "help_title")),
                              after=help_mark)
    touched = [c for c in calls_into(bot, user, after=mark) if c is not help_reply]
    assert touched == [], f"a forged button changed the chat: {touched}"


def test_user_html_is_escaped_and_accepted_by_telegram(bot: RunningBot) -> None:
    user = 100_501
    mark = bot.api.mark()
    reply = bot.say(user, "<b>x</b> & <script>")  # asserts the fake accepted it (200, no 400)
    assert reply.params.get("parse_mode") == "HTML"
    escaped = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;"
    assert reply.params["text"].startswith(t("de", "not_sure", question=escaped))
    assert "<b>x</b> & <script>" in visible(bot, reply)
    rejected = [c for c in calls_into(bot, user, after=mark) if c.status != 200]
    assert rejected == [], rejected


def test_emoji_only_message_gets_a_hint_to_ask_in_words(bot: RunningBot) -> None:
    reply = bot.say(100_601, "😀")
    assert reply.params["text"] == t("de", "no_words")


def test_overlong_message_is_refused_with_its_length_and_the_limit(bot: RunningBot) -> None:
    text = ("Cluster " * 600)[:4500]
    assert len(text) == 4500
    reply = bot.say(100_602, text)
    assert reply.params["text"] == t("de", "too_long", length="4.500",
                                     limit=format_number(MAX_QUESTION_CHARS, "de"))
    assert "4.500 Zeichen" in visible(bot, reply)


# ---------------------------------------------------------------------------------- groups
def test_group_plain_text_without_mention_gets_no_reply(bot: RunningBot) -> None:
    group = -100_700_000_001
    mark = bot.api.mark()
    bot.api.push_message(100_701, "Was ist ein Cluster?", chat_id=group,
                         chat_type="supergroup")
    bot.api.push_message(100_701, "/foo", chat_id=group, chat_type="supergroup")
    bot.api.push_message(100_701, f"/help@{BOT_USERNAME}", chat_id=group,
                         chat_type="supergroup")
    marker = bot.reply_to(group, after=mark)
    assert marker.params["text"].startswith(t("de", "help_title")), (
        f"the first group reply should be /help's, got {marker.params['text']!r}")
    with pytest.raises(AssertionError):
        bot.api.wait_for("sendMessage",
                         lambda c: c.params.get("chat_id") == group and c is not marker,
                         SILENCE_TIMEOUT, after=mark)


def test_group_mention_of_the_bot_is_answered(bot: RunningBot) -> None:
    group = -100_700_000_002
    mark = bot.api.mark()
    bot.api.push_message(100_702, f"@{BOT_USERNAME} Was ist ein Cluster?", chat_id=group,
                         chat_type="supergroup")
    reply = bot.reply_to(group, after=mark)
    assert visible(bot, reply).startswith(title("what_is_a_cluster", "de") + "\n")


def test_group_reply_to_the_bots_message_is_answered(bot: RunningBot) -> None:
    group = -100_700_000_003
    mark = bot.api.mark()
    bot.api.push_message(100_703, f"/help@{BOT_USERNAME}", chat_id=group, chat_type="group")
    bots_message = bot.api.sent_message(bot.reply_to(group, after=mark))
    mark = bot.api.mark()
    bot.api.push_message(100_704, "Wie finanziert sich ein Cluster?", chat_id=group,
                         chat_type="group", reply_to_message=bots_message)
    reply = bot.reply_to(group, after=mark)
    assert visible(bot, reply).startswith(title("funding_sources", "de") + "\n")


def test_group_help_addressed_to_the_bot_username_works(bot: RunningBot) -> None:
    group = -100_700_000_004
    mark = bot.api.mark()
    bot.api.push_message(100_705, f"/help@{BOT_USERNAME}", chat_id=group,
                         chat_type="supergroup", language_code="en")
    reply = bot.reply_to(group, after=mark)
    text = reply.params["text"]
    assert text.startswith(t("en", "help_title")) and t("en", "help_free_text") in text
    assert "/topics" in text and "/unanswered" not in text


# ---------------------------------------------------------------------------------- roles
def test_unanswered_is_refused_for_visitors_and_lists_questions_for_the_manager(
        bot: RunningBot) -> None:
    question = "Is a Kubernetes cluster the same as a server farm?"
    asked = bot.say(100_801, question, language_code="en")
    assert asked.params["text"].startswith(t("en", "not_sure", question=question))

    refused = bot.say(100_802, "/unanswered")
    assert refused.params["text"] == t("de", "not_allowed_manager", command="unanswered")

    listed = bot.say(MANAGER_ID, "/unanswered")
    assert listed.params["text"].startswith(prefix("de", "unanswered_title", "total"))
    assert question in visible(bot, listed)


def test_unknown_command_points_to_help(bot: RunningBot) -> None:
    reply = bot.say(100_901, "/frobnicate")
    assert reply.params["text"] == t("de", "unknown_command", command="frobnicate")
    assert "/frobnicate" in visible(bot, reply) and "/help" in visible(bot, reply)


def test_sticker_and_photo_get_the_text_only_reply(bot: RunningBot) -> None:
    user = 100_902
    mark = bot.api.mark()
    push_private_update(bot, user, {"sticker": {
        "file_id": "STICKER-1", "file_unique_id": "S1", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
    }}, language_code="en", message_id=900_001)
    reply = bot.reply_to(user, after=mark)
    assert reply.params["text"] == t("en", "only_text")

    mark = bot.api.mark()
    push_private_update(bot, user, {"photo": [
        {"file_id": "PHOTO-1", "file_unique_id": "P1", "width": 90, "height": 60},
        {"file_id": "PHOTO-2", "file_unique_id": "P2", "width": 800, "height": 600},
    ], "caption": "Was ist das?"}, language_code="en", message_id=900_002)
    reply = bot.reply_to(user, after=mark)
    assert reply.params["text"] == t("en", "only_text")


# ---------------------------------------------------------------------------------- robustness
def test_bot_survives_forbidden_and_answers_the_next_question(bot: RunningBot) -> None:
    user = 101_001
    bot.api.fail_next("sendMessage", error_code=403,
                      description="Forbidden: bot was blocked by the user", chat_id=user)
    mark = bot.api.mark()
    bot.api.push_message(user, "Was ist ein Cluster?")
    failed = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == user, after=mark)
    assert failed.status == 403

    mark = bot.api.mark()
    bot.api.push_message(user, "Wie finanziert sich ein Cluster?")
    expected = f"<b>{html.escape(title('funding_sources', 'de'))}</b>\n"
    answer = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == user
                          and c.params["text"].startswith(expected), after=mark)
    assert answer.status == 200, answer.response
    other = bot.say(101_002, "Was ist ein Cluster?")
    assert visible(bot, other).startswith(title("what_is_a_cluster", "de") + "\n")


def test_zz_bot_is_still_running_and_stops_cleanly_on_sigint(bot: RunningBot) -> None:
    """Runs last (file order): nothing above may have killed the process."""
    assert bot.process.poll() is None, bot.describe()
    assert bot.api.errors == [], f"the fake itself raised: {bot.api.errors!r}"
    assert bot.api.rejected_calls == [], "the bot used a wrong token"
    returncode = bot.stop()
    assert returncode == 0, bot.describe()
