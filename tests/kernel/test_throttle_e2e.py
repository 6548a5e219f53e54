"""Faults and concurrency end to end: the real bot process against the fake Telegram Bot API.

A chat that Telegram throttles (429) waits alone while another chat's question is answered
at once; two quick messages in a dialog are still handled in the order they were sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e_support import RunningBot, calls_into, index_of, start_bot

MANAGER = 910_001
THROTTLED, OTHER, DIALOG = 410_001, 410_002, MANAGER
RETRY_AFTER = 5


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    running = start_bot(tmp_path_factory.mktemp("throttle_e2e"), MANAGER_IDS=str(MANAGER),
                        DEFAULT_LANGUAGE="de")
    try:
        yield running
    finally:
        running.close()


def test_a_throttled_chat_waits_alone_while_another_chat_is_answered(bot: RunningBot) -> None:
    bot.say(THROTTLED, "/start")
    bot.say(OTHER, "/start")
    time.sleep(3.1)  # both private chats' windows are empty again
    mark = bot.api.mark()
    bot.api.fail_next("sendMessage", error_code=429, retry_after=RETRY_AFTER,
                      chat_id=THROTTLED,
                      description=f"Too Many Requests: retry after {RETRY_AFTER}")
    bot.api.push_message(THROTTLED, "Was ist ein Cluster?")
    refused = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == THROTTLED,
                           after=mark)
    assert refused.status == 429

    asked = time.monotonic()
    answered = bot.say(OTHER, "Was ist ein Netzwerk?")
    latency = time.monotonic() - asked
    assert answered.status == 200
    assert latency < 1.5, f"the other chat waited {latency:.1f} s for the throttled one"

    late = bot.reply_to(THROTTLED, after=index_of(bot, refused) + 1,
                        timeout=RETRY_AFTER + 10)
    assert late.at - refused.at >= RETRY_AFTER - 0.1, "the throttled chat waited as asked"
    assert "asks to wait 5 s before messaging chat 410001" in bot.stderr()


def test_two_quick_messages_in_a_dialog_are_handled_in_order(bot: RunningBot) -> None:
    mark = bot.api.mark()
    bot.api.push_message(DIALOG, "/profile")
    bot.api.push_message(DIALOG, "Anna Beispiel")  # step 1's answer, sent before any reply
    bot.api.push_message(DIALOG, "Nordlicht GmbH")  # step 2's answer
    deadline = time.monotonic() + 15
    while len(calls_into(bot, DIALOG, after=mark)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    texts = [str(c.params["text"]) for c in calls_into(bot, DIALOG, after=mark)]
    assert len(texts) == 3, f"{texts}\n{bot.describe()}"
    assert ["Schritt 1/8" in texts[0], "Schritt 2/8" in texts[1], "Schritt 3/8" in texts[2]] \
        == [True, True, True], texts
    bot.say(DIALOG, "/cancel")


def test_questions_from_many_chats_at_once_are_each_answered(bot: RunningBot) -> None:
    users = range(420_000, 420_030)
    mark = bot.api.mark()
    for user in users:
        bot.api.push_message(user, "Was ist ein Cluster?")
    for user in users:
        assert bot.reply_to(user, after=mark, timeout=20).status == 200
