"""Telegram-like checks on what the bot sends: HTML and MarkdownV2 markup, text and caption
lengths, and inline-button ``callback_data``.  Every failure is the 400 Telegram would answer.

These are plain functions of the request parameters; they never touch the fake's state.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tests.fakebot.models import ApiError, JSONDict

# Limits Telegram enforces; reproduced so the bot cannot pass tests with messages that production
# would reject.
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

# fmt: off
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
            raise ApiError(
                400,
                "Bad Request: can't parse entities: Unsupported start tag "
                f'"{name.group(0) if name else ""}" at byte offset {offset}',
            )
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported {kind} tag "{tag}" '
                f"at byte offset {offset}",
            )
        if closing:
            if not stack or stack[-1] != tag:
                raise ApiError(
                    400,
                    f"Bad Request: can't parse entities: Unmatched end tag at byte offset "
                    f'{offset}, expected "</{stack[-1] if stack else ""}>", found "</{tag}>"',
                )
            stack.pop()
        else:
            stack.append(tag)
        pos = match.end()
    if stack:
        raise ApiError(
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
                raise ApiError(
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
            raise ApiError(
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


def inline_markup(params: JSONDict) -> JSONDict | None:
    """The inline keyboard to echo back (Telegram never echoes reply keyboards)."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def checked_text(params: JSONDict, key: str = "text") -> str:
    """The visible message text of ``params[key]``: markup valid, not empty, not too long."""
    text = params.get(key)
    visible = _visible_text(text, params.get("parse_mode")) if isinstance(text, str) else ""
    if not visible.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(visible) > MAX_MESSAGE_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return visible


def checked_caption(params: JSONDict) -> str | None:
    """The visible caption (None if there is none); markup valid and not too long."""
    caption = params.get("caption")
    if not isinstance(caption, str) or caption == "":
        return None
    visible = _visible_text(caption, params.get("parse_mode"))
    if len(visible) > MAX_CAPTION_LENGTH:
        raise ApiError(400, "Bad Request: message caption is too long")
    return visible
