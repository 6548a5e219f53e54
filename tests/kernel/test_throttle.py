"""The rate limiter and the update order, without Telegram: a 429 holds back only its chat,
long waits are refused at once, the flood limits hold, and each chat's updates stay in order.

The flood-limit tests run on a fake clock (its sleep moves time on); the tests about chats
waiting for each other use real, short waits, since they are about concurrency.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Chat, Message, Update, User
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from core.reply import Reply
from handlers.render import SENDER_PATIENCE, TelegramSender
from handlers.throttle import (
    ChatOrder,
    ChatThrottle,
    Window,
    retry_seconds,
    too_many_requests,
    waiting_at_most,
)

CHAT_A, CHAT_B, GROUP = 101, 202, -100_303


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class FakeTelegram:
    """The Bot API behind the limiter: records each call, answers from a per-chat script."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.calls: list[tuple[int | str | None, float]] = []
        self.script: dict[int | str | None, list[BaseException]] = {}

    def fail(self, chat: int | str | None, seconds: float, times: int = 1) -> None:
        self.script.setdefault(chat, []).extend(
            too_many_requests(seconds) for _ in range(times))

    def callback(self, chat: int | str | None) -> Callable[..., Coroutine[Any, Any, bool]]:
        async def call() -> bool:
            self.calls.append((chat, self.clock()))
            queued = self.script.get(chat)
            if queued:
                raise queued.pop(0)
            return True
        return call

    def count(self, chat: int | str | None) -> int:
        return sum(1 for c, _ in self.calls if c == chat)


async def send(throttle: ChatThrottle, telegram: FakeTelegram, chat: int | str | None,
               endpoint: str = "sendMessage") -> Any:
    data = {"chat_id": chat, "text": "hi"} if chat is not None else {"text": "hi"}
    return await throttle.process_request(telegram.callback(chat), (), {}, endpoint, data,
                                          None)


def real_throttle() -> ChatThrottle:
    return ChatThrottle(private=(100, 1.0))  # the per-chat window is not what these test


# ------------------------------------------------------------------------- one chat waits


def test_a_429_for_one_chat_does_not_delay_another_chat() -> None:
    async def scenario() -> dict[str, float]:
        throttle, telegram = real_throttle(), FakeTelegram()
        telegram.fail(CHAT_A, 0.6)
        started = time.monotonic()
        done: dict[str, float] = {}

        async def timed(name: str, chat: int) -> None:
            await send(throttle, telegram, chat)
            done[name] = time.monotonic() - started

        first = asyncio.create_task(timed("a", CHAT_A))
        await asyncio.sleep(0.05)  # A has had its 429 and waits
        await timed("b", CHAT_B)
        await first
        return done

    done = asyncio.run(scenario())
    assert done["b"] < 0.3, f"chat B waited for chat A's throttling: {done}"
    assert done["a"] >= 0.6, f"chat A did not wait as Telegram asked: {done}"


def test_ptb_aioratelimiter_makes_every_chat_wait_which_is_why_we_replaced_it() -> None:
    async def scenario() -> float:
        limiter, telegram = AIORateLimiter(max_retries=1), FakeTelegram()
        telegram.fail(CHAT_A, 0.6)
        first = asyncio.create_task(limiter.process_request(
            telegram.callback(CHAT_A), (), {}, "sendMessage", {"chat_id": CHAT_A}, None))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await limiter.process_request(telegram.callback(CHAT_B), (), {}, "sendMessage",
                                      {"chat_id": CHAT_B}, None)
        waited = time.monotonic() - started
        await first
        return waited

    assert asyncio.run(scenario()) >= 0.4


def test_later_messages_to_a_throttled_chat_wait_without_asking_telegram_again() -> None:
    async def scenario() -> FakeTelegram:
        throttle, telegram = real_throttle(), FakeTelegram()
        telegram.fail(CHAT_A, 0.5)
        first = asyncio.create_task(send(throttle, telegram, CHAT_A))
        await asyncio.sleep(0.05)
        assert throttle.blocked_for(CHAT_A) > 0.3
        await asyncio.gather(first, send(throttle, telegram, CHAT_A))
        return telegram

    telegram = asyncio.run(scenario())
    times = [at for chat, at in telegram.calls if chat == CHAT_A]
    assert len(times) == 3, "one 429, then both messages once each"
    assert times[1] - times[0] >= 0.5 and times[2] - times[0] >= 0.5


def test_a_wait_beyond_the_cap_raises_at_once_and_holds_only_that_chat() -> None:
    async def scenario() -> tuple[FakeTime, FakeTelegram, ChatThrottle]:
        fake = FakeTime()
        throttle = ChatThrottle(max_wait=60, clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        telegram.fail(CHAT_A, 120)
        with pytest.raises(RetryAfter) as first:
            await send(throttle, telegram, CHAT_A)
        assert retry_seconds(first.value) == 120
        with pytest.raises(RetryAfter) as again:  # refused without asking Telegram
            await send(throttle, telegram, CHAT_A)
        assert 119 <= retry_seconds(again.value) <= 120
        assert await send(throttle, telegram, CHAT_B) is True
        return fake, telegram, throttle

    fake, telegram, throttle = asyncio.run(scenario())
    assert telegram.count(CHAT_A) == 1 and telegram.count(CHAT_B) == 1
    assert fake.sleeps == [], "nobody waited for the throttled chat"
    assert throttle.blocked_for(CHAT_B) == 0


def test_a_sender_with_little_patience_gets_the_429_back_at_once() -> None:
    async def scenario() -> tuple[FakeTime, FakeTelegram]:
        fake = FakeTime()
        throttle = ChatThrottle(clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        telegram.fail(CHAT_A, 30)
        with waiting_at_most(2), pytest.raises(RetryAfter):
            await send(throttle, telegram, CHAT_A)
        telegram.fail(CHAT_B, 1)  # a short one is still waited for and retried
        with waiting_at_most(2):
            assert await send(throttle, telegram, CHAT_B) is True
        return fake, telegram

    fake, telegram = asyncio.run(scenario())
    assert telegram.count(CHAT_A) == 1
    assert telegram.count(CHAT_B) == 2 and fake.sleeps == [1.0]


def test_retries_are_bounded() -> None:
    async def scenario() -> FakeTelegram:
        fake = FakeTime()
        throttle = ChatThrottle(max_retries=2, clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        telegram.fail(CHAT_A, 1, times=10)
        with pytest.raises(RetryAfter):
            await send(throttle, telegram, CHAT_A)
        return telegram

    assert asyncio.run(scenario()).count(CHAT_A) == 3


def test_each_throttled_chat_is_logged_once_with_the_wait(caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    async def scenario() -> None:
        fake = FakeTime()
        throttle = ChatThrottle(clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        telegram.fail(CHAT_A, 90)
        for _ in range(3):
            with pytest.raises(RetryAfter):
                await send(throttle, telegram, CHAT_A)

    with caplog.at_level(logging.WARNING, logger="handlers.throttle"):
        asyncio.run(scenario())
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "90 s" in lines[0] and str(CHAT_A) in lines[0], lines


# ------------------------------------------------------------------------- flood limits


def _most_in_any(times: list[float], period: float) -> int:
    return max(sum(1 for u in times if t <= u < t + period - 1e-9) for t in times)


def test_at_most_30_messages_in_any_second_overall() -> None:
    async def scenario() -> list[float]:
        fake = FakeTime()
        throttle = ChatThrottle(clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        for chat in range(1, 101):
            await send(throttle, telegram, chat)
        return [at for _, at in telegram.calls]

    times = asyncio.run(scenario())
    assert _most_in_any(times, 1.0) == 30
    assert times[-1] - times[0] < 3.5, "and not slower than that"


def test_private_chats_get_one_message_a_second_groups_twenty_a_minute() -> None:
    async def scenario() -> tuple[list[float], list[float], list[float]]:
        fake = FakeTime()
        throttle = ChatThrottle(clock=fake.clock, sleep=fake.sleep)
        telegram = FakeTelegram(fake.clock)
        for _ in range(9):
            await send(throttle, telegram, CHAT_A)
        private = [at for chat, at in telegram.calls if chat == CHAT_A]
        for _ in range(25):
            await send(throttle, telegram, GROUP)
        group = [at for chat, at in telegram.calls if chat == GROUP]
        start = fake.now
        for _ in range(5):  # edits and answers are not new messages in the chat
            await send(throttle, telegram, CHAT_B, "editMessageText")
        edits = [at - start for chat, at in telegram.calls if chat == CHAT_B]
        return private, group, edits

    private, group, edits = asyncio.run(scenario())
    assert private[-1] - private[0] >= 6.0 and _most_in_any(private, 3.0) == 3
    assert _most_in_any(group, 60.0) == 20 and group[20] - group[0] >= 60.0
    assert edits == [0.0] * 5


def test_the_window_serves_waiting_callers_in_order() -> None:
    window = Window(2, 1.0)
    assert [window.reserve(0.0) for _ in range(5)] == [0.0, 0.0, 1.0, 1.0, 2.0]
    assert not window.idle(2.5) and window.idle(3.0)


# ------------------------------------------------------------------------- the reminder pass


class ThrottledBot:
    """Just enough of a Bot for TelegramSender: send_message through a ChatThrottle."""

    def __init__(self, throttle: ChatThrottle, telegram: FakeTelegram) -> None:
        self.throttle, self.telegram = throttle, telegram

    async def send_message(self, chat_id: int, *_args: Any, **_kwargs: Any) -> bool:
        return bool(await send(self.throttle, self.telegram, chat_id))


def test_the_reminder_sender_reports_a_long_429_instead_of_waiting() -> None:
    async def scenario() -> tuple[Any, Any, float]:
        throttle, telegram = real_throttle(), FakeTelegram()
        telegram.fail(CHAT_A, 30)
        sender = TelegramSender(ThrottledBot(throttle, telegram))  # type: ignore[arg-type]
        started = time.monotonic()
        throttled = await sender.send(CHAT_A, Reply("reminder"))
        other = await sender.send(CHAT_B, Reply("reminder"))
        return throttled, other, time.monotonic() - started

    throttled, other, seconds = asyncio.run(scenario())
    assert not throttled.ok and throttled.retry_after == 30, throttled
    assert other.ok and seconds < SENDER_PATIENCE


# ------------------------------------------------------------------------- update order


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Test", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


def test_each_chats_updates_run_in_order_and_chats_run_side_by_side() -> None:
    async def scenario() -> tuple[list[tuple[str, int, int]], float]:
        order = ChatOrder(slots=4)
        log: list[tuple[str, int, int]] = []
        release_a = asyncio.Event()

        async def handle(update: Update) -> None:
            chat = update.effective_chat.id if update.effective_chat else 0
            log.append(("start", chat, update.update_id))
            if chat == CHAT_A and update.update_id == 1:
                await release_a.wait()  # A's first update is slow (Telegram throttles A)
            await asyncio.sleep(0.01)
            log.append(("end", chat, update.update_id))

        updates = [_update(1, CHAT_A), _update(2, CHAT_A), _update(3, CHAT_A),
                   _update(4, CHAT_B), _update(5, CHAT_A), _update(6, CHAT_B)]
        tasks = [asyncio.create_task(order.process_update(u, handle(u))) for u in updates]
        started = time.monotonic()
        while ("end", CHAT_B, 6) not in log:
            await asyncio.sleep(0.005)
        b_done = time.monotonic() - started
        release_a.set()
        await asyncio.gather(*tasks)
        return log, b_done

    log, b_done = asyncio.run(scenario())
    a_events = [(kind, uid) for kind, chat, uid in log if chat == CHAT_A]
    assert a_events == [("start", 1), ("end", 1), ("start", 2), ("end", 2),
                        ("start", 3), ("end", 3), ("start", 5), ("end", 5)]
    assert b_done < 0.5, "chat B waited for chat A"


def test_a_chat_with_many_waiting_updates_takes_no_places_from_others() -> None:
    async def scenario() -> bool:
        order = ChatOrder(slots=2)
        stuck = asyncio.Event()
        b_ran = asyncio.Event()

        async def slow() -> None:
            await stuck.wait()

        async def quick() -> None:
            b_ran.set()

        tasks = [asyncio.create_task(order.process_update(_update(i, CHAT_A), slow()))
                 for i in range(1, 20)]
        tasks.append(asyncio.create_task(order.process_update(_update(99, CHAT_B), quick())))
        try:
            await asyncio.wait_for(b_ran.wait(), 1.0)
            return True
        except TimeoutError:
            return False
        finally:
            stuck.set()
            await asyncio.gather(*tasks)

    assert asyncio.run(scenario())
