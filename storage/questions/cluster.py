"""Data access for the cluster's own knowledge: entries with their change history, taught
phrasings, hidden shipped entries and the version stamp every change bumps."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from storage.clock import utcnow
from storage.questions.tables import (
    ClusterEntry,
    EntryChange,
    HiddenEntry,
    KnowledgeVersion,
    TaughtPhrasing,
)


@dataclass(frozen=True)
class ClusterKnowledge:
    """Everything the matcher needs from the database, read in one unit of work."""

    version: int
    entries: tuple[ClusterEntry, ...]
    phrasings: tuple[TaughtPhrasing, ...]
    hidden: frozenset[str]


def knowledge_version(*, session: Session) -> int:
    row = session.get(KnowledgeVersion, 1)
    return row.version if row is not None else 0


def bump_version(*, session: Session) -> int:
    """Mark cluster knowledge as changed (every instance rebuilds its matcher)."""
    row = session.get(KnowledgeVersion, 1)
    if row is None:
        row = KnowledgeVersion(id=1, version=0)
    row.version += 1
    row.changed_at = utcnow()
    session.add(row)
    return row.version


def cluster_knowledge(*, session: Session) -> ClusterKnowledge:
    entries = tuple(session.exec(select(ClusterEntry).order_by(col(ClusterEntry.created_at),
                                                               col(ClusterEntry.id))).all())
    phrasings = tuple(session.exec(select(TaughtPhrasing)
                                   .order_by(col(TaughtPhrasing.id))).all())
    hidden = frozenset(session.exec(select(HiddenEntry.entry_id)).all())
    return ClusterKnowledge(knowledge_version(session=session), entries, phrasings, hidden)


def get_entry(*, session: Session, entry_id: str) -> ClusterEntry | None:
    return session.get(ClusterEntry, entry_id)


def _snapshot(entry: ClusterEntry) -> dict[str, Any]:
    return {"chapter": entry.chapter, "source": entry.source,
            **copy.deepcopy(entry.content)}


def _record(session: Session, entry_id: str, by: int | None, action: str,
            before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session.add(EntryChange(entry_id=entry_id, changed_by=by, action=action, before=before,
                            after=after))


def save_entry(*, session: Session, entry_id: str, chapter: str, source: str,
               content: dict[str, Any], by: int | None, action: str = "") -> ClusterEntry:
    """Add or replace a cluster entry, recording before/after."""
    entry = session.get(ClusterEntry, entry_id)
    before = _snapshot(entry) if entry is not None else None
    if entry is None:
        entry = ClusterEntry(id=entry_id, created_by=by)
    entry.chapter, entry.source = chapter, source
    entry.content = copy.deepcopy(content)
    entry.updated_at = utcnow()
    session.add(entry)
    _record(session, entry_id, by, action or ("update" if before else "create"), before,
            _snapshot(entry))
    bump_version(session=session)
    return entry


def delete_entry(*, session: Session, entry_id: str, by: int | None) -> bool:
    entry = session.get(ClusterEntry, entry_id)
    if entry is None:
        return False
    _record(session, entry_id, by, "delete", _snapshot(entry), None)
    session.delete(entry)
    session.execute(delete(TaughtPhrasing).where(col(TaughtPhrasing.entry_id) == entry_id))
    bump_version(session=session)
    return True


def add_phrasings(*, session: Session, entry_id: str, phrasings: list[tuple[str, str]],
                  by: int | None) -> int:
    """Attach (language, text) phrasings to an entry (shipped or cluster); returns how many."""
    known = {(p.language, p.text.casefold()) for p in session.exec(
        select(TaughtPhrasing).where(TaughtPhrasing.entry_id == entry_id)).all()}
    added = []
    for language, text in phrasings:
        key = (language, text[:300].casefold())
        if key not in known:
            known.add(key)
            added.append(text[:300])
            session.add(TaughtPhrasing(entry_id=entry_id, language=language, text=text[:300],
                                       added_by=by))
    if added:
        _record(session, entry_id, by, "phrasing", None, {"questions": added})
        bump_version(session=session)
    return len(added)


def set_hidden(*, session: Session, entry_id: str, hidden: bool, by: int | None) -> bool:
    """Hide or show a shipped entry; False when nothing changed."""
    row = session.get(HiddenEntry, entry_id)
    if hidden == (row is not None):
        return False
    if hidden:
        session.add(HiddenEntry(entry_id=entry_id, hidden_by=by))
    else:
        session.delete(row)
    _record(session, entry_id, by, "hide" if hidden else "unhide", None, None)
    bump_version(session=session)
    return True


def changes_of(*, session: Session, entry_id: str, limit: int = 10) -> list[EntryChange]:
    """The newest changes of one entry."""
    return list(session.exec(select(EntryChange).where(EntryChange.entry_id == entry_id)
                             .order_by(col(EntryChange.id).desc()).limit(limit)).all())


def forget_author(*, session: Session, telegram_id: int) -> None:
    """Keep the cluster's entries, drop who wrote or changed them (forget-me)."""
    models: tuple[tuple[type[SQLModel], str], ...] = (
        (ClusterEntry, "created_by"), (EntryChange, "changed_by"),
        (TaughtPhrasing, "added_by"), (HiddenEntry, "hidden_by"))
    for model, name in models:
        for row in session.exec(select(model).where(getattr(model, name) == telegram_id)).all():
            setattr(row, name, None)
            session.add(row)
