"""Telegram wiring for self-check, health warnings, funding."""

from __future__ import annotations

from telegram.ext import Application

from core import pitfalls
from handlers.common import register_feature


def register(application: Application) -> None:
    register_feature(application, pitfalls)
