"""Telegram wiring for greeting, help, language choice and /cancel."""

from __future__ import annotations

from telegram.ext import Application

from core import start
from handlers.common import register_feature


def register(application: Application) -> None:
    register_feature(application, start)
