"""Bot API methods that change or remove a sent message: ``editMessageText``,
``editMessageCaption``, ``editMessageReplyMarkup``, ``editMessageMedia`` and ``deleteMessage``,
including Telegram's "message is not modified" and "message to delete not found" answers.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakebot.methods_media import MediaMethods
from tests.fakebot.models import ApiError, JSONDict, Request
from tests.fakebot.validation import checked_caption, checked_text, inline_markup


class EditMethods(MediaMethods):
    """Edits and deletes; ``editMessageMedia`` reuses the file handling of :class:`MediaMethods`."""

    def _apply_edit(self, params: JSONDict, changes: JSONDict) -> Any:
        """Shared edit logic: "not modified" check, markup replacement, edit_date."""
        found = self._stored_message(params)
        markup = inline_markup(params)
        if found is None:
            return True  # inline messages: Telegram answers True
        key, message = found
        media = ("photo", "document", "audio", "video", "animation", "voice", "sticker")
        if "text" in changes and any(k in message for k in media):
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if "caption" in changes and "text" in message and "photo" not in changes:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        edited = {k: v for k, v in message.items() if k not in ("reply_markup",)}
        edited.update(changes)
        for k, v in list(edited.items()):
            if v is None:
                del edited[k]
        if markup is not None:
            edited["reply_markup"] = markup
        unchanged = all(message.get(k) == edited.get(k) for k in changes) and message.get(
            "reply_markup"
        ) == edited.get("reply_markup")
        if unchanged:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        edited["edit_date"] = int(time.time())
        self._messages[key] = edited
        return edited

    def _edit_message_text(self, request: Request) -> Any:
        params = request.params
        entities = params.get("entities") if isinstance(params.get("entities"), list) else None
        return self._apply_edit(params, {"text": checked_text(params), "entities": entities})

    def _edit_message_caption(self, request: Request) -> Any:
        params = request.params
        entities = params.get("caption_entities")
        return self._apply_edit(
            params,
            {
                "caption": checked_caption(params),
                "caption_entities": entities if isinstance(entities, list) else None,
            },
        )

    def _edit_message_reply_markup(self, request: Request) -> Any:
        return self._apply_edit(request.params, {})

    def _edit_message_media(self, request: Request) -> Any:
        media = request.params.get("media")
        if not isinstance(media, dict):
            raise ApiError(400, "Bad Request: there is no media in the request")
        kind = str(media.get("type", "document"))
        stored = self._resolve_file(request, "media", media.get("media"), kind)
        changes: JSONDict = dict.fromkeys(
            ("photo", "document", "audio", "video", "animation", "caption"), None
        )
        changes.update(self._media_content(kind, stored, media))
        changes["caption"] = checked_caption(media)
        return self._apply_edit(request.params, changes)

    def _delete_message(self, request: Request) -> bool:
        chat_id, message_id = request.params.get("chat_id"), request.params.get("message_id")
        key = (chat_id, message_id)
        if key in self._deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._messages.pop(key, None)  # type: ignore[arg-type]
        self._deleted.add(key)  # type: ignore[arg-type]
        return True
