"""Inspecting what the bot did: the recorded calls, waiting for a call, reading back the
message the fake returned, and a timeout message that lists every call seen.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from tests.fakebot.models import Call, JSONDict
from tests.fakebot.state import BotApiState


class CallLogMixin(BotApiState):
    """Read access to ``self._calls`` for tests (thread-safe snapshots and blocking waits)."""

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
