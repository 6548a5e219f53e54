"""The neutral reply every feature returns: text plus choices, rendered by each transport.

Text is Telegram-flavoured HTML (only <b>, <i>, <code>) in which every piece of user
input has been escaped with `html.escape`; the console strips the tags again.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")


@dataclass(frozen=True)
class Choice:
    """A button: the label shown and the `feature:action:id` data sent back when pressed,
    or a link (`url`) that opens instead, e.g. the private chat with the bot."""

    label: str
    data: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if bool(self.data) == bool(self.url):
            raise ValueError(f"button {self.label!r} needs either data or a url")
        if len(self.data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data {self.data!r} is longer than 64 bytes")


@dataclass(frozen=True)
class Attachment:
    """A file sent with the reply (a chart as photo, an export as document)."""

    filename: str
    content: bytes
    kind: str = "document"  # "photo" or "document"


@dataclass(frozen=True)
class Reply:
    """What a feature says back: HTML text, rows of choices, optional files."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    edit: bool = False  # a button press: replace the pressed message instead of sending anew
    notice: str = ""  # short text for answerCallbackQuery (a toast), plain text
    notice_only: bool = False  # a refused or stale button: show the notice, change nothing
    extra: tuple[Outgoing, ...] = field(default=())  # messages to other chats
    # people whose role or language this reply changed: the transport refreshes their
    # command menus (the person who wrote is checked anyway)
    menus: tuple[int, ...] = ()

    @property
    def flat_choices(self) -> list[Choice]:
        return [choice for row in self.choices for choice in row]


def refused_press(text: str) -> Reply:
    """The answer to a forged, stale or forbidden button press: a notice and nothing else."""
    return Reply(text, notice=text[:200], notice_only=True)


@dataclass(frozen=True)
class Outgoing:
    """A message for another user's private chat (e.g. a manager notification)."""

    chat_id: int
    reply: Reply


def rows(choices: list[Choice], per_row: int = 1) -> tuple[tuple[Choice, ...], ...]:
    """Lay out choices in rows of `per_row` buttons."""
    return tuple(tuple(choices[i : i + per_row]) for i in range(0, len(choices), per_row))


def to_plain_text(text: str) -> str:
    """Render the reply's Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))
