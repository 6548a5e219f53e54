"""Sending to someone outside the current conversation (reminders, notices), neutrally.

A job or feature that must reach a person gets a `Sender` from the transport (Telegram's
in the bot, a recording fake in tests) and learns from `SendResult` what happened, so that
the database can record it: accepted, blocked by the user, slow down, or another error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.reply import Reply


@dataclass(frozen=True)
class SendResult:
    """What the messenger said about one message."""

    ok: bool
    unreachable: bool = False  # blocked the bot, or never started it
    retry_after: float | None = None  # seconds the messenger asked us to wait
    error: str | None = None
    halt: bool = False  # the messenger refuses us altogether (revoked token): stop, keep all


class Sender(Protocol):
    """Delivers one message to one private chat."""

    async def send(self, chat_id: int, reply: Reply) -> SendResult: ...
