"""The cluster's own entries for `cluster-advisor ask` (#12): read, never migrated.

A module of its own so that `ask` without a database file never imports the database
layer (bench/bench_ask_cli.py measures that start-up)."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from knowledge.base import KnowledgeBase
from knowledge.cluster import ClusterRecord, combine
from storage.engine import DatabaseUnavailable, open_database, session_scope
from storage.questions.cluster import cluster_knowledge


def with_cluster_entries(shipped: KnowledgeBase, url: str) -> KnowledgeBase:
    """`shipped` with the database's cluster entries, taught phrasings and hidden ids; just
    `shipped` when the database cannot be read or holds none of our tables yet."""
    try:
        engine = open_database(url, upgrade=False)
    except DatabaseUnavailable:
        return shipped
    try:
        with session_scope(engine) as session:
            data = cluster_knowledge(session=session)
    except SQLAlchemyError:  # not migrated yet: no tables of ours
        return shipped
    finally:
        engine.dispose()
    records = [ClusterRecord(e.id, e.chapter, e.source, e.content) for e in data.entries]
    return combine(shipped, records, [(p.entry_id, p.language, p.text) for p in data.phrasings],
                   data.hidden).knowledge
