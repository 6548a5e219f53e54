"""Telegram wiring for the action plan and its reminders."""

from __future__ import annotations

from telegram.ext import Application

from core import action_plan
from handlers.common import register_feature


def register(application: Application) -> None:
    register_feature(application, action_plan)
