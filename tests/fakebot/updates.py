"""The test-facing "Telegram delivers" side: queue messages, button presses and raw updates
for ``getUpdates``, with the entities Telegram would attach.
"""

from __future__ import annotations

import re
import time
import zlib
from typing import Any

from tests.fakebot.models import JSONDict
from tests.fakebot.state import BotApiState

#: Chat id used by :meth:`FakeBotApi.push_message` for group chats when none is given.
DEFAULT_GROUP_CHAT_ID = -1001234567890

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{1,32}")


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, which is how Telegram measures entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class UpdatesMixin(BotApiState):
    """Queue updates for the bot (``push_*``) and show what it has not confirmed yet."""

    def push_update(self, update: dict[str, Any]) -> JSONDict:
        """Queue an update for ``getUpdates``; the ``update_id`` is assigned here (increasing)."""
        with self._cond:
            queued = {
                "update_id": next(self._update_ids),
                **{k: v for k, v in update.items() if k != "update_id"},
            }
            self._remember_update(queued)
            self._pending.append(queued)
            self._cond.notify_all()
            return queued

    def push_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "de",
        reply_to_message: dict[str, Any] | None = None,
        chat_title: str | None = None,
    ) -> JSONDict:
        """Queue a text message from a user, with the entities Telegram would attach.

        A ``bot_command`` entity is added when the text starts with ``/`` and a ``mention`` entity
        for every ``@name``; offsets/lengths are in UTF-16 code units, as Telegram sends them.
        """
        user = self._user_dict(user_id, first_name, username, language_code)
        if chat_type == "private":
            chat: JSONDict = {
                "id": user_id if chat_id is None else chat_id,
                "type": "private",
                "first_name": first_name,
            }
            if username:
                chat["username"] = username
        else:
            chat = {
                "id": DEFAULT_GROUP_CHAT_ID if chat_id is None else chat_id,
                "type": chat_type,
                "title": chat_title or "Test Group",
            }
        with self._cond:
            message: JSONDict = {
                "message_id": next(self._message_ids),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
        entities = self._entities_for(text)
        if entities:
            message["entities"] = entities
        if reply_to_message is not None:
            message["reply_to_message"] = reply_to_message
        return self.push_update({"message": message})

    def push_callback(
        self,
        user_id: int,
        data: str,
        *,
        message: dict[str, Any],
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "de",
    ) -> JSONDict:
        """Queue a press on an inline button with ``data`` under ``message`` (a bot message);
        ``username`` as Telegram reports it with every update of that user."""
        with self._cond:
            query_id = str(next(self._callback_ids))
            current = self._messages.get((message["chat"]["id"], message["message_id"]), message)
        user = self._user_dict(user_id, first_name, username, language_code)
        callback = {
            "id": query_id,
            "from": user,
            "message": current,
            "chat_instance": f"ci{zlib.crc32(str(message['chat']['id']).encode())}",
            "data": data,
        }
        return self.push_update({"callback_query": callback})

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued but not yet confirmed by the bot via ``offset``."""
        with self._cond:
            return list(self._pending)

    def _entities_for(self, text: str) -> list[JSONDict]:
        entities: list[JSONDict] = []
        command = _COMMAND_RE.match(text)
        if command:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group(0))}
            )
        for mention in _MENTION_RE.finditer(text):
            if command and mention.start() < command.end():
                continue
            entities.append(
                {
                    "type": "mention",
                    "offset": _utf16_len(text[: mention.start()]),
                    "length": _utf16_len(mention.group(0)),
                }
            )
        return entities
