"""The Bot API wire format: canonical method names and how a request (query string,
form-urlencoded, JSON or multipart/form-data) is decoded into parameters and uploaded files.

PTB sends form fields whose non-string values are JSON-encoded, so such values are decoded back
into Python objects; free-text and integer parameters are recognised by name.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from tests.fakebot.models import JSONDict, Request

# fmt: off
# Canonical spelling of the Bot API methods the fake knows about.  Telegram treats method names
# case-insensitively; recording the canonical spelling keeps ``Call.method`` predictable.
_KNOWN_METHODS = (
    "getMe", "logOut", "close", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo",
    "sendMessage", "forwardMessage", "copyMessage", "sendPhoto", "sendAudio", "sendDocument",
    "sendVideo", "sendAnimation", "sendVoice", "sendVideoNote", "sendSticker", "sendMediaGroup",
    "sendLocation", "sendVenue", "sendContact", "sendPoll", "sendDice", "sendChatAction",
    "setMessageReaction", "getFile", "getChat", "getChatMember", "getChatMemberCount",
    "getChatAdministrators", "leaveChat", "answerCallbackQuery", "setMyCommands",
    "deleteMyCommands", "getMyCommands", "setMyName", "getMyName", "setMyDescription",
    "getMyDescription", "setMyShortDescription", "getMyShortDescription", "setChatMenuButton",
    "getChatMenuButton", "editMessageText", "editMessageCaption", "editMessageMedia",
    "editMessageReplyMarkup", "deleteMessage", "deleteMessages", "pinChatMessage",
    "unpinChatMessage", "unpinAllChatMessages",
)
CANONICAL = {name.lower(): name for name in _KNOWN_METHODS}

# Parameters whose values are free text: never JSON-decoded, even if the user typed "[1, 2]".
_TEXT_KEYS = frozenset({
    "text", "caption", "query", "data", "url", "description", "short_description", "name",
    "title", "address", "question", "explanation", "first_name", "last_name", "phone_number",
    "vcard", "parse_mode", "emoji", "action", "callback_query_id", "inline_message_id",
    "file_id", "business_connection_id", "message_effect_id", "secret_token", "ip_address",
    "language_code", "custom_title", "photo", "audio", "document", "video", "animation",
    "voice", "video_note", "sticker", "thumbnail", "media_group_id", "chat_instance",
})
# Parameters that are integers in the Bot API; numeric strings are converted for them only.
_INT_KEYS = frozenset({
    "chat_id", "from_chat_id", "user_id", "message_id", "message_thread_id",
    "reply_to_message_id", "offset", "limit", "timeout", "cache_time", "until_date", "duration",
    "width", "height", "length", "direct_messages_topic_id", "max_connections",
    "sender_chat_id",
})
# fmt: on


def _decode_value(key: str, raw: str) -> Any:
    """Turn one transmitted string value back into what the bot meant to send.

    PTB JSON-encodes every non-string value (dicts, lists, ints, bools) but sends strings as is,
    so only values that cannot be free text are decoded.
    """
    if key in _INT_KEYS:
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if key in _TEXT_KEYS:
        return raw
    if raw[:1] in ("[", "{"):
        try:
            decoded = json.loads(raw)
        except ValueError:
            return raw
        if isinstance(decoded, dict | list):
            return decoded
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    return raw


def _decode_params(pairs: dict[str, Any]) -> JSONDict:
    return {k: _decode_value(k, v) if isinstance(v, str) else v for k, v in pairs.items()}


def _parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, bytes], dict[str, str], dict[str, str]]:
    """Split a multipart/form-data body into fields, file contents, file names and mime types."""
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    if not message.is_multipart():
        return fields, files, names, types
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode(part.get_content_charset() or "utf-8")
        else:
            files[name] = data
            names[name] = filename
            types[name] = part.get_content_type()
    return fields, files, names, types


def parse_request(method: str, query: str, content_type: str, body: bytes) -> Request:
    """Decode one HTTP request (query string plus body in any accepted encoding)."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "multipart/form-data":
        fields, files, names, types = _parse_multipart(content_type, body)
        raw.update(fields)
    elif ctype == "application/json" and body.strip():
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            raw.update(decoded)
    elif body:
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return Request(method, _decode_params(raw), files, names, types)
