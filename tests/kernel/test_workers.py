"""The core's worker threads are the application's own: busy workers never hold up what the
event loop's default executor does for the HTTP client (resolving the Bot API's address for a
new connection), so a burst of database work can't delay the replies it produces."""

from __future__ import annotations

import asyncio
import contextvars
import threading

from handlers.workers import Workers

who: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


def test_busy_workers_leave_the_default_executor_free() -> None:
    release = threading.Event()

    async def scenario() -> float:
        workers = Workers(threads=2)
        loop = asyncio.get_running_loop()
        blocked = [asyncio.ensure_future(workers.run(release.wait, 10)) for _ in range(8)]
        await asyncio.sleep(0.05)  # both worker threads are now waiting
        started = loop.time()
        await asyncio.wait_for(loop.run_in_executor(None, lambda: "resolved"), timeout=2)
        took = loop.time() - started
        release.set()
        assert all(await asyncio.gather(*blocked))
        workers.shutdown()
        return took

    assert asyncio.run(scenario()) < 1.0


def test_a_worker_call_sees_the_callers_context_and_returns_its_result() -> None:
    async def scenario() -> tuple[str, int]:
        workers = Workers(threads=1)
        who.set("chat 42")
        seen = await workers.run(who.get)
        total = await workers.run(sum, [1, 2, 3])
        workers.shutdown()
        return seen, total

    assert asyncio.run(scenario()) == ("chat 42", 6)


def test_a_burst_of_quick_calls_runs_on_one_thread() -> None:
    """Quick calls queue on the first thread instead of handing the interpreter lock around
    four threads (what cost a burst a quarter of its CPU)."""
    async def scenario() -> set[str]:
        workers = Workers(threads=4, spill_after=1.0)  # no call here waits that long
        names = await asyncio.gather(*(workers.run(lambda: threading.current_thread().name)
                                       for _ in range(50)))
        workers.shutdown()
        return set(names)

    assert len(asyncio.run(scenario())) == 1


def test_a_slow_call_does_not_hold_up_the_calls_behind_it() -> None:
    release = threading.Event()

    async def scenario() -> tuple[float, bool]:
        workers = Workers(threads=2, spill_after=0.02)
        loop = asyncio.get_running_loop()
        slow = asyncio.ensure_future(workers.run(release.wait, 10))
        await asyncio.sleep(0)  # the slow call is on its way to the first thread
        started = loop.time()
        queued_behind = await asyncio.wait_for(workers.run(lambda: 42), timeout=2)
        took = loop.time() - started
        still_waiting = not slow.done()
        release.set()
        assert await slow and queued_behind == 42
        workers.shutdown()
        return took, still_waiting

    took, still_waiting = asyncio.run(scenario())
    assert still_waiting and took < 1.0


def test_a_call_cancelled_while_it_waits_never_runs() -> None:
    release = threading.Event()
    ran: list[str] = []

    async def scenario() -> None:
        workers = Workers(threads=1)
        slow = asyncio.ensure_future(workers.run(release.wait, 10))
        waiting = asyncio.ensure_future(workers.run(ran.append, "ran"))
        await asyncio.sleep(0.05)
        waiting.cancel()
        await asyncio.sleep(0)
        release.set()
        await slow
        workers.shutdown()

    asyncio.run(scenario())
    assert ran == []


def test_an_error_in_a_call_reaches_the_caller() -> None:
    async def scenario() -> None:
        workers = Workers(threads=1)
        try:
            await workers.run(int, "not a number")
        finally:
            workers.shutdown()

    try:
        asyncio.run(scenario())
    except ValueError as exc:
        assert "not a number" in str(exc)
    else:
        raise AssertionError("the ValueError was not passed on")


def test_with_a_database_server_calls_are_spread_over_the_threads_at_once() -> None:
    """PostgreSQL's round trips are waits: two calls that wait run side by side at once,
    not one behind the other."""
    both = threading.Barrier(2, timeout=2)

    async def scenario() -> list[int]:
        workers = Workers.for_database("postgresql")
        try:
            return list(await asyncio.gather(workers.run(both.wait), workers.run(both.wait)))
        finally:
            workers.shutdown()

    assert sorted(asyncio.run(scenario())) == [0, 1]


def test_sqlite_gets_the_lanes() -> None:
    """Threads of their own, one a lane (a pool's threads are core_0, core_1, ...)."""
    async def scenario() -> set[str]:
        workers = Workers.for_database("sqlite")
        names = await asyncio.gather(*(workers.run(lambda: threading.current_thread().name)
                                       for _ in range(20)))
        workers.shutdown()
        return set(names)

    names = asyncio.run(scenario())
    assert names and all(name.startswith("core-") and name.endswith("_0") for name in names)
