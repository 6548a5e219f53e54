"""The long-lived services every feature needs, built once at start-up and passed in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from core.feature import Feature
from core.question_index import matcher_for
from core.registry import Registry
from core.settings import Settings
from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.matcher import Matcher
from storage.engine import open_database


@dataclass
class Services:
    """Settings, knowledge base, matcher, database engine and the features, by type."""

    settings: Settings
    knowledge: KnowledgeBase
    matcher: Matcher
    engine: Engine
    registry: Registry
    bot_username: str | None = None  # set by the Telegram app at start (invite links)
    # per-feature caches that live as long as the process (e.g. the matchmaking index),
    # keyed by feature name; each feature owns and types its own entry
    caches: dict[str, Any] = field(default_factory=dict)

    def replace_knowledge(self, knowledge: KnowledgeBase, matcher: Matcher) -> None:
        """Answer from now on from a rebuilt knowledge base (e.g. with a feature's own
        entries); a question already being answered finishes with the pair it started with
        (it holds its own references), the next one sees the new pair."""
        self.knowledge, self.matcher = knowledge, matcher

    def close(self) -> None:
        self.engine.dispose()


def build_services(settings: Settings, features: Iterable[Feature] | Registry, *,
                   upgrade: bool = True) -> Services:
    """Load the knowledge base, build the matcher, open the database and migrate it
    (`storage.engine.DatabaseUnavailable` with one line when the database can't be used)."""
    registry = features if isinstance(features, Registry) else Registry(features)
    engine = open_database(settings.database_url, upgrade=upgrade)  # fails first, cheaply
    knowledge = load_knowledge_base()
    return Services(settings, knowledge, matcher_for(settings, knowledge), engine, registry)
