"""The typed callback context: handlers get `context.services` instead of string keys."""

from __future__ import annotations

from collections.abc import Callable

from telegram.ext import CallbackContext, ExtBot

from core.registry import Registry
from core.services import Services
from core.settings import Settings
from handlers.workers import Workers


class BotData:
    """What the application holds for its whole life: settings and the started services."""

    settings: Settings
    registry: Registry
    services: Services | None = None
    on_started: Callable[[], None] | None = None  # told once the bot is connected
    workers: Workers | None = None  # the threads for core calls, while the application runs


class AdvisorContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not started yet (post_init has not run)")
        return services

    @property
    def workers(self) -> Workers:
        workers = self.bot_data.workers
        if workers is None:
            raise RuntimeError("the application was not built by bot.app (no worker threads)")
        return workers
