"""Injected failures: ``fail_next`` queues Telegram errors (429 with ``retry_after``, 403 for a
blocked user, 5xx...) that the next matching calls receive instead of their normal answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakebot.models import ApiError, Request
from tests.fakebot.state import BotApiState


@dataclass
class Failure:
    """A queued error injection (see :meth:`FakeBotApi.fail_next`)."""

    method_key: str
    error: ApiError
    chat_id: int | None
    remaining: int


class FaultsMixin(BotApiState):
    """Queue and consume error injections (the queue is ``self._failures``, guarded by the lock)."""

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` (only for ``chat_id`` if given).

        Examples: ``fail_next("sendMessage", error_code=429, description="Too Many Requests: retry
        after 3", retry_after=3)`` or ``fail_next("sendMessage", error_code=403, description=
        "Forbidden: bot was blocked by the user", chat_id=42)``.
        """
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        failure = Failure(
            method_key=method.lower(),
            error=ApiError(error_code, description, parameters),
            chat_id=chat_id,
            remaining=times,
        )
        with self._cond:
            self._failures.append(failure)

    def _take_failure(self, request: Request) -> ApiError | None:
        key = request.method.lower()
        for failure in self._failures:
            if failure.method_key != key:
                continue
            if failure.chat_id is not None and request.params.get("chat_id") != failure.chat_id:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            return failure.error
        return None
