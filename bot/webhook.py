"""Webhook mode: Telegram POSTs updates to our own small HTTP server (`run --webhook`).

Why a server of our own instead of PTB's `run_webhook`: a load balancer needs a health
route beside the webhook, and PTB's built-in server has no place for one. We use the same
server library PTB uses for that (tornado, its `webhooks` extra) with two routes:

- `POST <path of WEBHOOK_URL>`: an update, accepted only with the right
  `X-Telegram-Bot-Api-Secret-Token` header (403 otherwise, and nothing is parsed); bad JSON is
  400; an accepted update goes to the Application's queue and is answered 200 at once,
  like PTB's own webhook does. The path holds no token: the secret header protects it.
- `GET /healthz`: 200 `{"status": "ok", "database": "ok"}` while the bot runs and the
  database answers within a few seconds, 503 otherwise (the balancer stops sending).

The Application's life is the one `run_polling` gives it (initialize, post_init, start …
stop, shutdown, post_shutdown), driven on our own loop so `stop_running` and the stop signals
work the same way. The webhook is set at start and left in place at shutdown: with several
instances behind one URL, the one stopping must not switch Telegram off for the others.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
import time
from http import HTTPStatus
from typing import Any

import tornado.web
from sqlalchemy import text
from sqlalchemy.engine import Engine
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from core.settings import HEALTH_PATH, WebhookSettings

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20  # Telegram's updates are a few KB; refuse anything bigger
HEALTH_TIMEOUT_SECONDS = 3.0
REFUSAL_LOG_INTERVAL_SECONDS = 60.0  # a scanner must not flood the log


class ListenError(Exception):
    """WEBHOOK_LISTEN:WEBHOOK_PORT cannot be bound (in use, not an address of this host)."""


class WebhookRefused(Exception):
    """Telegram refused WEBHOOK_URL in setWebhook; the message is Telegram's reason."""


class Refusals:
    """Counts requests with a wrong or missing secret and logs them at most once a minute."""

    def __init__(self) -> None:
        self.count = 0
        self._logged_at = float("-inf")

    def note(self, remote_ip: str | None) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self._logged_at >= REFUSAL_LOG_INTERVAL_SECONDS:
            self._logged_at = now
            logger.warning("Webhook request without the right secret refused (from %s; "
                           "%d so far)", remote_ip or "?", self.count)


class UpdateHandler(tornado.web.RequestHandler):
    """POST: one update from Telegram, checked against WEBHOOK_SECRET before anything else."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, ptb: Application, secret: bytes, refusals: Refusals) -> None:
        self.ptb = ptb
        self.secret = secret
        self.refusals = refusals

    async def post(self) -> None:
        """Check the secret, parse the update, queue it for the Application."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            self.refusals.note(self.request.remote_ip)
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.ptb.bot) if isinstance(data, dict) \
                else None
        except Exception as exc:  # noqa: BLE001 - any bad payload is the sender's problem
            logger.warning("Webhook payload is not an update (%s); ignored", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is None:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        await self.ptb.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A bare status line: no HTML page, no traceback."""
        self.finish()


class HealthHandler(tornado.web.RequestHandler):
    """GET/HEAD /healthz: is this instance fit to receive updates?"""

    SUPPORTED_METHODS = ("GET", "HEAD")  # type: ignore[assignment]

    def initialize(self, ptb: Application, engine: Engine) -> None:
        self.ptb = ptb
        self.engine = engine

    async def get(self) -> None:
        """200 while running with a database that answers, else 503; a tiny JSON either way."""
        running = self.ptb.running
        database = await database_state(self.engine) if running else "unknown"
        ok = running and database == "ok"
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish({"status": "ok" if ok else ("unavailable" if running else "not running"),
                     "database": database})

    async def head(self) -> None:
        await self.get()


async def database_state(engine: Engine) -> str:
    """"ok" when a trivial query answers within the time-out, else "unreachable"/"slow"."""

    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(asyncio.to_thread(ping), HEALTH_TIMEOUT_SECONDS)
    except TimeoutError:
        return "slow"
    except Exception:  # noqa: BLE001 - whatever the driver raises, the answer is "down"
        return "unreachable"
    return "ok"


class WebApp(tornado.web.Application):
    """The two routes; requests are logged by us (refusals) rather than per request."""

    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        if handler.get_status() >= HTTPStatus.INTERNAL_SERVER_ERROR:
            logger.warning("Webhook server answered %d to %s %s", handler.get_status(),
                           handler.request.method, handler.request.path)


def make_web_app(application: Application, webhook: WebhookSettings, engine: Engine,
                 refusals: Refusals | None = None) -> WebApp:
    """The tornado application: the webhook path (with or without a trailing slash), health."""
    path = re.escape(webhook.path.rstrip("/"))
    return WebApp([
        (rf"{path}/?", UpdateHandler, {"ptb": application,
                                       "secret": webhook.secret.encode(),
                                       "refusals": refusals or Refusals()}),
        (re.escape(HEALTH_PATH), HealthHandler, {"ptb": application, "engine": engine}),
    ])


def serve(application: Application, webhook: WebhookSettings, engine: Engine) -> None:
    """Run the Application on webhooks until SIGINT/SIGTERM or `stop_running`.

    Raises ListenError or WebhookRefused (one line each); Telegram's own errors at start
    (InvalidToken, NetworkError) propagate as from `run_polling`."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, loop.stop)
    server = HTTPServer(make_web_app(application, webhook, engine), xheaders=True,
                        max_body_size=MAX_UPDATE_BYTES, idle_connection_timeout=75,
                        body_timeout=10)
    try:
        loop.run_until_complete(application.initialize())  # getMe: the token is checked
        if application.post_init is not None:
            loop.run_until_complete(application.post_init(application))
        try:
            server.listen(webhook.port, address=webhook.listen)
        except OSError as exc:
            raise ListenError(f"Cannot listen on {webhook.listen}:{webhook.port} "
                              f"({exc.strerror}): change WEBHOOK_LISTEN or WEBHOOK_PORT, or "
                              "stop what uses the port.") from None
        loop.run_until_complete(application.start())
        loop.run_until_complete(_set_webhook(application, webhook))
        logger.info("Receiving updates by webhook at %s (listening on %s:%d, health at %s)",
                    webhook.url, webhook.listen, webhook.port, HEALTH_PATH)
        loop.run_forever()
        logger.info("Stopping: the webhook stays set for other instances")
    finally:
        server.stop()
        loop.run_until_complete(server.close_all_connections())
        if application.running:
            loop.run_until_complete(application.stop())
        loop.run_until_complete(application.shutdown())
        if application.post_shutdown is not None:
            loop.run_until_complete(application.post_shutdown(application))
        _close(loop)


def _close(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is still pending (as `asyncio.run` does), so nothing is reported as
    destroyed while pending after the last line has been printed; then close the loop."""
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)


async def _set_webhook(application: Application, webhook: WebhookSettings) -> None:
    """Tell Telegram where to deliver, with the secret it must send back each time."""
    try:
        await application.bot.set_webhook(url=webhook.url, secret_token=webhook.secret,
                                          allowed_updates=Update.ALL_TYPES)
    except BadRequest as exc:
        raise WebhookRefused(f"Telegram refused WEBHOOK_URL {webhook.url} ({exc.message}): "
                             "it must be a public https URL on port 443, 80, 88 or 8443.") \
            from None
