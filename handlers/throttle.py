"""One chat never stalls the others: Telegram's flood limits per chat, and updates handled
concurrently but in order per chat.

**Outgoing** (`ChatThrottle`, the bot's rate limiter).

PTB's `AIORateLimiter` stops *every* request for as long as one 429 ("Too Many Requests:
retry after N") says, so a single flooded chat made everybody wait. `ChatThrottle` keeps a
"not before" time per chat instead:

- a request to a chat Telegram throttled waits until that chat's time, and only that request;
  every other chat goes on;
- a wait longer than the caller's patience (`MAX_WAIT`, 60 s, for replies; less inside
  `waiting_at_most`, which the reminder pass uses) is not waited for: the request raises
  `RetryAfter` with the remaining seconds at once, so the caller can record it and retry later;
- a 429 is retried at most `max_retries` times;
- each throttled chat is logged once (per throttling) with the wait.

The flood limits themselves are kept: at most 30 messages in any second overall, one a second
per private chat (3 in any 3 s, so a reply with a file is not held back) and 20 in any minute
per group — sliding windows, stricter than PTB's leaky buckets (which let twice the rate
through in the first period). Slots are reserved first come, first served, which also makes
them exact under the fake clock of the tests.

**Incoming** (`ChatOrder`, the application's update processor): updates of different chats
are handled at the same time, each chat's one after the other, in Telegram's order (a
chat's dialog state is in the database, so two quick messages must not overtake each other).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import math
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

logger = logging.getLogger(__name__)

MAX_WAIT = 60.0  # longer 429 waits are refused at once (the reminder pass keeps its rows)
MAX_RETRIES = 3
GRACE = 1.0  # a wait of exactly the patience still counts as within it (whole seconds)
# (messages, in any so many seconds): Telegram's ~30 messages a second overall, one a second
# per private chat (a short burst allowed: a reply, its file and a notice) and 20 a minute
# per group
OVERALL_RATE = (30, 1.0)
PRIVATE_RATE = (3, 3.0)
GROUP_RATE = (20, 60.0)
KEEP_IDLE = 1024  # forget idle chats once this many are remembered
CONCURRENT_UPDATES = 16  # updates being handled at once (each chat's one after the other)
# PTB's own bound counts updates that wait for their chat too; one busy chat would use it up
WAITING_UPDATES = 1_000_000

_patience: ContextVar[float] = ContextVar("throttle_patience", default=MAX_WAIT)

Result = bool | dict[str, Any] | list[dict[str, Any]]


@contextlib.contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Within this block, Bot API calls wait at most `seconds` for a throttled chat; a longer
    wait raises `RetryAfter` at once (for senders that retry later, like the reminder pass)."""
    token = _patience.set(min(seconds, _patience.get()))
    try:
        yield
    finally:
        _patience.reset(token)


def retry_seconds(exc: RetryAfter) -> float:
    """The wait a `RetryAfter` asks for, in seconds (PTB 22 warns about reading it as int)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def too_many_requests(seconds: float) -> RetryAfter:
    """A `RetryAfter` like Telegram's (PTB 22 warns while building one from a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return RetryAfter(timedelta(seconds=seconds))


class Window:
    """At most `count` acquisitions in any `period` seconds (a sliding window).

    Each `reserve` takes the next free slot and says how long to wait for it, so waiting
    callers are served in the order they came; a cancelled wait only wastes its slot.
    """

    def __init__(self, count: int, period: float) -> None:
        self.period = period
        self.slots: deque[float] = deque(maxlen=count)  # the last `count` slots, in order

    def reserve(self, now: float) -> float:
        """Take the next slot; the seconds until it may be used (0: now)."""
        slot = now
        if len(self.slots) == self.slots.maxlen:
            slot = max(now, self.slots[0] + self.period)
        self.slots.append(slot)
        return slot - now

    def idle(self, now: float) -> bool:
        """No slot counts any more: a new window would behave the same."""
        return not self.slots or self.slots[-1] + self.period <= now


def chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a request goes to (an int id, or "@channel"), None for chat-less calls."""
    chat = data.get("chat_id")
    if chat is None or isinstance(chat, int):
        return chat
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)
    return str(chat)


def posts_message(endpoint: str) -> bool:
    """Does this method put a new message into the chat (what the per-chat limits count)?"""
    name = endpoint.lower()
    return (name.startswith("send") and name != "sendchataction") or name in (
        "copymessage", "copymessages", "forwardmessage", "forwardmessages")


class ChatThrottle(BaseRateLimiter[None]):
    """The bot's rate limiter: flood limits kept, a 429 holds back only the chat it names."""

    def __init__(self, *, max_wait: float = MAX_WAIT, max_retries: int = MAX_RETRIES,
                 overall: tuple[int, float] = OVERALL_RATE,
                 private: tuple[int, float] = PRIVATE_RATE,
                 group: tuple[int, float] = GROUP_RATE,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.max_wait, self.max_retries = max_wait, max_retries
        self.clock, self.sleep = clock, sleep
        self._private, self._group = private, group
        self._overall = Window(*overall)
        self._windows: dict[int | str, Window] = {}
        self._not_before: dict[int | str, float] = {}  # chat (or chat-less method) -> time

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def blocked_for(self, key: int | str) -> float:
        """Seconds until Telegram lets us message `key` again (0: now)."""
        return max(0.0, self._not_before.get(key, 0.0) - self.clock())

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, Result]], args: Any,
        kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        """Wait for the request's own chat only, keep the flood limits, retry a 429 a few times."""
        chat = chat_of(data)
        key: int | str = chat if chat is not None else endpoint
        deadline = self.clock() + min(_patience.get(), self.max_wait) + GRACE
        for attempt in range(self.max_retries + 1):
            await self._until_free(key, deadline)
            if chat is not None:
                await self._pace(chat, endpoint)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                refused = self.clock() + wait > deadline or attempt == self.max_retries
                self._hold(key, wait, refused)
                if refused:
                    raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _until_free(self, key: int | str, deadline: float) -> None:
        """Sleep until `key` may be messaged; raise RetryAfter if that is past `deadline`."""
        while (until := self._not_before.get(key, 0.0)) > (now := self.clock()):
            if until > deadline:
                raise too_many_requests(math.ceil(until - now))
            await self.sleep(until - now)

    async def _pace(self, chat: int | str, endpoint: str) -> None:
        """Take a slot of the chat's window (new messages only), then of the overall one."""
        now = self.clock()
        wait = 0.0
        if posts_message(endpoint):
            window = self._windows.get(chat)
            if window is None:
                self._forget_idle(now)
                private = isinstance(chat, int) and chat > 0
                window = self._windows[chat] = Window(*(self._private if private
                                                        else self._group))
            wait = window.reserve(now)
        if wait > 0:
            await self.sleep(wait)
            now = self.clock()
        wait = self._overall.reserve(now)
        if wait > 0:
            await self.sleep(wait)

    def _hold(self, key: int | str, wait: float, refused: bool) -> None:
        """Remember Telegram's "not before" for `key`; log it once per throttling."""
        now = self.clock()
        already = self._not_before.get(key, 0.0) > now
        self._not_before[key] = max(self._not_before.get(key, 0.0), now + wait)
        if already:
            logger.debug("Chat %s still throttled: %.0f s", key, wait)
        elif refused:
            logger.warning("Telegram asks to wait %.0f s before messaging chat %s: the "
                           "message is not sent now (longer than the bot waits, or retried "
                           "too often); other chats are not affected", wait, key)
        else:
            logger.warning("Telegram asks to wait %.0f s before messaging chat %s: only "
                           "that chat waits", wait, key)

    def _forget_idle(self, now: float) -> None:
        """Drop windows and holds that no longer matter, once there are many of them."""
        if len(self._windows) >= KEEP_IDLE:
            for chat in [c for c, w in self._windows.items() if w.idle(now)]:
                del self._windows[chat]
        if len(self._not_before) >= KEEP_IDLE:
            for key in [k for k, t in self._not_before.items() if t <= now]:
                del self._not_before[key]


@dataclass
class _Turns:
    """One chat's queue: its lock and how many of its updates hold or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ChatOrder(BaseUpdateProcessor):
    """Handle updates of different chats concurrently, each chat's updates in order.

    An update first waits for its chat's turn (asyncio's lock is first come, first served,
    and the updates arrive in Telegram's order), then for one of `slots` places. Updates
    waiting for their turn hold no place: a chat stuck behind a 429 takes one place, however
    many of its messages queue up. PTB's own semaphore is taken before the chat's turn,
    hence it is set so high that it never waits (`WAITING_UPDATES`).
    """

    def __init__(self, slots: int = CONCURRENT_UPDATES) -> None:
        super().__init__(WAITING_UPDATES)
        self.slots = slots
        self._places = asyncio.BoundedSemaphore(slots)
        self._turns: dict[Hashable, _Turns] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update when its chat's earlier updates are done and a place is free."""
        key = chat_key(update)
        if key is None:
            async with self._places:
                await coroutine
            return
        turns = self._turns.setdefault(key, _Turns())
        turns.users += 1
        started = False
        try:
            async with turns.lock, self._places:
                started = True
                await coroutine
        finally:
            turns.users -= 1
            if turns.users == 0:
                del self._turns[key]
            if not started and inspect.iscoroutine(coroutine):  # cancelled while waiting
                coroutine.close()


def chat_key(update: object) -> Hashable | None:
    """What an update is ordered by: its chat (else its user); None for other objects."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None
