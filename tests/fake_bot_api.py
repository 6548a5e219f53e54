"""A loopback fake of the Telegram Bot API for end-to-end tests of the PTB bot.

Why this exists: the bot's handlers are only trustworthy once they have been driven through the
real python-telegram-bot stack (``Application`` -> ``Updater`` -> ``Bot`` -> HTTP), because that
is where parameter encoding, parse modes, keyboards, flood control and error mapping live.  Mocking
``Bot`` methods skips all of it.  This module therefore speaks the Bot API *wire protocol* on
127.0.0.1 so a test can point ``ApplicationBuilder().base_url(...)`` at it, queue updates the way
Telegram would deliver them, and assert on the calls the bot made.

Only the standard library is used, so the fake works in any environment the tests run in.

Fidelity notes (deliberate, so that bugs that would hit production also show up in tests):

* Requests are parsed the way Telegram accepts them: query string, form-urlencoded, JSON body or
  multipart/form-data.  PTB sends form fields whose non-string values are JSON-encoded, so such
  values are decoded back into Python objects.
* ``getUpdates`` is real long polling (capped at :attr:`FakeBotApi.long_poll_cap` seconds so that
  shutdown stays fast) and honours ``offset``/``limit``.
* Errors are returned with the HTTP status codes and bodies Telegram uses, so PTB raises the same
  exception classes (``RetryAfter``, ``Forbidden``, ``BadRequest``, ``InvalidToken``...).
* Some common real-world rejections are reproduced: empty or too long texts and captions, invalid
  ``callback_data``, malformed HTML / MarkdownV2 markup, "message is not modified" on identical
  edits and deleting an already deleted message.
"""

from __future__ import annotations

import email.parser
import email.policy
import html
import itertools
import json
import mimetypes
import re
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

JSONDict = dict[str, Any]

__all__ = ["Call", "FakeBotApi"]

#: Chat id used by :meth:`FakeBotApi.push_message` for group chats when none is given.
DEFAULT_GROUP_CHAT_ID = -1001234567890

# Limits Telegram enforces; reproduced so the bot cannot pass tests with messages that production
# would reject.
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

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
_CANONICAL = {name.lower(): name for name in _KNOWN_METHODS}

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

# Telegram's HTML parse mode accepts only these tags; anything else is a 400.
_HTML_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
})
# fmt: on
_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")
_MDV2_RESERVED = frozenset(">#+-=|{}.!()")
_MDV2_STRIP_RE = re.compile(
    r"\\(.)|\[([^\]]*)\]\((?:[^)\\]|\\.)*\)|```[\w+-]*\n?|^(?:\*\*)?>|!(?=\[)|[*_~|`]",
    re.DOTALL | re.MULTILINE,
)

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{1,32}")


@dataclass
class Call:
    """One request the bot made to the fake.

    ``status`` and ``response`` are recorded too so that tests can tell a rejected call from an
    accepted one and can read back what the bot was told (see :meth:`FakeBotApi.sent_message`).

    Calls are recorded once answered, except a ``getUpdates`` long poll that has to wait: it is
    recorded on arrival (so a test can wait for "the bot is polling" without waiting out the
    poll) and its ``response`` is filled in when the poll returns.
    """

    method: str
    params: JSONDict
    files: dict[str, bytes]
    at: float
    status: int = 200
    response: Any = None  # the ``result`` on success, the whole error body otherwise


class _ApiError(Exception):
    """Raised by method implementations to answer like Telegram does on a failed request."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        out: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


@dataclass
class _Failure:
    """A queued error injection (see :meth:`FakeBotApi.fail_next`)."""

    method_key: str
    error: _ApiError
    chat_id: int | None
    remaining: int


@dataclass
class _Request:
    """A parsed API request, handed to the method implementations."""

    method: str
    params: JSONDict
    files: dict[str, bytes]
    file_names: dict[str, str] = field(default_factory=dict)
    file_types: dict[str, str] = field(default_factory=dict)
    recorded: Call | None = None  # set when the call had to be recorded before it was answered


@dataclass
class _StoredFile:
    """An uploaded (or referenced) file, kept so ``getFile`` and downloads work."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, which is how Telegram measures entity offsets."""
    return len(text.encode("utf-16-le")) // 2


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


def _image_size(data: bytes) -> tuple[int, int]:
    """Width/height of a PNG (the format bots usually render charts in), else a plausible guess."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 800, 600


def _check_html(text: str) -> str:
    """Validate Telegram-HTML like Telegram does and return the text the user would see."""
    stack: list[str] = []
    pos = 0
    visible: list[str] = []
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            visible.append(text[pos:])
            break
        visible.append(text[pos:lt])
        match = _HTML_TAG_RE.match(text, lt)
        offset = len(text[:lt].encode("utf-8"))
        if match is None:
            name = re.match(r"/?[^\s<>/]{0,20}", text[lt + 1 :])
            raise _ApiError(
                400,
                "Bad Request: can't parse entities: Unsupported start tag "
                f'"{name.group(0) if name else ""}" at byte offset {offset}',
            )
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise _ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported {kind} tag "{tag}" '
                f"at byte offset {offset}",
            )
        if closing:
            if not stack or stack[-1] != tag:
                raise _ApiError(
                    400,
                    f"Bad Request: can't parse entities: Unmatched end tag at byte offset "
                    f'{offset}, expected "</{stack[-1] if stack else ""}>", found "</{tag}>"',
                )
            stack.pop()
        else:
            stack.append(tag)
        pos = match.end()
    if stack:
        raise _ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"',
        )
    return html.unescape("".join(visible))


def _check_markdown_v2(text: str) -> str:
    """Reject unescaped reserved characters (the classic MarkdownV2 bug) and strip the markup.

    This is a simplification of Telegram's parser: inline code, pre blocks and link URLs are
    skipped, ``>`` is allowed at the start of a line (block quote), and every other occurrence of
    ``> # + - = | { } . ! ( )`` must be preceded by a backslash.
    """
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise _ApiError(
                    400,
                    "Bad Request: can't parse entities: Can't find end of Code entity at "
                    f"byte offset {len(text[:i].encode('utf-8'))}",
                )
            i = end + len(fence)
            continue
        if ch == "]" and text.startswith("](", i):
            end = text.find(")", i + 2)
            i = (end + 1) if end >= 0 else n
            continue
        if text.startswith("||", i):  # spoiler markup, unlike a lone "|"
            i += 2
            continue
        if text.startswith("![", i):  # custom emoji: ![👍](tg://emoji?id=...)
            i += 1
            continue
        at_line_start = i == 0 or text[i - 1] == "\n"
        if at_line_start and text.startswith("**>", i):  # expandable block quote
            i += 3
            continue
        if ch in _MDV2_RESERVED and not (ch == ">" and at_line_start):
            raise _ApiError(
                400,
                f"Bad Request: can't parse entities: Character '{ch}' is reserved and must be "
                "escaped with the preceding '\\'",
            )
        i += 1

    def _strip(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        if match.group(2) is not None:
            return match.group(2)
        return ""

    return _MDV2_STRIP_RE.sub(_strip, text)


def _visible_text(text: str, parse_mode: Any) -> str:
    """The text Telegram stores after applying ``parse_mode`` (markup removed, validated)."""
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        return _check_html(text)
    if mode == "markdownv2":
        return _check_markdown_v2(text)
    return text


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its :class:`FakeBotApi` and never prints tracebacks."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (e.g. a cancelled long poll) is normal; anything else is a bug in
        # the fake and is kept for inspection instead of being printed to stderr.
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError) and exc is not None:
            self.api.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    """Routes HTTP requests to :meth:`FakeBotApi._handle_http`."""

    server: _Server
    server_version = "FakeBotApi/1.0"

    def do_GET(self) -> None:  # noqa: N802 - name mandated by BaseHTTPRequestHandler
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802 - name mandated by BaseHTTPRequestHandler
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        status, content_type, payload = self.server.api._handle_http(
            self.path, self.headers.get("Content-Type", ""), body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled (typical for a long poll interrupted by shutdown)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: request logs would drown the test output."""


class FakeBotApi:
    """A loopback Bot API server that records every call and serves queued updates.

    Typical use::

        api = FakeBotApi()
        api.start()
        app = Application.builder().token(api.token).base_url(api.base_url).build()
        ...
        api.push_message(42, "/start")
        call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == 42)
        api.stop()

    All public methods are thread-safe; the server runs in a daemon thread.
    """

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
        self._files: dict[str, _StoredFile] = {}
        self._failures: list[_Failure] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._webhook_url = ""
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._handlers: dict[str, Callable[[_Request], Any]] = self._build_handlers()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotApi already started")
        self._stopping = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeBotApi",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; wakes pending long polls so no request hangs around."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotApi not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url`` (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url``; uploaded files can be downloaded from here."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ updates
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
        language_code: str | None = "de",
    ) -> JSONDict:
        """Queue a press on an inline button with ``data`` under ``message`` (a bot message)."""
        with self._cond:
            query_id = str(next(self._callback_ids))
            current = self._messages.get((message["chat"]["id"], message["message_id"]), message)
        user = self._user_dict(user_id, first_name, None, language_code)
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

    # ------------------------------------------------------------------ call inspection
    @property
    def calls(self) -> list[Call]:
        """Snapshot of every call so far (a copy, safe to iterate while the bot runs)."""
        return self.get_calls()

    def get_calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """All calls of ``method`` (case-insensitive), in order."""
        key = method.lower()
        with self._cond:
            return [c for c in self._calls if c.method.lower() == key]

    def mark(self) -> int:
        """Current number of calls; pass as ``after=`` to ignore everything before now."""
        with self._cond:
            return len(self._calls)

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        *,
        after: int = 0,
    ) -> Call:
        """Block until a call to ``method`` with index >= ``after`` matches ``predicate``.

        Raises AssertionError listing the calls that were seen, because "timed out" alone is
        useless when an end-to-end test fails.
        """
        key = method.lower()
        deadline = time.monotonic() + timeout
        index = after
        with self._cond:
            while True:
                while index < len(self._calls):
                    call = self._calls[index]
                    index += 1
                    if call.method.lower() == key and (predicate is None or predicate(call)):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._describe_timeout(method, predicate, timeout, after))
                self._cond.wait(remaining)

    def sent_message(self, call: Call) -> JSONDict:
        """The Message dict the fake returned for a send*/edit* call."""
        if call.status != 200:
            raise AssertionError(f"{call.method} failed with {call.status}: {call.response}")
        result = call.response
        if not (isinstance(result, dict) and "message_id" in result and "chat" in result):
            raise AssertionError(f"{call.method} did not return a Message: {result!r}")
        return result

    # ------------------------------------------------------------------ error injection
    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` (only for ``chat_id`` if given).

        Examples: ``fail_next("sendMessage", error_code=429, description="Too Many Requests: retry
        after 3", retry_after=3)`` or ``fail_next("sendMessage", error_code=403, description=
        "Forbidden: bot was blocked by the user", chat_id=42)``.
        """
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        failure = _Failure(
            method_key=method.lower(),
            error=_ApiError(error_code, description, parameters),
            chat_id=chat_id,
            remaining=times,
        )
        with self._cond:
            self._failures.append(failure)

    # ------------------------------------------------------------------ HTTP plumbing
    def _handle_http(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        """Answer one HTTP request; returns (status, content type, body)."""
        try:
            return self._handle_http_unsafe(path, content_type, body)
        except Exception as exc:  # a bug in the fake: keep it visible but answer the client
            self.errors.append(exc)
            err = _ApiError(500, f"Internal Server Error: fake_bot_api: {exc!r}")
            return 500, "application/json", json.dumps(err.body()).encode()

    def _handle_http_unsafe(
        self, path: str, content_type: str, body: bytes
    ) -> tuple[int, str, bytes]:
        url = urlsplit(path)
        file_match = re.fullmatch(r"/file/bot([^/]+)/(.+)", url.path)
        if file_match:
            return self._serve_file(unquote(file_match.group(1)), unquote(file_match.group(2)))
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", url.path)
        if match is None:
            err = _ApiError(404, "Not Found")
            return 404, "application/json", json.dumps(err.body()).encode()

        token, raw_method = unquote(match.group(1)), match.group(2)
        method = _CANONICAL.get(raw_method.lower(), raw_method)
        request = self._parse_request(method, url.query, content_type, body)

        if token != self.token:
            err = _ApiError(401, "Unauthorized")
            with self._cond:
                self.rejected_calls.append(
                    Call(method, request.params, request.files, time.time(), 401, err.body())
                )
            return 401, "application/json", json.dumps(err.body()).encode()

        with self._cond:
            status, response, payload = self._execute(request)
            if request.recorded is None:
                self._calls.append(
                    Call(method, request.params, request.files, time.time(), status, response)
                )
            else:
                request.recorded.status, request.recorded.response = status, response
            self._cond.notify_all()
        return status, "application/json", json.dumps(payload, ensure_ascii=False).encode()

    def _parse_request(self, method: str, query: str, content_type: str, body: bytes) -> _Request:
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
        return _Request(method, _decode_params(raw), files, names, types)

    def _serve_file(self, token: str, file_path: str) -> tuple[int, str, bytes]:
        if token != self.token:
            body = json.dumps(_ApiError(401, "Unauthorized").body()).encode()
            return 401, "application/json", body
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if stored is None:
            return 404, "application/json", json.dumps(_ApiError(404, "Not Found").body()).encode()
        return 200, stored.mime_type or "application/octet-stream", stored.data

    def _execute(self, request: _Request) -> tuple[int, Any, JSONDict]:
        """Run one method under the lock; returns (status, recorded response, response body)."""
        failure = self._take_failure(request)
        try:
            if failure is not None:
                raise failure
            handler = self._handlers.get(request.method.lower())
            result = True if handler is None else handler(request)
        except _ApiError as err:
            body = err.body()
            return err.code, body, body
        return 200, result, {"ok": True, "result": result}

    def _take_failure(self, request: _Request) -> _ApiError | None:
        key = request.method.lower()
        for failure in self._failures:
            if failure.method_key != key:
                continue
            if failure.chat_id is not None and request.params.get("chat_id") != failure.chat_id:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            return failure.error
        return None

    def _describe_timeout(
        self, method: str, predicate: Callable[[Call], bool] | None, timeout: float, after: int
    ) -> str:
        lines = [
            f"No {method} call{' matching the predicate' if predicate else ''} within "
            f"{timeout:g}s (looking from call #{after}). Calls seen:"
        ]
        polls = 0
        for i, call in enumerate(self._calls):
            if call.method == "getUpdates" and method.lower() != "getupdates":
                polls += 1
                continue
            params = json.dumps(call.params, ensure_ascii=False, default=str)
            if len(params) > 300:
                params = params[:300] + "..."
            files = f" files={sorted(call.files)}" if call.files else ""
            lines.append(f"  #{i} {call.method} [{call.status}] {params}{files}")
        if polls:
            lines.append(f"  (+ {polls} getUpdates calls not listed)")
        if self.rejected_calls:
            lines.append(f"  (+ {len(self.rejected_calls)} calls rejected for a wrong token)")
        if self.errors:
            lines.append(f"  fake-internal errors: {self.errors!r}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ state helpers
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

    def _chat_for(self, chat_id: Any) -> JSONDict:
        if chat_id is None or chat_id == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str):
            if not chat_id.startswith("@"):
                raise _ApiError(400, "Bad Request: chat not found")
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
            raise _ApiError(400, "Bad Request: chat not found")
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

    def _inline_markup(self, params: JSONDict) -> JSONDict | None:
        """The inline keyboard to echo back (Telegram never echoes reply keyboards)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _checked_text(self, params: JSONDict, key: str = "text") -> str:
        text = params.get(key)
        visible = _visible_text(text, params.get("parse_mode")) if isinstance(text, str) else ""
        if not visible.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(visible) > MAX_MESSAGE_LENGTH:
            raise _ApiError(400, "Bad Request: message is too long")
        return visible

    def _checked_caption(self, params: JSONDict) -> str | None:
        caption = params.get("caption")
        if not isinstance(caption, str) or caption == "":
            return None
        visible = _visible_text(caption, params.get("parse_mode"))
        if len(visible) > MAX_CAPTION_LENGTH:
            raise _ApiError(400, "Bad Request: message caption is too long")
        return visible

    def _new_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        """Create, store and return a message sent by the bot into ``params['chat_id']``."""
        chat = self._chat_for(params.get("chat_id"))
        markup = self._inline_markup(params)
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

    def _store_file(
        self,
        data: bytes,
        kind: str,
        file_name: str | None,
        mime_type: str | None,
        file_id: str | None = None,
    ) -> _StoredFile:
        number = next(self._file_ids)
        file_id = file_id or f"FAKE-{kind.upper()}-{number:06d}"
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name, strict=False)[0] or mime_type
        extension = (mimetypes.guess_extension(mime_type or "") or "") if not file_name else ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = _StoredFile(
            file_id=file_id,
            file_unique_id=f"U{number:06d}",
            data=data,
            file_path=f"{kind}s/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[file_id] = stored
        return stored

    def _resolve_file(
        self, request: _Request, field_name: str, value: Any, kind: str
    ) -> _StoredFile:
        """Find the file the bot sent as ``field_name``: an upload, attach:// or a file_id/URL."""
        part = field_name
        if isinstance(value, str) and value.startswith("attach://"):
            part = value[len("attach://") :]
        if part in request.files:
            return self._store_file(
                request.files[part],
                kind,
                request.file_names.get(part),
                request.file_types.get(part),
            )
        if isinstance(value, str) and value and not value.startswith("attach://"):
            known = self._files.get(value)
            if known is not None:
                return known
            # An unknown file_id or an URL: accept it like Telegram would for a valid one.
            name = value.rsplit("/", 1)[-1] if value.startswith("http") else None
            return self._store_file(b"", kind, name, None, file_id=value)
        raise _ApiError(400, f"Bad Request: there is no {field_name} in the request")

    def _media_content(self, kind: str, stored: _StoredFile, spec: JSONDict) -> JSONDict:
        """The message content fields for a file of ``kind`` (photo, document, audio, ...)."""
        base: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if kind == "photo":
            width, height = _image_size(stored.data)
            small_id = stored.file_id + "-thumb"
            if small_id not in self._files:
                self._files[small_id] = _StoredFile(
                    small_id,
                    stored.file_unique_id + "t",
                    stored.data,
                    stored.file_path,
                    stored.file_name,
                    stored.mime_type,
                )
            return {
                "photo": [
                    {
                        **base,
                        "file_id": small_id,
                        "file_unique_id": stored.file_unique_id + "t",
                        "width": max(1, width // 4),
                        "height": max(1, height // 4),
                    },
                    {**base, "width": width, "height": height},
                ]
            }
        duration = spec.get("duration") if isinstance(spec.get("duration"), int) else 1
        named = dict(base)
        if stored.file_name:
            named["file_name"] = stored.file_name
        if stored.mime_type:
            named["mime_type"] = stored.mime_type
        if kind == "document":
            return {"document": named}
        if kind == "audio":
            return {"audio": {**named, "duration": duration}}
        if kind in ("video", "animation"):
            size = {"width": 640, "height": 360}
            size.update({k: v for k in size if isinstance(v := spec.get(k), int)})
            return {kind: {**named, **size, "duration": duration}}
        if kind == "voice":
            return {"voice": {**base, "duration": duration}}
        if kind == "video_note":
            return {"video_note": {**base, "length": 240, "duration": duration}}
        if kind == "sticker":
            return {
                "sticker": {
                    **base,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        return {"document": named}

    def _stored_message(self, params: JSONDict) -> tuple[tuple[int, int], JSONDict] | None:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if isinstance(chat_id, str):
            chat_id = self._chat_for(chat_id)["id"]
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            if "inline_message_id" in params:
                return None
            raise _ApiError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        if key in self._deleted:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message = self._messages.get(key)
        if message is None:  # a message sent before the fake started: treat as the bot's
            message = {
                "message_id": message_id,
                "from": self._bot_user(),
                "chat": self._chat_for(chat_id),
                "date": int(time.time()),
            }
        elif message.get("from", {}).get("id") != self.bot_id:
            raise _ApiError(400, "Bad Request: message can't be edited")
        return key, message

    def _apply_edit(self, params: JSONDict, changes: JSONDict) -> Any:
        """Shared edit logic: "not modified" check, markup replacement, edit_date."""
        found = self._stored_message(params)
        markup = self._inline_markup(params)
        if found is None:
            return True  # inline messages: Telegram answers True
        key, message = found
        media = ("photo", "document", "audio", "video", "animation", "voice", "sticker")
        if "text" in changes and any(k in message for k in media):
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        if "caption" in changes and "text" in message and "photo" not in changes:
            raise _ApiError(400, "Bad Request: there is no caption in the message to edit")
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
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        edited["edit_date"] = int(time.time())
        self._messages[key] = edited
        return edited

    @staticmethod
    def _language_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    # ------------------------------------------------------------------ methods
    def _build_handlers(self) -> dict[str, Callable[[_Request], Any]]:
        handlers: dict[str, Callable[[_Request], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendmediagroup": self._send_media_group,
            "sendlocation": self._send_location,
            "sendvenue": self._send_venue,
            "sendcontact": self._send_contact,
            "senddice": self._send_dice,
            "sendpoll": self._send_poll,
            "forwardmessage": self._forward_message,
            "copymessage": self._copy_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagemedia": self._edit_message_media,
            "deletemessage": self._delete_message,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
            "getchatmembercount": self._get_chat_member_count,
            "getchatadministrators": lambda r: [],
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
        }
        for kind in (
            "photo",
            "document",
            "audio",
            "video",
            "animation",
            "voice",
            "video_note",
            "sticker",
        ):
            method = "send" + kind.replace("_", " ").title().replace(" ", "")
            handlers[method.lower()] = self._make_send_file(kind)
        for name, attr in (
            ("name", "name"),
            ("description", "description"),
            ("shortdescription", "short_description"),
        ):
            handlers[f"setmy{name}"] = self._make_set_bot_text(attr)
            handlers[f"getmy{name}"] = self._make_get_bot_text(attr)
        return handlers

    def _get_me(self, request: _Request) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, request: _Request) -> list[JSONDict]:
        if self._webhook_url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        params = request.params
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._pending = self._pending[offset:]
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        try:
            wait = min(float(params.get("timeout") or 0), self.long_poll_cap)
        except (TypeError, ValueError):
            wait = 0.0
        if wait > 0 and not self._pending:
            request.recorded = Call(request.method, request.params, {}, time.time())
            self._calls.append(request.recorded)
            self._cond.notify_all()
            self._cond.wait_for(lambda: bool(self._pending) or self._stopping, timeout=wait)
        return list(self._pending[:limit])

    def _set_webhook(self, request: _Request) -> bool:
        self._webhook_url = str(request.params.get("url") or "")
        if request.params.get("drop_pending_updates") is True:
            self._pending.clear()
        return True

    def _delete_webhook(self, request: _Request) -> bool:
        self._webhook_url = ""
        if request.params.get("drop_pending_updates") is True:
            self._pending.clear()
        return True

    def _get_webhook_info(self, request: _Request) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _send_message(self, request: _Request) -> JSONDict:
        params = request.params
        content: JSONDict = {"text": self._checked_text(params)}
        if isinstance(params.get("entities"), list):
            content["entities"] = params["entities"]
        return self._new_message(params, content)

    def _make_send_file(self, kind: str) -> Callable[[_Request], JSONDict]:
        def send(request: _Request) -> JSONDict:
            params = request.params
            caption = self._checked_caption(params)
            self._chat_for(params.get("chat_id"))  # fail on a bad chat before storing the file
            self._inline_markup(params)
            stored = self._resolve_file(request, kind, params.get(kind), kind)
            content = self._media_content(kind, stored, params)
            if caption is not None and kind not in ("sticker", "video_note"):
                content["caption"] = caption
            return self._new_message(params, content)

        return send

    def _send_media_group(self, request: _Request) -> list[JSONDict]:
        media = request.params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _ApiError(400, "Bad Request: wrong number of media specified")
        group_id = str(next(self._file_ids) * 1_000_003)
        messages = []
        for item in media:
            kind = str(item.get("type", "document"))
            stored = self._resolve_file(request, "media", item.get("media"), kind)
            content = self._media_content(kind, stored, item)
            caption = self._checked_caption(item)
            if caption is not None:
                content["caption"] = caption
            content["media_group_id"] = group_id
            messages.append(
                self._new_message(
                    {k: v for k, v in request.params.items() if k != "reply_markup"}, content
                )
            )
        return messages

    def _send_location(self, request: _Request) -> JSONDict:
        params = request.params
        location = {
            "latitude": float(params.get("latitude", 0)),
            "longitude": float(params.get("longitude", 0)),
        }
        return self._new_message(params, {"location": location})

    def _send_venue(self, request: _Request) -> JSONDict:
        params = request.params
        location = {
            "latitude": float(params.get("latitude", 0)),
            "longitude": float(params.get("longitude", 0)),
        }
        venue = {
            "location": location,
            "title": params.get("title", ""),
            "address": params.get("address", ""),
        }
        return self._new_message(params, {"venue": venue, "location": location})

    def _send_contact(self, request: _Request) -> JSONDict:
        params = request.params
        contact = {
            "phone_number": params.get("phone_number", ""),
            "first_name": params.get("first_name", ""),
        }
        return self._new_message(params, {"contact": contact})

    def _send_dice(self, request: _Request) -> JSONDict:
        emoji = request.params.get("emoji") or "🎲"
        return self._new_message(request.params, {"dice": {"emoji": emoji, "value": 4}})

    def _send_poll(self, request: _Request) -> JSONDict:
        params = request.params
        # persistent_id / allows_revoting / members_only are required by newer PTB releases
        # (Bot API 9.6+); older releases keep unknown keys in api_kwargs, so always send them.
        options = [
            {
                "text": o.get("text", "") if isinstance(o, dict) else str(o),
                "voter_count": 0,
                "persistent_id": str(i),
            }
            for i, o in enumerate(params.get("options") or [])
        ]
        poll = {
            "id": str(next(self._callback_ids)),
            "question": params.get("question", ""),
            "options": options,
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed", False)),
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": bool(params.get("allows_revoting", False)),
            "members_only": bool(params.get("members_only", False)),
        }
        return self._new_message(params, {"poll": poll})

    def _source_content(self, params: JSONDict) -> JSONDict:
        from_chat = params.get("from_chat_id")
        source = self._messages.get((from_chat, params.get("message_id")))  # type: ignore[arg-type]
        if source is None:
            raise _ApiError(400, "Bad Request: message to copy not found")
        skip = {
            "message_id",
            "from",
            "chat",
            "date",
            "reply_to_message",
            "edit_date",
            "reply_markup",
        }
        return {k: v for k, v in source.items() if k not in skip}

    def _forward_message(self, request: _Request) -> JSONDict:
        content = self._source_content(request.params)
        origin = self._messages[(request.params["from_chat_id"], request.params["message_id"])]
        content["forward_origin"] = {
            "type": "user",
            "date": origin["date"],
            "sender_user": origin.get("from", self._bot_user()),
        }
        return self._new_message(request.params, content)

    def _copy_message(self, request: _Request) -> JSONDict:
        content = self._source_content(request.params)
        if "caption" in request.params:
            content["caption"] = self._checked_caption(request.params)
        message = self._new_message(request.params, content)
        return {"message_id": message["message_id"]}

    def _edit_message_text(self, request: _Request) -> Any:
        params = request.params
        entities = params.get("entities") if isinstance(params.get("entities"), list) else None
        return self._apply_edit(params, {"text": self._checked_text(params), "entities": entities})

    def _edit_message_caption(self, request: _Request) -> Any:
        params = request.params
        entities = params.get("caption_entities")
        return self._apply_edit(
            params,
            {
                "caption": self._checked_caption(params),
                "caption_entities": entities if isinstance(entities, list) else None,
            },
        )

    def _edit_message_reply_markup(self, request: _Request) -> Any:
        return self._apply_edit(request.params, {})

    def _edit_message_media(self, request: _Request) -> Any:
        media = request.params.get("media")
        if not isinstance(media, dict):
            raise _ApiError(400, "Bad Request: there is no media in the request")
        kind = str(media.get("type", "document"))
        stored = self._resolve_file(request, "media", media.get("media"), kind)
        changes: JSONDict = dict.fromkeys(
            ("photo", "document", "audio", "video", "animation", "caption"), None
        )
        changes.update(self._media_content(kind, stored, media))
        changes["caption"] = self._checked_caption(media)
        return self._apply_edit(request.params, changes)

    def _delete_message(self, request: _Request) -> bool:
        chat_id, message_id = request.params.get("chat_id"), request.params.get("message_id")
        key = (chat_id, message_id)
        if key in self._deleted:
            raise _ApiError(400, "Bad Request: message to delete not found")
        self._messages.pop(key, None)  # type: ignore[arg-type]
        self._deleted.add(key)  # type: ignore[arg-type]
        return True

    def _get_file(self, request: _Request) -> JSONDict:
        stored = self._files.get(str(request.params.get("file_id")))
        if stored is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def _get_chat(self, request: _Request) -> JSONDict:
        chat = self._chat_for(request.params.get("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, request: _Request) -> JSONDict:
        user_id = request.params.get("user_id")
        if user_id == self.bot_id:
            user = self._bot_user()
        else:
            user = self._users.get(user_id) or {  # type: ignore[arg-type]
                "id": user_id,
                "is_bot": False,
                "first_name": "Test",
            }
        return {"status": "member", "user": user}

    def _get_chat_member_count(self, request: _Request) -> int:
        chat = self._chat_for(request.params.get("chat_id"))
        return 2 if chat["type"] == "private" else 10

    def _set_my_commands(self, request: _Request) -> bool:
        commands = request.params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: can't parse commands JSON object")
        self._commands[self._language_key(request.params)] = commands
        return True

    def _delete_my_commands(self, request: _Request) -> bool:
        self._commands.pop(self._language_key(request.params), None)
        return True

    def _get_my_commands(self, request: _Request) -> list[JSONDict]:
        return list(self._commands.get(self._language_key(request.params), []))

    def _set_chat_menu_button(self, request: _Request) -> bool:
        chat_id = request.params.get("chat_id")
        button = request.params.get("menu_button") or {"type": "default"}
        self._menu_buttons[chat_id if isinstance(chat_id, int) else None] = button
        return True

    def _get_chat_menu_button(self, request: _Request) -> JSONDict:
        chat_id = request.params.get("chat_id")
        key = chat_id if isinstance(chat_id, int) else None
        return self._menu_buttons.get(key) or self._menu_buttons.get(None) or {"type": "default"}

    def _make_set_bot_text(self, attr: str) -> Callable[[_Request], bool]:
        def setter(request: _Request) -> bool:
            lang = str(request.params.get("language_code") or "")
            self._bot_texts[(attr, lang)] = str(request.params.get(attr) or "")
            return True

        return setter

    def _make_get_bot_text(self, attr: str) -> Callable[[_Request], JSONDict]:
        def getter(request: _Request) -> JSONDict:
            lang = str(request.params.get("language_code") or "")
            value = self._bot_texts.get((attr, lang), self._bot_texts.get((attr, ""), ""))
            if attr == "name" and not value:
                value = self.bot_first_name
            return {attr: value}

        return getter
