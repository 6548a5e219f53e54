"""Webhook delivery, as Telegram does it once ``setWebhook`` was called: every queued update
is POSTed to the webhook URL with the ``X-Telegram-Bot-Api-Secret-Token`` header, one after
another, and stays queued (retried) until the bot answers 2xx.

The URL the bot registers is public (``https://bot.example.org/telegram``); the test says
where that name really leads with :meth:`WebhookDeliveryMixin.deliver_webhooks_to` — a
loopback address, playing the part of the reverse proxy that terminates TLS and passes the
path on unchanged. Without it nothing is delivered (the fake never leaves the machine).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.fakebot.models import JSONDict
from tests.fakebot.state import BotApiState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
RETRY_PAUSE = 0.2


@dataclass
class Delivery:
    """One POST of an update to the webhook and the bot's answer (0: no connection)."""

    update_id: int
    status: int


class WebhookDeliveryMixin(BotApiState):
    """Deliver ``self._pending`` to the registered webhook in a thread of its own."""

    _webhook_secret: str | None  # PollingMethods' setWebhook keeps it
    _webhook_target: str | None = None
    _delivery_thread: threading.Thread | None = None
    _deliveries: list[Delivery]

    def deliver_webhooks_to(self, base_url: str) -> None:
        """Send webhook updates to ``base_url`` (``http://127.0.0.1:PORT``), keeping the path."""
        host = urlsplit(base_url).hostname
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the fake delivers to loopback only, not {host!r}")
        with self._cond:
            self._webhook_target = base_url.rstrip("/")
            self._deliveries = []
            if self._delivery_thread is None:
                self._delivery_thread = threading.Thread(
                    target=self._deliver_forever, name="FakeBotApi-webhook", daemon=True)
                self._delivery_thread.start()
            self._cond.notify_all()

    @property
    def webhook_deliveries(self) -> list[Delivery]:
        with self._cond:
            return list(getattr(self, "_deliveries", []))

    def _deliverable(self) -> bool:
        return bool(self._webhook_url and self._webhook_target and self._pending)

    def _deliver_forever(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or self._deliverable())
                if self._stopping:
                    self._delivery_thread = None
                    return
                update, url = self._pending[0], self._target_url()
                secret = self._webhook_secret
            status = _post(url, update, secret)
            with self._cond:
                self._deliveries.append(Delivery(int(update["update_id"]), status))
                if 200 <= status < 300 and self._pending and self._pending[0] is update:
                    self._pending.pop(0)
                    self._cond.notify_all()
                    continue
                self._cond.wait(RETRY_PAUSE)  # Telegram retries later, too

    def _target_url(self) -> str:
        parts = urlsplit(self._webhook_url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{self._webhook_target}{parts.path or '/'}{query}"


def _post(url: str, update: JSONDict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0
