"""`cluster-advisor kb export/import/stats` (#12): the cluster's entries as TOML in the
format of knowledge/content/*.toml, read back all or nothing (every problem with its line,
and nothing is written unless the whole file is right), matched by id."""

from __future__ import annotations

from dataclasses import dataclass

from core.questions import state
from core.questions.feedback import figures, stats_line
from core.services import Services
from knowledge.cluster import ClusterRecord
from knowledge.cluster_toml import LineProblem, parse_entries, to_toml
from storage.engine import session_scope
from storage.questions.cluster import cluster_knowledge, get_entry, save_entry


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    problems: list[LineProblem]


def export_toml(services: Services) -> tuple[str, int]:
    """The cluster's entries as a knowledge file, and how many there are."""
    with session_scope(services.engine) as session:
        data = cluster_knowledge(session=session)
    records = [ClusterRecord(e.id, e.chapter, e.source, e.content) for e in data.entries]
    return to_toml(records), len(records)


def import_toml(services: Services, text: str, *, file: str, by: int | None = None
                ) -> ImportResult:
    """Check the whole file; only when it is right, add or update its entries by id."""
    shipped = state.current(services)
    holder = services.caches.get(state.CACHE_KEY)
    base = holder.shipped if holder is not None else shipped.knowledge
    records, problems = parse_entries(text, file=file, shipped=base)
    if problems:
        return ImportResult(0, 0, problems)
    added = updated = 0
    with session_scope(services.engine) as session:
        for record in records:
            exists = get_entry(session=session, entry_id=record.id) is not None
            save_entry(session=session, entry_id=record.id, chapter=record.chapter,
                       source=record.source, content=dict(record.content), by=by,
                       action="import")
            updated += exists
            added += not exists
    state.changed(services)
    return ImportResult(added, updated, [])


def stats_lines(services: Services, lang: str) -> list[str]:
    """Per entry asked, 👍, 👎, last asked — for the terminal."""
    state.current(services)
    return [stats_line(services, row, lang, escape=False) for row in figures(services)]
