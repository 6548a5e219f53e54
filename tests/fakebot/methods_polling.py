"""Bot API methods that deliver updates: ``getUpdates`` (real long polling, capped at
``long_poll_cap``, honouring ``offset``/``limit``) and the webhook methods that interact with it.
"""

from __future__ import annotations

import re
import time

from tests.fakebot.models import ApiError, Call, JSONDict, Request
from tests.fakebot.state import BotApiState


class PollingMethods(BotApiState):
    """``getUpdates``, ``setWebhook``, ``deleteWebhook``, ``getWebhookInfo``."""

    _webhook_secret: str | None = None  # set by setWebhook, sent with each delivery

    def _get_updates(self, request: Request) -> list[JSONDict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        params = request.params
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._pending = self._pending[offset:]
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        try:
            wait = min(float(params.get("timeout") or 0), self.long_poll_cap)
        except (TypeError, ValueError):
            wait = 0.0
        if wait > 0 and not self._pending:
            request.recorded = Call(request.method, request.params, {}, time.time())
            self._calls.append(request.recorded)
            self._cond.notify_all()
            self._cond.wait_for(lambda: bool(self._pending) or self._stopping, timeout=wait)
        return list(self._pending[:limit])

    def _set_webhook(self, request: Request) -> bool:
        url = str(request.params.get("url") or "")
        secret = request.params.get("secret_token")
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self._webhook_url = url
        self._webhook_secret = str(secret) if url and secret is not None else None
        if request.params.get("drop_pending_updates") is True:
            self._pending.clear()
        return True

    def _delete_webhook(self, request: Request) -> bool:
        self._webhook_url = ""
        self._webhook_secret = None
        if request.params.get("drop_pending_updates") is True:
            self._pending.clear()
        return True

    def _get_webhook_info(self, request: Request) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
