"""The one place that wires the Telegram `Application`.

The services (database first, so a database problem is reported before Telegram is asked)
are started before polling and stopped after it; handlers reach them through the typed
`AdvisorContext`. Start-up failures end in one line and an exit code, never a traceback
with the token in it (`StartupError`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

import httpx
from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes, ExtBot
from telegram.request import HTTPXRequest, RequestData

from bot import features
from bot.collector import startup
from bot.http_pool import BotApiTransport
from bot.webhook import ListenError, WebhookRefused, serve
from core.i18n import LANGUAGES, t
from core.registry import Registry
from core.services import Services, build_services
from core.settings import Settings, WebhookSettings
from handlers import errors, fallback
from handlers.context import AdvisorContext, BotData
from handlers.dispatch import register_features
from handlers.jobs import arm_jobs, disarm_jobs
from handlers.menus import refresh_menus, set_default_menus
from handlers.throttle import ChatOrder, ChatThrottle
from handlers.workers import Workers

logger = logging.getLogger(__name__)
WARM_JOB = "features:warm"
INTRODUCE_JOB = "bot:introduce"
WARM_DELAY = 1.0  # seconds after polling starts
REVOKED = ("Telegram no longer accepts TELEGRAM_BOT_TOKEN (revoked in @BotFather?); the bot "
           "stopped. Put the new token into .env and start it again.")


class StartupError(Exception):
    """The bot cannot run; the message is one line for the operator, `code` the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class TokenWatch:
    """Who to tell when Telegram rejects the token while polling (set once the app exists)."""

    def __init__(self) -> None:
        self.on_rejected: Callable[[], None] | None = None


class AdvisorBot(ExtBot[None]):
    """The bot, noticing when Telegram stops accepting the token while running (revoked):
    PTB then only ends its polling loop and the process would keep running, deaf — and in
    webhook mode nothing polls, so any call that is refused tells."""

    def __init__(self, *args: Any, watch: TokenWatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.watch = watch

    async def _do_post(self, *args: Any, **kwargs: Any) -> Any:
        """Every Bot API call (PTB's one funnel, pinned to PTB 22): a rejected token is told."""
        try:
            return await super()._do_post(*args, **kwargs)
        except InvalidToken:
            if self.watch.on_rejected is not None:
                self.watch.on_rejected()
            raise

    async def get_updates(self, *args: Any, **kwargs: Any) -> Any:
        """Poll; a rejected token stops the application cleanly (raising it here would end
        PTB's polling task with an error and leave its other tasks pending at shutdown)."""
        try:
            return await super().get_updates(*args, **kwargs)
        except InvalidToken:
            if self.watch.on_rejected is None:
                raise
            self.watch.on_rejected()
            await asyncio.sleep(1)  # the application is stopping; don't hammer the API
            return ()


class JsonBodyRequest(HTTPXRequest):
    """PTB's HTTP client, except that a call without files goes out as one JSON body.

    PTB sends every call as a form: each parameter JSON-encoded on its own, then the whole
    form percent-encoded by urllib a byte at a time, in Python — for answer cards (up to
    1,500 characters and their buttons) 8 % of the event loop's profiled time in a burst. The
    Bot API takes the same parameters as `application/json`, which the C encoder writes in
    one call. Uploads (files) stay multipart, as PTB sends them. Time-outs and errors are
    mapped as in `HTTPXRequest.do_request` (PTB 22), whose place this takes.
    """

    def _build_client(self) -> httpx.AsyncClient:
        """PTB's client on the pool of `bot.http_pool` — unless a transport was given, or
        the environment names a proxy (httpx honours HTTPS_PROXY only with its own)."""
        kwargs = self._client_kwargs
        if getproxies() or kwargs.get("transport") is not None:
            return super()._build_client()
        return httpx.AsyncClient(**{**kwargs, "transport": BotApiTransport(kwargs["limits"])})

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
                         write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
                         connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
                         pool_timeout: Any = HTTPXRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files or self._client.is_closed:
            return await super().do_request(url, method, request_data, read_timeout,
                                            write_timeout, connect_timeout, pool_timeout)
        defaults = self._client.timeout
        timeout = httpx.Timeout(connect=_or(connect_timeout, defaults.connect),
                                read=_or(read_timeout, defaults.read),
                                write=_or(write_timeout, defaults.write),
                                pool=_or(pool_timeout, defaults.pool))
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        try:
            response = await self._client.request(
                method=method, url=url, timeout=timeout, content=body,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"})
        except httpx.PoolTimeout as exc:
            raise TimedOut("Pool timeout: All connections in the connection pool are occupied. "
                           "Request was *not* sent to Telegram.") from exc
        except httpx.TimeoutException as exc:
            raise TimedOut from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"httpx.{exc.__class__.__name__}: {exc}") from exc
        return response.status_code, response.content


def _or(value: Any, default: float | None) -> float | None:
    """A time-out passed to a Bot API call, or the client's own when none was given (PTB
    marks "not given" with a `DefaultValue`, the type of `DEFAULT_NONE`)."""
    return default if isinstance(value, type(HTTPXRequest.DEFAULT_NONE)) else value


class ReportedByUs(logging.Filter):
    """Drop log records (with traceback) for failures that `run_polling`/`run_webhook` turn
    into one line: a rejected token always (PTB's records and the error handler's for the
    update whose reply was refused), an unreachable Bot API until the bot is up."""

    def __init__(self) -> None:
        super().__init__()
        self.starting = True

    def started(self) -> None:
        """From now on network errors are PTB's to log (it retries them while polling)."""
        self.starting = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info is None:
            return True
        error = record.exc_info[1]
        if isinstance(error, InvalidToken):
            return False
        if isinstance(error, asyncio.CancelledError) and record.name.startswith("apscheduler"):
            # a job the stopping bot cancelled (a reminder pass resumes from its claims at the
            # next start): one line, not a traceback after the line that says why it stopped
            record.msg, record.args = "%s: cancelled, the bot is stopping", (record.getMessage(),)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
            return True
        return not (record.name.startswith("telegram") and self.starting
                    and isinstance(error, NetworkError))


def file_base_url(api_base_url: str) -> str:
    """https://api.telegram.org/bot -> https://api.telegram.org/file/bot (same for self-hosted)."""
    head, _, tail = api_base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


def build_application(settings: Settings, services: Services) -> Application:
    """Create the Application with rate limiting, typed context and every handler.

    A 429 holds back only its own chat (`ChatThrottle`); updates of different chats are
    handled concurrently, each chat's in order (`ChatOrder`)."""
    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the Telegram application")
    throttle = ChatThrottle(overall=(settings.telegram_messages_per_second, 1.0))
    bot = AdvisorBot(settings.token, base_url=settings.telegram_api_base_url,
                     base_file_url=file_base_url(settings.telegram_api_base_url),
                     request=JsonBodyRequest(), rate_limiter=throttle, watch=TokenWatch())
    application = (
        Application.builder()
        .bot(bot)
        .context_types(ContextTypes(context=AdvisorContext, bot_data=BotData))
        .concurrent_updates(ChatOrder())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.settings = settings
    application.bot_data.registry = services.registry
    application.bot_data.services = services
    application.bot_data.workers = Workers.for_database(services.engine.dialect.name)
    register_handlers(application, services.registry)
    return application


def register_handlers(application: Application, registry: Registry) -> None:
    """Register the handlers; the order matters only where noted.

    1. features – a handler per command and button prefix of every feature, a watcher of
                  group messages (group -1, so messages are still answered), then free text
                  (private chats: dialog step or question; groups: mentions and replies)
    2. fallback – unknown commands, non-text messages and unknown buttons; registered
                  after every feature, so it only sees what no feature took
    3. errors   – the global error handler
    """
    register_features(application, registry)
    fallback.register(application)
    errors.register(application)


async def _post_init(application: Application) -> None:
    bot_data: BotData = application.bot_data
    services = bot_data.services
    if services is None:
        raise RuntimeError("services must be started before the application")
    services.bot_username = application.bot.username  # invite links, private-chat buttons
    if bot_data.on_started is not None:
        bot_data.on_started()
    # Menus and descriptions (eleven Bot API calls, each a round trip to Telegram) are
    # set once polling runs, not before: a restart answers the waiting messages first.
    if application.job_queue is not None:
        application.job_queue.run_once(_introduce_job, when=0, name=INTRODUCE_JOB)
    else:
        await _introduce(application, bot_data.settings, services)
    arm_jobs(application, services.registry)  # e.g. resend in-flight reminders, then a pass
    # Warm the features' caches (the matchmaking index) off the event loop once polling
    # runs, so the first /match of a large cluster does not stall every chat — but only
    # after WARM_DELAY: the messages that queued up while the bot was down are answered
    # first (a warm-up beside them took the GIL from the first reply: 190 -> 15 ms).
    if application.job_queue is not None:
        application.job_queue.run_once(_warm, when=WARM_DELAY, name=WARM_JOB)
    logger.info("Cluster Advisor started as @%s with %d knowledge entries",
                application.bot.username, len(services.knowledge.entries))


async def _introduce_job(context: AdvisorContext) -> None:
    """Job: the menus and descriptions of `_introduce`."""
    await _introduce(context.application, context.bot_data.settings, context.services)


async def _warm(context: AdvisorContext) -> None:
    """Job: build the features' caches in a worker thread."""
    await context.workers.run(context.services.registry.start_features, context.services)


async def _introduce(application: Application, settings: Settings, services: Services) -> None:
    """Menus for everyone and for the managers, and the bot's description in both languages."""
    bot = application.bot
    await set_default_menus(bot, services.registry, settings.default_language)
    await refresh_menus(bot, services, sorted(settings.manager_ids))
    cluster = settings.cluster_name
    try:
        for lang in (*LANGUAGES, None):
            text_lang = lang or settings.default_language
            await bot.set_my_description(t(text_lang, "bot_description", cluster=cluster),
                                         language_code=lang)
            await bot.set_my_short_description(
                t(text_lang, "bot_short_description", cluster=cluster), language_code=lang)
    except TelegramError as exc:  # a self-hosted Bot API without these methods
        logger.warning("Could not set the bot's description: %s", exc)


async def _post_shutdown(application: Application) -> None:
    bot_data: BotData = application.bot_data
    disarm_jobs(application, bot_data.registry)
    if bot_data.workers is not None:
        bot_data.workers.shutdown()


def run_polling(settings: Settings) -> None:
    """Start the bot and poll until interrupted; StartupError with one line when it can't
    (the database is checked first, then the token and the Bot API)."""
    _run(settings, lambda application, _services: application.run_polling(
        allowed_updates=Update.ALL_TYPES))


def run_webhook(settings: Settings, webhook: WebhookSettings) -> None:
    """Start the bot on webhooks (its own HTTP server with /healthz) until interrupted;
    StartupError with one line when it can't, as `run_polling`."""
    def run(application: Application, services: Services) -> None:
        try:
            serve(application, webhook, services.engine)
        except ListenError as exc:
            raise StartupError(str(exc)) from None
        except WebhookRefused as exc:
            raise StartupError(str(exc), code=2) from None

    _run(settings, run)


def _run(settings: Settings, run: Callable[[Application, Services], None]) -> None:
    """Build services and Application, run them, and turn failures into one line."""
    services = build_services(settings, features.registry())
    quiet = ReportedByUs()
    for handler in logging.getLogger().handlers:
        handler.addFilter(quiet)
    try:
        application = build_application(settings, services)
        application.bot_data.on_started = quiet.started
        startup.resume()  # built: the garbage collector runs again (bot.collector)
        revoked = _watch_token(application)
        try:
            run(application, services)
        except InvalidToken:
            if revoked():
                raise StartupError(REVOKED) from None
            raise StartupError("Telegram rejected TELEGRAM_BOT_TOKEN: copy it again from "
                               "@BotFather (/mybots → API Token) into .env.", code=2) from None
        except NetworkError as exc:
            host = urlsplit(settings.telegram_api_base_url).netloc
            raise StartupError(f"The Telegram Bot API at {host} is not reachable ({exc}): "
                               "check the network or TELEGRAM_API_BASE_URL.") from None
        if revoked():
            raise StartupError(REVOKED)
    finally:
        services.close()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(quiet)


def _watch_token(application: Application) -> Callable[[], bool]:
    """Stop the application when the token is rejected while running; tell whether it was."""
    rejected: list[bool] = []

    def on_rejected() -> None:
        if not rejected and application.running:  # at start-up it is a wrong token instead
            logger.error("Telegram rejected the bot token while running; stopping")
            rejected.append(True)
            application.stop_running()

    bot = application.bot
    if isinstance(bot, AdvisorBot):
        bot.watch.on_rejected = on_rejected
    return lambda: bool(rejected)
