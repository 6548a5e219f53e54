"""The worker threads that do the core's database and matching work for the updates.

Not the event loop's default executor: the HTTP client resolves the address of every new
connection to the Bot API with `getaddrinfo` in that executor, so under a burst the replies
waited for a thread behind the very database work that produced them. A pool of its own keeps
the two apart; its size bounds how many updates touch the database at once (SQLite takes one
writer at a time anyway).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

WORKER_THREADS = 4

P = ParamSpec("P")
T = TypeVar("T")


class Workers:
    """A thread pool for blocking core calls, awaited from the event loop."""

    def __init__(self, threads: int = WORKER_THREADS) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="core")

    async def run(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """`function(*args, **kwargs)` in a worker thread, with the caller's context vars
        (as `asyncio.to_thread`)."""
        call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def shutdown(self) -> None:
        """Let running calls finish, then stop the threads."""
        self._pool.shutdown(wait=True)
