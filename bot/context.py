"""The typed callback context: handlers get `context.services` instead of string keys."""

from __future__ import annotations

from telegram.ext import CallbackContext, ExtBot

from bot.settings import Settings
from core.services import Services


class BotData:
    """What the application holds for its whole life: settings and the started services."""

    settings: Settings
    services: Services | None = None


class AdvisorContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not started yet (post_init has not run)")
        return services
