"""Telegram's command menus: the commands of each person's role, in their language.

Everyone starts with the default menu (visitors' commands, in German or English by
Telegram's language setting). Whoever becomes a member or manager — invite, linked group,
accepted /join, promotion — gets a menu of their own (`BotCommandScopeChat`) in the
language they chose; demotion and forget-me give them the default back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from core.actor import Role
from core.i18n import LANGUAGES, t
from core.identity import role_and_language
from core.registry import Registry
from core.services import Services

logger = logging.getLogger(__name__)


def menu(registry: Registry, role: Role, lang: str) -> list[BotCommand]:
    """The command menu of `role` in `lang`."""
    return [BotCommand(c.name, t(lang, c.description_key))
            for c in registry.commands_for(role, menu_only=True)]


async def set_default_menus(bot: Bot, registry: Registry, default_language: str) -> None:
    """The visitors' menu for everyone, in both languages and the default one."""
    for lang in LANGUAGES:
        await bot.set_my_commands(menu(registry, Role.VISITOR, lang),
                                  scope=BotCommandScopeDefault(), language_code=lang)
    await bot.set_my_commands(menu(registry, Role.VISITOR, default_language),
                              scope=BotCommandScopeDefault())


async def refresh_menus(bot: Bot, services: Services, user_ids: Iterable[int]) -> None:
    """Give each person the menu of their current role and language."""
    for user_id in dict.fromkeys(user_ids):  # each once, in order
        found = role_and_language(services, user_id)
        if found is None and user_id in services.settings.manager_ids:  # not written yet
            found = Role.MANAGER, services.settings.default_language
        if user_id <= 0:
            continue
        # no row at all (forgotten by /forget_me): the default menu, like any visitor
        role, lang = found or (Role.VISITOR, services.settings.default_language)
        scope = BotCommandScopeChat(user_id)
        try:
            if role is Role.VISITOR:
                await bot.delete_my_commands(scope=scope)
            else:
                await bot.set_my_commands(menu(services.registry, role, lang), scope=scope)
        except TelegramError as exc:  # never started the bot, or blocked it
            logger.info("No command menu for %s: %s", user_id, exc)
