"""Checks that FakeBotApi speaks the Bot API well enough for the *real* python-telegram-bot stack.

Why: the bot's end-to-end tests are only as good as this fake.  Every test here drives the fake
through genuine PTB objects (``Bot``, ``Application``, ``Updater``) or raw HTTP, so a mismatch in
parameter encoding, update shape or error mapping shows up here instead of as a confusing failure
in a feature test.  No pytest-asyncio: async code runs inside ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebot import Call, FakeBotApi

USER_ID = 4242
OTHER_USER_ID = 5151


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A started fake per test, so recorded calls never leak between tests."""
    fake = FakeBotApi()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
    assert fake.errors == [], f"the fake itself raised: {fake.errors!r}"


def make_bot(api: FakeBotApi, token: str | None = None) -> Bot:
    return Bot(token or api.token, base_url=api.base_url, base_file_url=api.base_file_url)


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ja", callback_data="yes"),
                InlineKeyboardButton("Nein", callback_data="no"),
            ]
        ]
    )


def raw_post(api: FakeBotApi, method: str, body: bytes, content_type: str) -> tuple[int, Any]:
    """POST without PTB, to check the encodings other clients (and curl) use."""
    request = urllib.request.Request(
        f"{api.base_url}{api.token}/{method}",
        data=body,
        headers={"Content-Type": content_type},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# --------------------------------------------------------------------------- the bot under test
async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Willkommen im Cluster!", reply_markup=keyboard())


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"Echo: {update.effective_message.text}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Danke!")
    await query.edit_message_text(f"Gewählt: {query.data}")


def advisor_handlers() -> list[BaseHandler[Update, Any, Any]]:
    return [
        CommandHandler("start", start_command),
        MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
        CallbackQueryHandler(on_button),
    ]


def run_polling(api: FakeBotApi, scenario: Callable[[], None]) -> None:
    """Run a real polling Application while ``scenario`` (blocking, sync) drives the fake.

    The scenario runs in a worker thread so that its blocking ``wait_for`` calls don't stall
    the event loop the bot is running on.
    """

    async def main() -> None:
        app = (
            Application.builder()
            .token(api.token)
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
            .build()
        )
        app.add_handlers(advisor_handlers())
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0)
            try:
                await asyncio.to_thread(scenario)
            finally:
                await app.updater.stop()
                await app.stop()

    asyncio.run(main())


def to_chat(chat_id: int) -> Callable[[Call], bool]:
    return lambda call: call.params.get("chat_id") == chat_id


# --------------------------------------------------------------------------- Bot (no Application)
def test_get_me_returns_the_configured_bot_user(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            me = await bot.get_me()
            assert (me.id, me.username, me.first_name) == (
                999,
                "cluster_advisor_bot",
                "Cluster Advisor",
            )
            assert me.is_bot and me.can_join_groups
            assert me.can_read_all_group_messages is False
            assert me.supports_inline_queries is False

    asyncio.run(main())
    assert api.calls_to("getMe")


def test_send_message_records_decoded_params_and_echoes_the_inline_keyboard(
    api: FakeBotApi,
) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            message = await bot.send_message(USER_ID, "Grüße 👋", reply_markup=keyboard())
            assert message.text == "Grüße 👋"
            assert message.chat.id == USER_ID and message.chat.type == "private"
            assert message.from_user is not None and message.from_user.id == 999
            assert message.reply_markup == keyboard()

    asyncio.run(main())
    call = api.wait_for("sendMessage")
    assert call.params["chat_id"] == USER_ID  # int, not "4242"
    assert call.params["text"] == "Grüße 👋"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert api.sent_message(call)["reply_markup"] == call.params["reply_markup"]


def test_text_that_looks_like_json_stays_a_string(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            await bot.send_message(USER_ID, '{"not": "decoded"}')
            await bot.send_message(USER_ID, "[1, 2]")

    asyncio.run(main())
    assert [c.params["text"] for c in api.calls_to("sendMessage")] == [
        '{"not": "decoded"}',
        "[1, 2]",
    ]


def test_message_ids_increase_and_replies_reference_the_original(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            first = await bot.send_message(USER_ID, "eins")
            second = await bot.send_message(USER_ID, "zwei", reply_to_message_id=first.message_id)
            assert second.message_id > first.message_id
            assert second.reply_to_message is not None
            assert second.reply_to_message.text == "eins"

    asyncio.run(main())


def test_send_photo_with_bytes_arrives_as_multipart_file_byte_for_byte(api: FakeBotApi) -> None:
    payload = bytes(range(256)) * 4 + b"\r\n--boundary-lookalike\r\n\r\n"

    async def main() -> None:
        async with make_bot(api) as bot:
            message = await bot.send_photo(USER_ID, payload, caption="Übersicht ✓")
            assert message.caption == "Übersicht ✓"
            assert message.photo and message.photo[-1].file_size == len(payload)

    asyncio.run(main())
    call = api.wait_for("sendPhoto")
    assert call.files == {"photo": payload}
    assert call.params == {"chat_id": USER_ID, "caption": "Übersicht ✓"}


def test_send_document_keeps_file_name_and_can_be_downloaded_again(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            message = await bot.send_document(USER_ID, b"a;b\n1;2\n", filename="bericht.csv")
            assert message.document is not None
            assert message.document.file_name == "bericht.csv"
            assert message.document.mime_type == "text/csv"
            file = await bot.get_file(message.document.file_id)
            assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"

    asyncio.run(main())
    assert api.wait_for("sendDocument").files["document"] == b"a;b\n1;2\n"


def test_html_markup_is_stripped_from_the_result_and_malformed_html_is_rejected(
    api: FakeBotApi,
) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            ok = await bot.send_message(USER_ID, "<b>Fett</b> &amp; gut", parse_mode=ParseMode.HTML)
            assert ok.text == "Fett & gut"
            with pytest.raises(BadRequest, match="(?i)can't parse entities"):
                await bot.send_message(USER_ID, "a <br> b", parse_mode=ParseMode.HTML)
            with pytest.raises(BadRequest, match="(?i)reserved"):
                await bot.send_message(USER_ID, "Ende.", parse_mode=ParseMode.MARKDOWN_V2)
            escaped = await bot.send_message(
                USER_ID, "*Ende*\\. [Link](https://example.org/a-b.c)", parse_mode="MarkdownV2"
            )
            assert escaped.text == "Ende. Link"

    asyncio.run(main())


def test_telegram_limits_are_enforced_for_text_and_callback_data(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            with pytest.raises(BadRequest, match="(?i)message is too long"):
                await bot.send_message(USER_ID, "x" * 4097)
            with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
                markup = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d" * 65)]])
                await bot.send_message(USER_ID, "hi", reply_markup=markup)

    asyncio.run(main())


def test_identical_edit_is_rejected_as_not_modified(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            message = await bot.send_message(USER_ID, "Stand 1", reply_markup=keyboard())
            edited = await message.edit_text("Stand 2", reply_markup=keyboard())
            assert isinstance(edited, Message)
            assert edited.text == "Stand 2" and edited.edit_date is not None
            with pytest.raises(BadRequest, match="(?i)message is not modified"):
                await bot.edit_message_text(
                    "Stand 2",
                    chat_id=USER_ID,
                    message_id=message.message_id,
                    reply_markup=keyboard(),
                )

    asyncio.run(main())


def test_get_my_commands_returns_what_was_set_per_scope_and_language(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            await bot.set_my_commands([BotCommand("start", "Start")])
            await bot.set_my_commands(
                [BotCommand("hilfe", "Hilfe")],
                scope=BotCommandScopeAllPrivateChats(),
                language_code="de",
            )
            assert [c.command for c in await bot.get_my_commands()] == ["start"]
            german = await bot.get_my_commands(
                scope=BotCommandScopeAllPrivateChats(), language_code="de"
            )
            assert [c.command for c in german] == ["hilfe"]
            assert await bot.delete_my_commands()
            assert await bot.get_my_commands() == ()

    asyncio.run(main())


# --------------------------------------------------------------------------- error mapping
def test_injected_429_surfaces_as_retry_after_and_fails_only_once(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # opt in to PTB's future timedelta behaviour
    api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 3", retry_after=3
    )

    async def main() -> None:
        async with make_bot(api) as bot:
            with pytest.raises(RetryAfter) as excinfo:
                await bot.send_message(USER_ID, "zu schnell")
            assert excinfo.value.retry_after == dtm.timedelta(seconds=3)
            await bot.send_message(USER_ID, "jetzt geht's")

    asyncio.run(main())
    failed, succeeded = api.calls_to("sendMessage")
    assert failed.status == 429 and failed.response["parameters"] == {"retry_after": 3}
    assert succeeded.status == 200


def test_injected_403_for_one_chat_surfaces_as_forbidden_while_other_chats_work(
    api: FakeBotApi,
) -> None:
    api.fail_next(
        "SENDMESSAGE",
        error_code=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=USER_ID,
        times=2,
    )

    async def main() -> None:
        async with make_bot(api) as bot:
            await bot.send_message(OTHER_USER_ID, "an andere")
            for _ in range(2):
                with pytest.raises(Forbidden, match="(?i)blocked by the user"):
                    await bot.send_message(USER_ID, "blockiert")
            await bot.send_message(USER_ID, "wieder frei")

    asyncio.run(main())
    assert [c.status for c in api.calls_to("sendMessage")] == [200, 403, 403, 200]


def test_wrong_token_is_rejected_as_invalid_token_and_not_recorded_as_a_call(
    api: FakeBotApi,
) -> None:
    async def main() -> None:
        with pytest.raises(InvalidToken):
            async with make_bot(api, token="654321:WRONG-TOKEN"):
                pass

    asyncio.run(main())
    assert api.calls == []
    assert [c.method for c in api.rejected_calls] == ["getMe"]
    assert api.rejected_calls[0].response == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }


# --------------------------------------------------------------------------- raw HTTP
def test_raw_json_form_and_query_requests_are_parsed_and_method_names_are_case_insensitive(
    api: FakeBotApi,
) -> None:
    status, body = raw_post(
        api, "SENDMESSAGE", json.dumps({"chat_id": 7, "text": "json"}).encode(), "application/json"
    )
    assert status == 200 and body["result"]["text"] == "json"
    form = b"chat_id=8&text=form&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D"
    status, body = raw_post(api, "sendmessage", form, "application/x-www-form-urlencoded")
    assert status == 200 and body["result"]["chat"]["id"] == 8
    with urllib.request.urlopen(f"{api.base_url}{api.token}/getChat?chat_id=9", timeout=5) as r:
        assert json.loads(r.read())["result"]["id"] == 9
    status, body = raw_post(api, "someFutureMethod", b"x=1", "application/x-www-form-urlencoded")
    assert (status, body) == (200, {"ok": True, "result": True})

    methods = [c.method for c in api.calls]
    assert methods == ["sendMessage", "sendMessage", "getChat", "someFutureMethod"]
    assert api.calls[1].params == {
        "chat_id": 8,
        "text": "form",
        "reply_markup": {"inline_keyboard": []},
    }


def test_get_updates_honours_offset_and_limit(api: FakeBotApi) -> None:
    ids = [api.push_message(USER_ID, f"m{i}")["update_id"] for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3

    def get_updates(**params: Any) -> list[dict[str, Any]]:
        status, body = raw_post(api, "getUpdates", json.dumps(params).encode(), "application/json")
        assert status == 200
        return list(body["result"])

    assert [u["update_id"] for u in get_updates(limit=2)] == ids[:2]
    assert [u["update_id"] for u in get_updates(offset=ids[1])] == ids[1:]
    assert get_updates(offset=ids[2] + 1) == []
    assert api.pending_updates == []


def test_get_updates_long_poll_wakes_on_push_and_is_capped(api: FakeBotApi) -> None:
    def long_poll() -> tuple[float, list[Any]]:
        started = time.monotonic()
        _, body = raw_post(api, "getUpdates", b'{"timeout": 30}', "application/json")
        return time.monotonic() - started, body["result"]

    api.long_poll_cap = 0.3
    elapsed, result = long_poll()
    assert result == [] and 0.25 <= elapsed < 2

    api.long_poll_cap = 5
    threading.Timer(0.2, api.push_message, args=(USER_ID, "wach auf")).start()
    elapsed, result = long_poll()
    assert [u["message"]["text"] for u in result] == ["wach auf"]
    assert elapsed < 2


def test_push_message_entities_use_utf16_offsets_like_telegram(api: FakeBotApi) -> None:
    update = Update.de_json(
        api.push_message(USER_ID, "/start@cluster_advisor_bot 👋🏽 @anna_k, @ben!"), None
    )
    assert update.message is not None
    parsed = update.message.parse_entities()
    assert sorted((e.type, text) for e, text in parsed.items()) == [
        (MessageEntity.BOT_COMMAND, "/start@cluster_advisor_bot"),
        (MessageEntity.MENTION, "@anna_k"),
        (MessageEntity.MENTION, "@ben"),
    ]


def test_wait_for_timeout_lists_the_calls_that_were_seen(api: FakeBotApi) -> None:
    async def main() -> None:
        async with make_bot(api) as bot:
            await bot.send_message(USER_ID, "etwas anderes")

    asyncio.run(main())
    with pytest.raises(AssertionError, match=r"(?s)No editMessageText.*sendMessage.*etwas anderes"):
        api.wait_for("editMessageText", timeout=0.2)
    assert (
        api.wait_for("sendMessage", to_chat(USER_ID), timeout=0.2).params["text"] == "etwas anderes"
    )
    with pytest.raises(AssertionError):
        api.wait_for("sendMessage", timeout=0.1, after=api.mark())


# --------------------------------------------------------------------------- polling Application
def test_polling_application_bootstraps_with_get_me_delete_webhook_and_long_polls(
    api: FakeBotApi,
) -> None:
    def scenario() -> None:
        poll = api.wait_for("getUpdates", lambda c: c.params.get("timeout", 0) > 0, timeout=5)
        assert poll.params["timeout"] == 10

    run_polling(api, scenario)
    methods = [c.method for c in api.calls]
    assert methods.index("getMe") < methods.index("deleteWebhook") < methods.index("getUpdates")


def test_command_handler_reply_with_keyboard_reaches_the_fake(api: FakeBotApi) -> None:
    def scenario() -> None:
        api.push_message(USER_ID, "/start")
        call = api.wait_for("sendMessage", to_chat(USER_ID))
        assert call.params["text"] == "Willkommen im Cluster!"
        buttons = call.params["reply_markup"]["inline_keyboard"][0]
        assert [b["callback_data"] for b in buttons] == ["yes", "no"]

    run_polling(api, scenario)


def test_group_command_addressed_to_the_bot_username_is_handled(api: FakeBotApi) -> None:
    def scenario() -> None:
        api.push_message(USER_ID, "/start@cluster_advisor_bot", chat_type="supergroup")
        call = api.wait_for("sendMessage")
        assert call.params["chat_id"] < 0
        assert api.sent_message(call)["chat"]["title"] == "Test Group"

    run_polling(api, scenario)


def test_message_handler_echoes_text_and_confirms_the_update(api: FakeBotApi) -> None:
    def scenario() -> None:
        update = api.push_message(OTHER_USER_ID, "Hallo Bot", first_name="Anna")
        call = api.wait_for("sendMessage", to_chat(OTHER_USER_ID))
        assert call.params["text"] == "Echo: Hallo Bot"
        api.wait_for(
            "getUpdates", lambda c: c.params.get("offset") == update["update_id"] + 1, timeout=5
        )
        assert api.pending_updates == []

    run_polling(api, scenario)
    assert len(api.calls_to("sendMessage")) == 1  # delivered exactly once


def test_callback_query_handler_answers_and_edits_the_message(api: FakeBotApi) -> None:
    def scenario() -> None:
        api.push_message(USER_ID, "/start")
        sent = api.sent_message(api.wait_for("sendMessage", to_chat(USER_ID)))
        mark = api.mark()
        update = api.push_callback(USER_ID, "yes", message=sent)

        answer = api.wait_for("answerCallbackQuery", after=mark)
        assert answer.params["callback_query_id"] == update["callback_query"]["id"]
        assert answer.params["text"] == "Danke!"
        edit = api.wait_for("editMessageText", after=mark)
        assert edit.params["message_id"] == sent["message_id"]
        assert edit.params["chat_id"] == USER_ID
        edited = api.sent_message(edit)
        assert edited["text"] == "Gewählt: yes"
        assert "reply_markup" not in edited  # editing without a keyboard removes it

    run_polling(api, scenario)


def test_handler_errors_from_injected_failures_do_not_stop_polling(api: FakeBotApi) -> None:
    def scenario() -> None:
        api.fail_next(
            "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
        )
        api.push_message(USER_ID, "erste")
        api.wait_for("sendMessage", lambda c: c.status == 403)
        api.push_message(USER_ID, "zweite")
        ok = api.wait_for("sendMessage", lambda c: c.status == 200)
        assert ok.params["text"] == "Echo: zweite"

    run_polling(api, scenario)
