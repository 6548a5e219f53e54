"""The global error handler logs the failure and apologises in both languages."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Update
from telegram.error import Forbidden

from handlers.errors import on_error
from handlers.render import MESSAGE_LIMIT, fit


class RecordingBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.sent.append((chat_id, text))


def _update() -> Update:
    return Update.de_json({"update_id": 5, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 77, "type": "private"},
        "from": {"id": 77, "is_bot": False, "first_name": "A"}, "text": "hi"}}, None)


def test_error_is_logged_with_traceback_and_user_gets_bilingual_apology(
        caplog: pytest.LogCaptureFixture) -> None:
    bot = RecordingBot()
    try:
        raise ValueError("database is locked")
    except ValueError as exc:
        context = SimpleNamespace(error=exc, bot=bot)
    with caplog.at_level(logging.ERROR):
        asyncio.run(on_error(_update(), context))  # type: ignore[arg-type]
    assert "database is locked" in caplog.text and "Traceback" in caplog.text
    [(chat_id, text)] = bot.sent
    assert chat_id == 77 and "schiefgegangen" in text and "Something went wrong" in text


def test_blocked_user_gets_no_apology() -> None:
    bot = RecordingBot()
    context = SimpleNamespace(error=Forbidden("bot was blocked by the user"), bot=bot)
    asyncio.run(on_error(_update(), context))  # type: ignore[arg-type]
    assert bot.sent == []


def test_overlong_reply_is_sent_as_shortened_plain_text() -> None:
    short, mode = fit("<b>Hallo</b> &amp; tschüss")
    assert (short, mode) == ("<b>Hallo</b> &amp; tschüss", "HTML")
    long_text, mode = fit("<b>Karte</b> " + "Logistik &amp; RFID " * 400)
    assert mode is None and len(long_text) <= MESSAGE_LIMIT
    assert "<b>" not in long_text and "&amp;" not in long_text and long_text.endswith("…")
