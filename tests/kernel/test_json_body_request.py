"""The bot's HTTP client (`bot.app.JsonBodyRequest`, #11): a Bot API call without files goes
out as one JSON body with the same parameters PTB would have sent as a form; an upload stays
multipart; time-outs and network errors become PTB's own errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.app import JsonBodyRequest

TOKEN = "123456:TEST-TOKEN"
ME = {"id": 999, "is_bot": True, "first_name": "Advisor", "username": "advisor_bot"}


class Telegram:
    """A Bot API that answers every call, or fails the way it is told to."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.failure: Exception | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if method != "getMe":
            self.requests.append(request)
            if self.failure is not None:
                raise self.failure
        result: Any = ME if method == "getMe" else {
            "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "x"}
        return httpx.Response(200, json={"ok": True, "result": result})


def _run(telegram: Telegram, call: Any) -> Any:
    async def main() -> Any:
        request = JsonBodyRequest(httpx_kwargs={"transport": httpx.MockTransport(telegram)})
        async with Bot(TOKEN, request=request) as bot:
            return await call(bot)

    return asyncio.run(main())


def test_a_message_with_buttons_is_one_json_body() -> None:
    telegram = Telegram()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="kb:vote:1")]])
    message = _run(telegram, lambda bot: bot.send_message(
        5, "<b>Grüße</b> & mehr", parse_mode="HTML", reply_markup=keyboard))
    assert message.message_id == 1
    (sent,) = telegram.requests
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.content) == {
        "chat_id": 5, "text": "<b>Grüße</b> & mehr", "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "👍", "callback_data": "kb:vote:1"}]]}}


def test_a_file_is_still_uploaded_as_multipart() -> None:
    telegram = Telegram()
    _run(telegram, lambda bot: bot.send_document(5, b"a,b\n1,2\n", filename="export.csv"))
    (sent,) = telegram.requests
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b"export.csv" in sent.content


@pytest.mark.parametrize(("failure", "error"), [
    (httpx.ReadTimeout("slow"), TimedOut),
    (httpx.ConnectError("refused"), NetworkError),
])
def test_transport_failures_become_ptb_errors(failure: Exception,
                                              error: type[Exception]) -> None:
    telegram = Telegram()
    telegram.failure = failure
    with pytest.raises(error):
        _run(telegram, lambda bot: bot.send_message(5, "hallo"))
