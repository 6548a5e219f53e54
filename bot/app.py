"""The one place that wires the Telegram `Application`.

Services (knowledge base, matcher, database) start in `post_init` and stop in
`post_shutdown`; handlers reach them through the typed `AdvisorContext`. Handler modules are
registered in the order documented in `register_handlers`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from bot.context import AdvisorContext, BotData
from bot.settings import Settings
from core.actor import Role
from core.commands import commands_for
from core.members.common import member_index
from core.services import build_services
from handlers import action_plan, errors, fallback, members, pitfalls, questions, start

logger = logging.getLogger(__name__)

def file_base_url(api_base_url: str) -> str:
    """https://api.telegram.org/bot -> https://api.telegram.org/file/bot (same for self-hosted)."""
    head, _, tail = api_base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


def build_application(settings: Settings) -> Application:
    """Create the Application with rate limiting, typed context and every handler."""
    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the Telegram application")
    context_types = ContextTypes(context=AdvisorContext, bot_data=BotData)
    application = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .context_types(context_types)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.settings = settings
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Register feature handlers; the order matters only where noted.

    1. start       – /start, /help, /language, /cancel and language buttons
    2. members     – joining, roles, profiles, matchmaking (before questions: it watches
                     group messages of a linked group)
    3. action_plan – the plan, its buttons and reminders
    4. pitfalls    – self-check, health, funding
    5. questions   – /ask, /topics, /unanswered, topic buttons, and free text (private
                     chats: dialog step or question; groups: mentions and replies)
    6. fallback    – unknown commands, non-text messages and unknown buttons; registered
                     after every feature, so it only sees what no feature took
    7. errors      – the global error handler
    """
    start.register(application)
    members.register(application)
    action_plan.register(application)
    pitfalls.register(application)
    questions.register(application)
    fallback.register(application)
    errors.register(application)


async def _post_init(application: Application) -> None:
    bot_data: BotData = application.bot_data
    settings = bot_data.settings
    bot_data.services = build_services(settings)
    bot_data.services.bot_username = application.bot.username  # invite links (members)
    await _set_command_menus(application, settings)
    action_plan.arm_reminders(application)  # resend in-flight ones, then a pass every minute
    # Build the matchmaking index off the event loop now, so the first /match of a large
    # cluster does not stall every chat while it is built (a /match during the build just
    # builds its own copy).
    application.create_task(asyncio.to_thread(member_index, bot_data.services),
                            name="warm-member-index")
    logger.info("Cluster Advisor started as @%s with %d knowledge entries",
                application.bot.username, len(bot_data.services.knowledge.entries))


async def _post_shutdown(application: Application) -> None:
    bot_data: BotData = application.bot_data
    action_plan.disarm_reminders(application)
    if bot_data.services is not None:
        bot_data.services.close()


async def _set_command_menus(application: Application, settings: Settings) -> None:
    """Command menu for everyone in both languages, and the full menu in managers' chats."""
    bot = application.bot
    for lang in ("de", "en"):
        commands = [BotCommand(c.name, c.description[lang]) for c in commands_for(Role.VISITOR)]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=lang)
    default = [BotCommand(c.name, c.description[settings.default_language])
               for c in commands_for(Role.VISITOR)]
    await bot.set_my_commands(default, scope=BotCommandScopeDefault())
    manager_commands = [BotCommand(c.name, c.description[settings.default_language])
                        for c in commands_for(Role.MANAGER)]
    for manager_id in settings.manager_ids:
        try:
            await bot.set_my_commands(manager_commands, scope=BotCommandScopeChat(manager_id))
        except TelegramError as exc:  # the manager has not started the bot yet
            logger.info("No manager menu for %s yet: %s", manager_id, exc)


def run_polling(settings: Settings) -> None:
    """Start the bot and poll until interrupted."""
    application = build_application(settings)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
