"""The fake's bookkeeping: configuration, the lock, counters, and what it knows about chats,
users and messages (learned from pushed updates and from the bot's own sends).

:class:`BotApiState` is the base of every mixin in this package; it owns the attributes they
share.  All of them are read and written under ``self._cond``.
"""

from __future__ import annotations

import itertools
import threading
import time
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakebot.models import ApiError, Call, JSONDict, Request, StoredFile
from tests.fakebot.validation import inline_markup

if TYPE_CHECKING:
    from tests.fakebot.faults import Failure
    from tests.fakebot.server import HttpServer


class BotApiState:
    """Shared state of :class:`~tests.fakebot.FakeBotApi` and helpers that keep it consistent."""

    #: Lower-cased method name -> implementation; filled in by ``FakeBotApi._build_handlers``.
    _handlers: dict[str, Callable[[Request], Any]]

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "cluster_advisor_bot",
        bot_id: int = 999,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.bot_first_name = "Cluster Advisor"
        #: Upper bound for a ``getUpdates`` long poll, so that stopping the bot never waits long.
        self.long_poll_cap: float = 2.0
        #: Exceptions raised inside the fake itself (should stay empty; inspect when debugging).
        self.errors: list[BaseException] = []
        #: Requests that used a wrong token (answered with 401, not part of :attr:`calls`).
        self.rejected_calls: list[Call] = []

        self._cond = threading.Condition(threading.RLock())
        self._calls: list[Call] = []
        self._pending: list[JSONDict] = []
        self._update_ids = itertools.count(100_001)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(7_000_000_001)
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._files: dict[str, StoredFile] = {}
        self._failures: list[Failure] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._webhook_url = ""
        self._stopping = False
        self._server: HttpServer | None = None
        self._thread: threading.Thread | None = None

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _user_dict(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _remember_update(self, update: JSONDict) -> None:
        """Learn chats, users and messages from pushed updates so replies look consistent."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if isinstance(message, dict):
                self._remember_message(message)
        callback = update.get("callback_query")
        if isinstance(callback, dict) and isinstance(callback.get("from"), dict):
            self._users[callback["from"]["id"]] = callback["from"]

    def _remember_message(self, message: JSONDict) -> None:
        chat = message.get("chat")
        if isinstance(chat, dict) and "id" in chat:
            self._chats[chat["id"]] = chat
            if "message_id" in message:
                self._messages[(chat["id"], message["message_id"])] = message
        sender = message.get("from")
        if isinstance(sender, dict) and "id" in sender:
            self._users[sender["id"]] = sender

    def _chat_for(self, chat_id: Any) -> JSONDict:
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str):
            if not chat_id.startswith("@"):
                raise ApiError(400, "Bad Request: chat not found")
            for chat in self._chats.values():
                if chat.get("username") == chat_id[1:]:
                    return dict(chat)
            chat = {
                "id": -1_000_000_000_000 - zlib.crc32(chat_id.encode()),
                "type": "channel",
                "title": chat_id[1:],
                "username": chat_id[1:],
            }
            self._chats[chat["id"]] = chat
            return dict(chat)
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if chat_id > 0:
            user = self._users.get(chat_id)
            chat = {"id": chat_id, "type": "private"}
            if user:
                chat["first_name"] = user.get("first_name", "")
                if user.get("username"):
                    chat["username"] = user["username"]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Test Group"}

    def _new_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        """Create, store and return a message sent by the bot into ``params['chat_id']``."""
        chat = self._chat_for(params.get("chat_id"))
        markup = inline_markup(params)
        message: JSONDict = {
            "message_id": next(self._message_ids),
            "from": self._bot_user(),
            "chat": chat,
            "date": int(time.time()),
        }
        if isinstance(params.get("message_thread_id"), int):
            message["message_thread_id"] = params["message_thread_id"]
        reply_to = params.get("reply_to_message_id")
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id")
        original = self._messages.get((chat["id"], reply_to)) if isinstance(reply_to, int) else None
        if original is not None:
            message["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _stored_message(self, params: JSONDict) -> tuple[tuple[int, int], JSONDict] | None:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if isinstance(chat_id, str):
            chat_id = self._chat_for(chat_id)["id"]
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            if "inline_message_id" in params:
                return None
            raise ApiError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        if key in self._deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        message = self._messages.get(key)
        if message is None:  # a message sent before the fake started: treat as the bot's
            message = {
                "message_id": message_id,
                "from": self._bot_user(),
                "chat": self._chat_for(chat_id),
                "date": int(time.time()),
            }
        elif message.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return key, message
