"""End to end through the fake Bot API: the self-check by button presses (edited in place,
the chart sent as a photo), stale presses, the self-check offered under a pitfall answer,
and the managers' /funding and /health."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest

from core.pitfalls.content import load_content
from tests.e2e_support import (
    RunningBot,
    button_data,
    calls_into,
    press,
    start_bot,
    t,
    visible,
    wait_answered,
)
from tests.fake_bot_api import Call
from tests.test_pitfalls_charts import check_png

MANAGER_ID = 910_001
TOTAL = len(load_content().statements)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    running = start_bot(tmp_path_factory.mktemp("pitfalls_e2e"), MANAGER_IDS=str(MANAGER_ID),
                        DEFAULT_LANGUAGE="de", CLUSTER_FOUNDED="2021")
    try:
        yield running
    finally:
        running.close()


def edit_after(bot: RunningBot, user: int, mark: int) -> Call:
    edit = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == user,
                        after=mark)
    assert edit.status == 200, edit.response
    return edit


def test_full_selfcheck_by_button_presses_edits_one_message_and_sends_the_chart(
        bot: RunningBot) -> None:
    user = 300_001
    content = load_content()
    weak = "lack_of_openness"
    first = bot.say(user, "/selfcheck", language_code="en")
    message = bot.api.sent_message(first)
    assert f"1/{TOTAL}" in visible(bot, first)
    assert button_data(first)[:5] == [f"selfcheck:a:0:{v}" for v in range(1, 6)]

    current = first
    for index, statement in enumerate(content.statements):
        healthy = statement.pitfall != weak
        value = 5 if statement.agree_is_good == healthy else 1
        if index == 2:  # a stale press of the first statement's button changes nothing
            mark, query = press(bot, user, "selfcheck:a:0:5", message, language_code="en")
            answered = wait_answered(bot, query, after=mark)
            assert answered.params.get("text") == t("en", "pitfalls_stale_question",
                                                    number=3)
            assert calls_into(bot, user, after=mark) == []
        data = f"selfcheck:a:{index}:{value}"
        assert data in button_data(current)
        mark, query = press(bot, user, data, message, language_code="en")
        wait_answered(bot, query, after=mark)
        current = edit_after(bot, user, mark)
        assert current.params["message_id"] == message["message_id"]
        if index + 1 < TOTAL:
            assert f"{index + 2}/{TOTAL}" in visible(bot, current)

    result = visible(bot, current)
    title = content.pitfall(weak).title["en"]
    assert f"🔴 {title}: 0/100" in result and content.pitfall(weak).advice["en"][0] in result
    photo = bot.wait_for("sendPhoto", lambda c: c.params.get("chat_id") == user, after=mark)
    assert photo.status == 200, photo.response
    check_png(photo.files["photo"])
    assert calls_into(bot, user, after=mark, methods=("sendMessage",)) == []

    # the self-check is over: a late press says so and changes nothing
    mark, query = press(bot, user, f"selfcheck:a:{TOTAL - 1}:3", message, language_code="en")
    assert wait_answered(bot, query, after=mark).params.get("text") == t(
        "en", "pitfalls_stale_none")


def test_back_and_cancel_edit_in_place(bot: RunningBot) -> None:
    user = 300_002
    first = bot.say(user, "/selfcheck")
    message = bot.api.sent_message(first)
    mark, query = press(bot, user, "selfcheck:a:0:2", message)
    wait_answered(bot, query, after=mark)
    assert f"2/{TOTAL}" in visible(bot, edit_after(bot, user, mark))
    mark, query = press(bot, user, "selfcheck:back", message)
    wait_answered(bot, query, after=mark)
    back = edit_after(bot, user, mark)
    assert f"1/{TOTAL}" in visible(bot, back) and "2 · trifft eher nicht zu" in visible(bot,
                                                                                       back)
    mark, query = press(bot, user, "selfcheck:cancel", message)
    wait_answered(bot, query, after=mark)
    assert edit_after(bot, user, mark).params["text"] == t("de", "pitfalls_cancelled")
    assert button_data(bot.api.calls_to("editMessageText")[-1]) == []


def test_pitfall_answer_offers_the_selfcheck(bot: RunningBot) -> None:
    user = 300_003
    answer = bot.say(user, "Was bedeutet Masse statt Klasse?")
    assert "selfcheck:start" in button_data(answer)
    mark, query = press(bot, user, "selfcheck:start", bot.api.sent_message(answer))
    wait_answered(bot, query, after=mark)
    started = bot.reply_to(user, after=mark)
    assert f"1/{TOTAL}" in visible(bot, started)


def test_manager_records_funding_and_gets_the_chart_and_where_the_cluster_stands(
        bot: RunningBot) -> None:
    mark = bot.api.mark()
    reply = bot.say(MANAGER_ID, "/funding 2024 10000 82000 4000 4000")
    assert "Jahr 4 (2024): Förderanteil 82 %" in visible(bot, reply)
    assert "über der Kurve" in visible(bot, reply)
    photo = bot.wait_for("sendPhoto", lambda c: c.params.get("chat_id") == MANAGER_ID,
                         after=mark)
    check_png(photo.files["photo"])
    refused = bot.say(300_004, "/funding 2024 1 1 1 1")
    assert refused.params["text"] == t("de", "not_allowed_manager", command="funding")


def test_health_for_managers_lists_all_five_pitfalls(bot: RunningBot) -> None:
    reply = bot.say(MANAGER_ID, "/health")
    text = visible(bot, reply)
    for pitfall in load_content().pitfalls:
        assert pitfall.title["de"] in text
    assert html.unescape(t("de", "pitfalls_health_status_unknown")) in text
    assert "82 %" in text  # the funding recorded above is the evidence
