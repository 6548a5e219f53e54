"""Telegram wiring for joining, roles, profiles, matchmaking, privacy."""

from __future__ import annotations

from telegram.ext import Application

from core import members
from handlers.common import register_feature


def register(application: Application) -> None:
    register_feature(application, members)
