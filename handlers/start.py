"""Telegram wiring for greeting, help and language choice."""

from __future__ import annotations

from telegram.ext import Application

from core.commands import COMMANDS
from handlers.common import button_handler, command_handler


def register(application: Application) -> None:
    for command in COMMANDS:
        if command.feature == "start":
            application.add_handler(command_handler(command))
    application.add_handler(button_handler("lang"))
