"""Which knowledge the bot answers from: the shipped content plus the cluster's own (#12).

The combined knowledge base and its matcher are rebuilt when cluster knowledge changes:
at once in the process that changed it, and in every other instance (the CLI's `kb
import` beside the running bot, a second bot process) when a cheap look at the version
stamp in the database — at most every CHECK_SECONDS, on a question — shows a newer one.
A rebuild takes 0.2–0.4 s (bench/bench_teaching.py) and runs in the worker thread of the
update that noticed it (never on the event loop); meanwhile other chats keep answering
from the previous matcher. Without a database the shipped content alone answers.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.question_index import matcher_for
from core.services import Services
from knowledge.base import KnowledgeBase
from knowledge.cluster import ClusterRecord, Combined, combine
from knowledge.matcher import Matcher
from storage.engine import session_scope
from storage.questions.cluster import ClusterKnowledge, cluster_knowledge, knowledge_version

CACHE_KEY = "questions"
CHECK_SECONDS = 2.0
logger = logging.getLogger(__name__)
_LOCK = threading.Lock()


@dataclass
class Holder:
    """The shipped content, what was combined from it, and the version it reflects."""

    shipped: KnowledgeBase
    shipped_matcher: Matcher
    combined: Combined
    version: int
    checked_at: float


def read_cluster(engine: Engine) -> ClusterKnowledge | None:
    """Cluster entries, taught phrasings and hidden ids; None when the database is away."""
    try:
        with session_scope(engine) as session:
            return cluster_knowledge(session=session)
    except SQLAlchemyError as exc:
        logger.warning("Cluster knowledge unavailable (database: %s)", type(exc).__name__)
        return None


def combined_from(shipped: KnowledgeBase, data: ClusterKnowledge | None) -> Combined:
    if data is None:
        return combine(shipped, (), (), ())
    records = [ClusterRecord(e.id, e.chapter, e.source, e.content) for e in data.entries]
    phrasings = [(p.entry_id, p.language, p.text) for p in data.phrasings]
    return combine(shipped, records, phrasings, data.hidden)


def _rebuild(services: Services, holder: Holder | None) -> Holder:
    if holder is not None:
        shipped, shipped_matcher = holder.shipped, holder.shipped_matcher
    else:
        shipped, shipped_matcher = services.knowledge, services.matcher
    data = read_cluster(services.engine)
    if data is None or not (data.entries or data.phrasings or data.hidden):
        combined = Combined(shipped, {}, frozenset())  # nothing of our own: no rebuild
        services.replace_knowledge(shipped, shipped_matcher)
    else:
        combined = combined_from(shipped, data)
        services.replace_knowledge(combined.knowledge,
                                    matcher_for(services.settings, combined.knowledge))
    fresh = Holder(shipped, shipped_matcher, combined, data.version if data else -1,
                   time.monotonic())
    services.caches[CACHE_KEY] = fresh
    return fresh


def current(services: Services) -> Combined:
    """The combined knowledge, rebuilt first when the database holds a newer version."""
    holder: Holder | None = services.caches.get(CACHE_KEY)
    if holder is not None and time.monotonic() - holder.checked_at < CHECK_SECONDS:
        return holder.combined
    if not _LOCK.acquire(blocking=holder is None):
        return holder.combined if holder is not None else combine(services.knowledge, (), (), ())
    try:
        holder = services.caches.get(CACHE_KEY)
        if holder is None:
            return _rebuild(services, None).combined
        try:
            with session_scope(services.engine) as session:
                version = knowledge_version(session=session)
        except SQLAlchemyError:
            holder.checked_at = time.monotonic()
            return holder.combined
        if version != holder.version:
            return _rebuild(services, holder).combined
        holder.checked_at = time.monotonic()
        return holder.combined
    finally:
        _LOCK.release()


def changed(services: Services) -> Combined:
    """Rebuild now: this process just changed cluster knowledge."""
    with _LOCK:
        return _rebuild(services, services.caches.get(CACHE_KEY)).combined


def warm(services: Services) -> None:
    """At start-up of the running bot: build the combined matcher once."""
    current(services)
