"""The worker threads that do the core's database and matching work for the updates.

Not the event loop's default executor: the HTTP client resolves the address of every new
connection to the Bot API with `getaddrinfo` in that executor, so under a burst the replies
waited for a thread behind the very database work that produced them. A pool of its own keeps
the two apart; its size bounds how many updates touch the database at once (SQLite takes one
writer at a time anyway).

Calls go to the first thread ("lane") that is not stuck in a slow call, so a burst of quick
calls (an update's core work is about a millisecond) queues on one thread. Spread over four
threads they gained nothing — the interpreter runs one thread at a time — but every database
call handed the interpreter lock to another thread and back: in a 50-user burst
(bench/bench_throttle.py, TELEGRAM_MESSAGES_PER_SECOND=1000) 8-65 context switches an update
instead of 3-4, 2.6-3.4 instead of 2.4 ms of CPU, 295-337 instead of 368-374 updates a
second. When a call has run longer than `SPILL_AFTER` (a large /match, the start-up
warm-up), new calls go to the next lane and the ones queued behind it move there too, so a
slow call still holds up the other chats for that long at most.

That is for SQLite, whose work is this process's own CPU. A database server's round trips
are waits that other threads can use meanwhile, so with PostgreSQL the calls are spread over
the threads of one shared pool at once, as before (`for_database`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

WORKER_THREADS = 4
SPILL_AFTER = 0.05  # seconds a call may run before the calls behind it move to another lane

P = ParamSpec("P")
T = TypeVar("T")


class _Lane:
    """One worker thread with its queue, and since when it runs its current call."""

    def __init__(self, name: str) -> None:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix=name)
        self.queued = 0  # calls sent here and not yet settled (counted on the event loop)
        self.started = 0.0  # monotonic start of the running call; 0: none (set by the thread)

    def stuck(self, now: float, patience: float) -> bool:
        started = self.started
        return started != 0.0 and now - started > patience


class _Job:
    """A call that may be queued on more than one lane; the first lane to reach it runs it."""

    def __init__(self, call: Callable[[], Any], future: asyncio.Future[Any],
                 loop: asyncio.AbstractEventLoop) -> None:
        self.call, self.future, self.loop = call, future, loop
        self.lanes: list[_Lane] = []
        self._unclaimed = [True]  # list.pop is atomic: exactly one taker gets the True

    def claim(self) -> bool:
        try:
            return self._unclaimed.pop()
        except IndexError:
            return False

    @property
    def claimed(self) -> bool:
        return not self._unclaimed

    def run_on(self, lane: _Lane) -> None:
        """In `lane`'s thread: run the call unless another lane took it or it was abandoned."""
        if not self.claim():
            return
        lane.started = time.monotonic()
        try:
            result = self.call()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            self._settle(None, exc)
        else:
            self._settle(result, None)
        finally:
            lane.started = 0.0

    def _settle(self, result: Any, error: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody awaits it any more
            self.loop.call_soon_threadsafe(self._set, result, error)

    def release_lanes(self) -> None:
        """On the event loop: the job no longer counts against the lanes it was sent to."""
        for lane in self.lanes:
            lane.queued -= 1
        self.lanes.clear()

    def _set(self, result: Any, error: BaseException | None) -> None:
        self.release_lanes()
        if self.future.cancelled():
            return
        if error is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(result)


class Workers:
    """Worker threads for blocking core calls, awaited from the event loop: on lanes, or
    (`spread`) one pool whose threads all take calls at once."""

    def __init__(self, threads: int = WORKER_THREADS, *,
                 spill_after: float = SPILL_AFTER, spread: bool = False) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="core") if spread else None
        self._lanes = [] if spread else [_Lane(f"core-{n}") for n in range(threads)]
        self._spill_after = spill_after

    @classmethod
    def for_database(cls, dialect: str) -> Workers:
        """Lanes for SQLite (CPU in this process), one spread pool for a database server."""
        return cls(spread=dialect != "sqlite")

    async def run(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """`function(*args, **kwargs)` in a worker thread, with the caller's context vars
        (as `asyncio.to_thread`)."""
        loop = asyncio.get_running_loop()
        call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
        if self._pool is not None:
            return await loop.run_in_executor(self._pool, call)
        future: asyncio.Future[T] = loop.create_future()
        job = _Job(call, future, loop)
        lane = self._choose(time.monotonic())
        timer = (loop.call_later(self._spill_after, self._spill, job)
                 if lane.queued else None)  # an idle lane starts it at once
        self._send(job, lane)
        try:
            return await future
        except asyncio.CancelledError:
            if job.claim():  # not started yet: it never runs (as a cancelled executor call)
                job.release_lanes()
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def _choose(self, now: float, *, besides: list[_Lane] | None = None) -> _Lane:
        """The first lane not stuck in a slow call, else the least loaded one."""
        candidates = (self._lanes if besides is None
                      else [lane for lane in self._lanes if lane not in besides])
        for lane in candidates:
            if not lane.stuck(now, self._spill_after):
                return lane
        return min(candidates, key=lambda lane: lane.queued)

    def _send(self, job: _Job, lane: _Lane) -> None:
        lane.queued += 1
        job.lanes.append(lane)
        lane.pool.submit(job.run_on, lane)

    def _spill(self, job: _Job) -> None:
        """On the event loop, while a call waits: when the lane it waits on is stuck in a
        slow call, it goes to one more lane too. Behind quick calls it just waits its turn
        (moving it would only spread the burst over the threads again)."""
        if job.claimed or len(job.lanes) >= len(self._lanes):
            return
        now = time.monotonic()
        if job.lanes[-1].stuck(now, self._spill_after):
            self._send(job, self._choose(now, besides=job.lanes))
        if len(job.lanes) < len(self._lanes):
            job.loop.call_later(self._spill_after, self._spill, job)

    def shutdown(self) -> None:
        """Let running calls finish, then stop the threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for lane in self._lanes:
            lane.pool.shutdown(wait=True)
