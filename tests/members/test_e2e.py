"""Members end to end: the real bot process against the fake Telegram Bot API.

Invite deep link → profile dialog with buttons → /match → contact request with a personal
message → consent, and the proof that no Telegram contact detail reaches anyone before
"accept"; join requests decided by a manager; the linked group with its private welcome;
/promote as a reply; forged buttons; the data export. Whoever becomes a member or manager gets
a command menu of their own (`setMyCommands` with a chat scope); whoever loses the role gets
the default back (`deleteMyCommands`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e_support import (
    BOT_USERNAME,
    RunningBot,
    button_data,
    calls_into,
    start_bot,
    t,
    visible,
    wait_answered,
)
from tests.fakebot import Call
from tests.members.support import CONTACT, FORGET, JOIN, MATCH, PROFILE

MANAGER = 900_001
REQUESTER, REQUESTER_NAME = 300_001, "rita_req"
TARGET, TARGET_NAME = 300_002, "tom_target"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    running = start_bot(tmp_path_factory.mktemp("members_e2e"), MANAGER_IDS=str(MANAGER),
                        DEFAULT_LANGUAGE="de", CLUSTER_NAME="Nordlicht")
    try:
        yield running
    finally:
        running.close()


def say(bot: RunningBot, user: int, text: str, *, username: str | None = None,
        language_code: str = "de") -> Call:
    return bot.say(user, text, username=username, language_code=language_code)


def press(bot: RunningBot, user: int, data: str, call: Call, *, username: str | None = None,
          language_code: str = "de") -> tuple[int, str]:
    """Press a button under the message of `call`, as a user with a username would."""
    message = bot.api.sent_message(call)
    mark = bot.api.mark()
    sender: dict[str, Any] = {"id": user, "is_bot": False, "first_name": "Test",
                              "language_code": language_code}
    if username:
        sender["username"] = username
    update = bot.api.push_update({"callback_query": {
        "id": f"cb{mark}{user}", "from": sender, "message": message,
        "chat_instance": f"ci{user}", "data": data}})
    return mark, str(update["callback_query"]["id"])


def menu_call(bot: RunningBot, method: str, user: int, *, after: int) -> Call:
    """The `method` (setMyCommands / deleteMyCommands) call for `user`'s own chat."""
    def for_user(call: Call) -> bool:
        scope = call.params.get("scope") or {}
        return scope.get("type") == "chat" and scope.get("chat_id") == user

    call = bot.wait_for(method, for_user, after=after)
    assert call.status == 200, call.response
    return call


def menu_names(call: Call) -> list[str]:
    return [str(command["command"]) for command in call.params["commands"]]


def press_for_reply(bot: RunningBot, user: int, data: str, call: Call, **kwargs: Any) -> Call:
    mark, _ = press(bot, user, data, call, **kwargs)
    return bot.reply_to(user, after=mark)


def quiet_after(bot: RunningBot, user: int, mark: int) -> list[Call]:
    """Messages the user got after `mark`, proven complete by a later /help marker."""
    help_mark = bot.api.mark()
    bot.api.push_message(user, "/help")
    marker = bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == user
                          and c.params["text"].startswith(t("de", "help_title")),
                          after=help_mark)
    return [c for c in calls_into(bot, user, after=mark) if c is not marker]


def make_profile(bot: RunningBot, user: int, username: str, answers: list[str], kind: str
                 ) -> Call:
    """Walk the /profile dialog: name, organisation, type button, city, offers, needs,
    description, visibility button."""
    reply = say(bot, user, "/profile", username=username)
    assert "Schritt 1/8" in reply.params["text"]
    for answer in answers[:2]:
        reply = say(bot, user, answer, username=username)
    assert PROFILE.data("kind", kind) in button_data(reply)
    reply = press_for_reply(bot, user, PROFILE.data("kind", kind), reply, username=username)
    for answer in answers[2:]:
        reply = say(bot, user, answer, username=username)
    yes, no = PROFILE.data("visible", "yes"), PROFILE.data("visible", "no")
    assert button_data(reply) == [yes, no]
    saved = press_for_reply(bot, user, yes, reply, username=username)
    assert t("de", "members_profile_saved") in saved.params["text"]
    return saved


def test_invite_profile_match_and_consent(bot: RunningBot) -> None:
    invite = say(bot, MANAGER, "/invite")
    link = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)",
                     visible(bot, invite))
    assert link, visible(bot, invite)
    for user, username in ((REQUESTER, REQUESTER_NAME), (TARGET, TARGET_NAME)):
        mark = bot.api.mark()
        welcome = say(bot, user, f"/start {link.group(1)}", username=username)
        assert "Sie sind jetzt Mitglied" in visible(bot, welcome)
        menu = menu_call(bot, "setMyCommands", user, after=mark)
        assert "profile" in menu_names(menu) and "match" in menu_names(menu)
        assert "invite" not in menu_names(menu)
    make_profile(bot, TARGET, TARGET_NAME, ["Tom", "Target GmbH", "Essen", "Logistik, RFID",
                                            "CRM", "-"], "company")
    make_profile(bot, REQUESTER, REQUESTER_NAME, ["Rita", "Requesting AG", "Bochum", "CRM",
                                                  "Logistik", "Wir suchen Partner."],
                 "research")
    first = bot.api.mark()

    found = say(bot, REQUESTER, "/match logisitcs", username=REQUESTER_NAME)
    assert "Target GmbH" in visible(bot, found)
    ask = next(d for d in button_data(found) if d.startswith(MATCH.data("contact") + ":"))
    mark, query = press(bot, REQUESTER, ask, found, username=REQUESTER_NAME)
    wait_answered(bot, query, after=mark)
    question = bot.reply_to(REQUESTER, after=mark)
    assert "höchstens 300 Zeichen" in visible(bot, question)
    assert any(d.startswith(CONTACT.data("skip") + ":") for d in button_data(question))
    mark = bot.api.mark()
    preview = say(bot, REQUESTER, "Hallo Tom <3 – lass uns über RFID reden",
                  username=REQUESTER_NAME)
    assert "Hallo Tom <3 – lass uns über RFID reden" in visible(bot, preview)
    assert calls_into(bot, TARGET, after=mark) == [], "nothing is sent before 'send'"
    send = next(d for d in button_data(preview) if d.startswith(CONTACT.data("send") + ":"))
    mark, query = press(bot, REQUESTER, send, preview, username=REQUESTER_NAME)
    wait_answered(bot, query, after=mark)
    sent = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == REQUESTER,
                        after=mark)
    assert "unterwegs" in str(sent.params["text"])
    incoming = bot.reply_to(TARGET, after=mark)
    assert "Rita" in visible(bot, incoming) and "Requesting AG" in visible(bot, incoming)
    assert "Hallo Tom <3 – lass uns über RFID reden" in visible(bot, incoming)
    accept, decline = button_data(incoming)
    assert accept.startswith(CONTACT.data("accept") + ":")
    assert decline.startswith(CONTACT.data("decline") + ":")

    before = [c for c in bot.api.get_calls()[first:] if c.params.get("chat_id") in
              (REQUESTER, TARGET)]
    shown = "\n".join(str(c.params.get("text", "")) + str(c.params.get("reply_markup", ""))
                      for c in before)
    for secret in (TARGET_NAME, REQUESTER_NAME, str(TARGET), str(REQUESTER), "tg://"):
        assert secret not in shown, f"{secret} was revealed before consent"

    mark, query = press(bot, TARGET, accept, incoming, username=TARGET_NAME)
    wait_answered(bot, query, after=mark)
    edited = bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == TARGET,
                          after=mark)
    assert f"@{REQUESTER_NAME}" in edited.params["text"]
    told = bot.reply_to(REQUESTER, after=mark)
    assert f"@{TARGET_NAME}" in visible(bot, told) and "Target GmbH" in visible(bot, told)

    mark, query = press(bot, TARGET, decline, incoming, username=TARGET_NAME)
    answered = wait_answered(bot, query, after=mark)
    assert "schon angenommen" in str(answered.params.get("text"))
    assert quiet_after(bot, TARGET, mark) == []


def test_visitor_cannot_get_member_data_with_forged_buttons(bot: RunningBot) -> None:
    visitor = 300_010
    start = say(bot, visitor, "/start")
    refused = say(bot, visitor, "/match Logistik")
    assert refused.params["text"] == t("de", "not_allowed_member", command="match")
    for data in (MATCH.data("contact", 1), MATCH.data("page", 1, 0), CONTACT.data("accept", 1),
                 PROFILE.data("edit", "all"), JOIN.data("accept", 1), "match:contact:x",
                 "profile:kind:spaceship"):
        mark, query = press(bot, visitor, data, start)
        answered = wait_answered(bot, query, after=mark)
        assert str(answered.params.get("text") or "").strip(), data
        assert quiet_after(bot, visitor, mark) == [], data


def test_join_request_is_decided_by_a_manager_once(bot: RunningBot) -> None:
    visitor = 300_020
    mark = bot.api.mark()
    sent = say(bot, visitor, "/join Hallo <Team>")
    assert "Beitrittsanfrage" in visible(bot, sent)
    request = bot.reply_to(MANAGER, after=mark)
    assert "Hallo <Team>" in visible(bot, request)
    accept, decline = button_data(request)
    assert accept.startswith(JOIN.data("accept") + ":")
    mark, query = press(bot, MANAGER, accept, request)
    wait_answered(bot, query, after=mark)
    bot.wait_for("editMessageText", lambda c: c.params.get("chat_id") == MANAGER, after=mark)
    welcome = bot.reply_to(visitor, after=mark)
    assert "Sie sind jetzt Mitglied" in visible(bot, welcome)
    assert "profile" in menu_names(menu_call(bot, "setMyCommands", visitor, after=mark))
    mark, query = press(bot, MANAGER, decline, request)
    assert "schon angenommen" in str(wait_answered(bot, query, after=mark).params.get("text"))
    assert say(bot, visitor, "/match RFID").params["text"] != t(
        "de", "not_allowed_member", command="match")


def test_writing_in_the_linked_group_makes_members(bot: RunningBot) -> None:
    group, writer = -100_555_000_001, 300_030
    linked_mark = bot.api.mark()
    bot.api.push_message(MANAGER, f"/link_group@{BOT_USERNAME}", chat_id=group,
                         chat_type="supergroup")
    linked = bot.reply_to(group, after=linked_mark)
    assert "verknüpft" in visible(bot, linked)
    mark = bot.api.mark()
    bot.api.push_message(writer, "Hallo zusammen", chat_id=group, chat_type="supergroup")
    welcome = bot.reply_to(writer, after=mark)
    assert "Weil Sie in der Telegram-Gruppe des Clusters geschrieben haben" in visible(
        bot, welcome)
    assert "profile" in menu_names(menu_call(bot, "setMyCommands", writer, after=mark))
    mark = bot.api.mark()
    bot.api.push_message(writer, "Noch einmal hallo", chat_id=group, chat_type="supergroup")
    reply = say(bot, writer, "/match RFID")
    assert reply.params["text"] != t("de", "not_allowed_member", command="match")
    assert calls_into(bot, group, after=linked_mark) == [linked], "nothing posted in the group"
    assert [c for c in calls_into(bot, writer, after=mark) if c is not reply] == [], \
        "welcomed once"


def test_promote_as_a_reply_in_a_group(bot: RunningBot) -> None:
    group, person = -100_555_000_002, 300_040
    mark = bot.api.mark()
    written = bot.api.push_message(person, "Ich bin neu hier", chat_id=group,
                                   chat_type="supergroup", first_name="Neu")
    bot.api.push_message(MANAGER, "/promote", chat_id=group, chat_type="supergroup",
                         reply_to_message=written["message"])
    promoted = bot.reply_to(group, after=mark)
    assert "Neu ist jetzt Mitglied" in visible(bot, promoted)
    assert "profile" in menu_names(menu_call(bot, "setMyCommands", person, after=mark))


def test_promote_and_demote_change_the_persons_command_menu(bot: RunningBot) -> None:
    person = 300_060
    say(bot, person, "/start", username="mia_menu")
    mark = bot.api.mark()
    say(bot, MANAGER, "/promote @mia_menu")
    assert "profile" in menu_names(menu_call(bot, "setMyCommands", person, after=mark))
    mark = bot.api.mark()
    say(bot, MANAGER, "/promote @mia_menu")
    assert "invite" in menu_names(menu_call(bot, "setMyCommands", person, after=mark))
    mark = bot.api.mark()
    say(bot, MANAGER, "/demote @mia_menu")
    menu = menu_call(bot, "setMyCommands", person, after=mark)
    assert "profile" in menu_names(menu) and "invite" not in menu_names(menu)
    mark = bot.api.mark()
    say(bot, MANAGER, "/demote @mia_menu")
    menu_call(bot, "deleteMyCommands", person, after=mark)
    bot.wait_for("sendMessage", lambda c: c.params.get("chat_id") == person
                 and "ist jetzt: Gast" in str(c.params.get("text")), after=mark)


def test_forget_me_gives_a_member_the_default_menu_back(bot: RunningBot) -> None:
    person = 300_070
    say(bot, person, "/start", username="fritz_forget")
    mark = bot.api.mark()
    say(bot, MANAGER, "/promote @fritz_forget")
    menu_call(bot, "setMyCommands", person, after=mark)
    bot.reply_to(person, after=mark)  # "your role is now: member"
    confirm = say(bot, person, "/forget_me", username="fritz_forget")
    yes = next(d for d in button_data(confirm) if d.startswith(FORGET.data("confirm") + ":"))
    mark, query = press(bot, person, yes, confirm, username="fritz_forget")
    wait_answered(bot, query, after=mark)
    menu_call(bot, "deleteMyCommands", person, after=mark)


def test_export_my_data_sends_a_json_document(bot: RunningBot) -> None:
    user = 300_050
    mark = bot.api.mark()
    say(bot, user, "/export_my_data")
    document = bot.wait_for("sendDocument", lambda c: c.params.get("chat_id") == user,
                            after=mark)
    assert document.status == 200, document.response
    assert str(document.response["document"]["file_name"]).endswith(".json")
