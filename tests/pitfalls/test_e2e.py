"""End to end through the fake Bot API: the self-check by button presses (edited in place,
the chart sent as a photo), stale presses, the self-check offered under a pitfall answer,
and the managers' /funding (a year recorded as 0 €, deleting a year with the confirmation
button) and /health (naming the action behind a warning)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from core.pitfalls.content import load_content
from core.pitfalls.funding import ACTIONS as FUNDING
from core.pitfalls.selfcheck import ACTIONS
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
from tests.fakebot import Call
from tests.pitfalls.support import START, answer, check_png

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
    assert button_data(first)[:5] == [answer(0, v) for v in range(1, 6)]

    current = first
    for index, statement in enumerate(content.statements):
        healthy = statement.pitfall != weak
        value = 5 if statement.agree_is_good == healthy else 1
        if index == 2:  # a stale press of the first statement's button changes nothing
            mark, query = press(bot, user, answer(0, 5), message, language_code="en")
            answered = wait_answered(bot, query, after=mark)
            assert answered.params.get("text") == t("en", "pitfalls_stale_question",
                                                    number=3)
            assert calls_into(bot, user, after=mark) == []
        data = answer(index, value)
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
    mark, query = press(bot, user, answer(TOTAL - 1, 3), message, language_code="en")
    assert wait_answered(bot, query, after=mark).params.get("text") == t(
        "en", "pitfalls_stale_none")


def test_back_and_cancel_edit_in_place(bot: RunningBot) -> None:
    user = 300_002
    first = bot.say(user, "/selfcheck")
    message = bot.api.sent_message(first)
    mark, query = press(bot, user, answer(0, 2), message)
    wait_answered(bot, query, after=mark)
    assert f"2/{TOTAL}" in visible(bot, edit_after(bot, user, mark))
    mark, query = press(bot, user, ACTIONS.data("back"), message)
    wait_answered(bot, query, after=mark)
    back = edit_after(bot, user, mark)
    assert f"1/{TOTAL}" in visible(bot, back) and "2 · trifft eher nicht zu" in visible(bot,
                                                                                       back)
    mark, query = press(bot, user, ACTIONS.data("cancel"), message)
    wait_answered(bot, query, after=mark)
    assert edit_after(bot, user, mark).params["text"] == t("de", "pitfalls_cancelled")
    assert button_data(bot.api.calls_to("editMessageText")[-1]) == []


def test_pitfall_answer_offers_the_selfcheck(bot: RunningBot) -> None:
    user = 300_003
    reply = bot.say(user, "Was bedeutet Masse statt Klasse?")
    assert START in button_data(reply)
    mark, query = press(bot, user, START, bot.api.sent_message(reply))
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


def test_health_names_the_action_behind_a_warning(bot: RunningBot) -> None:
    added = bot.say(MANAGER_ID, "/plan_add Messe | Stand planen | 31.12.2030")  # no KPI
    found = re.search(r"#(\d+)", visible(bot, added))
    assert found, visible(bot, added)
    number = found.group(1)
    text = visible(bot, bot.say(MANAGER_ID, "/health"))
    assert f"#{number} hat keinen KPI – die einzige offene Aufgabe" in text
    assert f"/plan {number}" in text  # how to open it
    assert "Für ein Urteil brauche ich mindestens 3 offene Aufgaben im Aktionsplan." in text


def test_manager_records_a_zero_year_and_deletes_it_with_the_confirmation_button(
        bot: RunningBot) -> None:
    zero = visible(bot, bot.say(MANAGER_ID, "/funding 2023 0 0 0 0"))
    assert "2023 (Jahr 3): 0 € – ohne Einnahmen kein Förderanteil" in zero
    question = bot.say(MANAGER_ID, "/funding delete 2023")
    assert visible(bot, question).startswith("🗑 2023 löschen?")
    assert button_data(question) == [FUNDING.data("delete", 2023), FUNDING.data("keep", 2023)]
    message = bot.api.sent_message(question)

    # a forged button under the question changes nothing
    mark, query = press(bot, MANAGER_ID, "funding:delete:20x3", message)
    assert wait_answered(bot, query, after=mark).params.get("text") == t("de", "stale_button")
    assert calls_into(bot, MANAGER_ID, after=mark) == []

    mark, query = press(bot, MANAGER_ID, FUNDING.data("delete", 2023), message)
    wait_answered(bot, query, after=mark)
    edit = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == MANAGER_ID,
                        after=mark)
    assert edit.status == 200, edit.response
    assert edit.params["message_id"] == message["message_id"]
    overview = visible(bot, edit)
    assert overview.startswith("🗑 2023 gelöscht.") and "2023 (Jahr 3)" not in overview
    assert "2024 (Jahr 4)" in overview  # the year recorded earlier stays
    photo = bot.wait_for("sendPhoto", lambda c: c.params.get("chat_id") == MANAGER_ID,
                         after=mark)
    check_png(photo.files["photo"])

    # pressing the stale confirmation again deletes nothing and says why
    mark, query = press(bot, MANAGER_ID, FUNDING.data("delete", 2023), message)
    notice = wait_answered(bot, query, after=mark).params.get("text")
    assert notice == "Für 2023 ist nichts erfasst, also auch nichts gelöscht. " \
                     "Erfasst ist 1 Jahr: 2024."
    assert calls_into(bot, MANAGER_ID, after=mark) == []
