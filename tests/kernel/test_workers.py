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
