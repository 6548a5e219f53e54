"""The long-lived services every feature needs, built once at start-up and passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from bot.settings import Settings
from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.matcher import Matcher
from storage.engine import make_engine, upgrade_schema

if TYPE_CHECKING:
    from core.members.index import MemberIndex


@dataclass
class Services:
    """Settings, knowledge base, matcher and database engine, reachable by type."""

    settings: Settings
    knowledge: KnowledgeBase
    matcher: Matcher
    engine: Engine
    bot_username: str | None = None  # set by the Telegram app at start (invite links)
    member_index: MemberIndex | None = None  # matchmaking index, built on first /match

    def close(self) -> None:
        self.engine.dispose()


def build_services(settings: Settings, *, upgrade: bool = True) -> Services:
    """Load the knowledge base, build the matcher, open the database and migrate it."""
    knowledge = load_knowledge_base()
    engine = make_engine(settings.database_url)
    if upgrade:
        upgrade_schema(engine)
    return Services(settings, knowledge, Matcher(knowledge), engine)
