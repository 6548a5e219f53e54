"""The cluster's own entries beside the shipped talk content (#12).

The matcher is built from one `KnowledgeBase`; `combine` makes it from the shipped content,
the cluster's entries (plain records as the database keeps them), the phrasings managers
taught (missed questions attached to an entry) and the shipped entries the cluster hid.
`check_record` validates a cluster entry with the checks of `kb check`, with three
allowances that suit content written in the chat: the chapter defaults to the cluster's
own, the source to "cluster", and one language may be left out entirely (the answer then
comes in the other language with a note). Keywords are optional for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from knowledge.base import LANGUAGES, Chapter, Entry, KnowledgeBase, Problem, _parse_entry

CLUSTER_CHAPTER_ID = "cluster"
CLUSTER_CHAPTER = Chapter(CLUSTER_CHAPTER_ID, 0, {"de": "Unser Cluster", "en": "Our cluster"})
CLUSTER_SOURCE = "cluster"
CLUSTER_FILE = "cluster"  # Entry.file of cluster entries: they come from the database
MAX_TITLE_CHARS = 120
MAX_ANSWER_CHARS = 1500
MAX_PHRASING_CHARS = 300
MAX_PHRASINGS = 60
CONTENT_KEYS = ("title", "answer", "questions", "keywords")


@dataclass(frozen=True)
class ClusterRecord:
    """A cluster entry as stored: `content` has title/answer (de/en, one may be missing),
    questions/keywords (de/en lists) and related ids."""

    id: str
    chapter: str
    source: str
    content: Mapping[str, Any]

    def languages(self) -> tuple[str, ...]:
        answer = self.content.get("answer", {})
        return tuple(lang for lang in LANGUAGES if str(answer.get(lang, "")).strip())


@dataclass(frozen=True)
class Combined:
    """The knowledge base the bot answers from, and what it knows about cluster entries."""

    knowledge: KnowledgeBase
    languages: Mapping[str, tuple[str, ...]]  # cluster entry id -> languages written
    hidden: frozenset[str]

    def is_cluster_entry(self, entry_id: str) -> bool:
        return entry_id in self.languages


def to_entry(record: ClusterRecord) -> Entry:
    """The record as an `Entry`; a missing language shows the written one."""
    content = record.content
    written = record.languages() or LANGUAGES
    title = {lang: str(content.get("title", {}).get(lang, "")).strip() for lang in LANGUAGES}
    answer = {lang: str(content.get("answer", {}).get(lang, "")).strip() for lang in LANGUAGES}
    for lang in LANGUAGES:
        other = next(w for w in written if w != lang) if lang not in written else lang
        title[lang] = title[lang] or title[other]
        answer[lang] = answer[lang] or answer[other]

    def lists(key: str) -> dict[str, tuple[str, ...]]:
        table = content.get(key, {}) or {}
        return {lang: tuple(str(q) for q in table.get(lang, ()) if str(q).strip())
                for lang in LANGUAGES}

    return Entry(id=record.id, chapter=record.chapter or CLUSTER_CHAPTER_ID,
                 source=record.source or CLUSTER_SOURCE,
                 related=tuple(str(r) for r in content.get("related", ())),
                 title=title, questions=lists("questions"), keywords=lists("keywords"),
                 answer=answer, file=CLUSTER_FILE, cluster_facts=True)


def combine(shipped: KnowledgeBase, records: Iterable[ClusterRecord],
            phrasings: Iterable[tuple[str, str, str]], hidden: Iterable[str]) -> Combined:
    """Shipped plus cluster entries, taught (entry id, language, text) phrasings appended,
    hidden shipped entries left out; the cluster's chapter only when it has entries."""
    hidden_ids = frozenset(hidden)
    taught: dict[str, dict[str, list[str]]] = {}
    for entry_id, lang, text in phrasings:
        taught.setdefault(entry_id, {}).setdefault(lang, []).append(text)
    records = list(records)
    cluster = [to_entry(r) for r in records]
    shipped_ids = {e.id for e in shipped.entries}
    entries = [e for e in shipped.entries if e.id not in hidden_ids]
    entries += [e for e in cluster if e.id not in shipped_ids]
    if taught:
        entries = [_with_phrasings(e, taught[e.id]) if e.id in taught else e for e in entries]
    chapters = tuple(shipped.chapters)
    if any(e.chapter == CLUSTER_CHAPTER_ID for e in cluster):
        chapters = (CLUSTER_CHAPTER, *chapters)
    languages = {r.id: r.languages() for r in records}
    return Combined(KnowledgeBase(chapters, tuple(entries)), languages, hidden_ids)


def _with_phrasings(entry: Entry, extra: Mapping[str, list[str]]) -> Entry:
    questions = {lang: (*entry.questions.get(lang, ()), *extra.get(lang, ()))
                 for lang in LANGUAGES}
    return replace(entry, questions=questions, cluster_facts=True)


def check_record(raw: Mapping[str, Any], *, file: str, shipped: KnowledgeBase,
                 known_ids: Iterable[str] = ()) -> list[Problem]:
    """Every problem of one cluster entry (as TOML would give it), like `kb check`."""
    problems: list[Problem] = []
    entry_id = str(raw.get("id", ""))
    present = [lang for lang in LANGUAGES
               if any(isinstance(raw.get(key), dict) and lang in raw[key]
                      for key in ("title", "answer", "questions"))]
    if not present:
        problems.append(Problem(file, entry_id, "'title', 'answer' and 'questions' need a "
                                                "'de' or an 'en' version"))
        present = list(LANGUAGES)
    completed = dict(raw)
    completed.setdefault("source", CLUSTER_SOURCE)
    completed.setdefault("keywords", {})
    for key in CONTENT_KEYS:  # fill a language left out entirely, so only real gaps count
        table = completed.get(key)
        if isinstance(table, dict):
            fill = table.get(present[0], "" if key in ("title", "answer") else [])
            if key == "keywords" and not fill:
                fill = ["-"]
            completed[key] = {**{lang: fill for lang in LANGUAGES if lang not in present},
                              **table}
            if key == "keywords":  # optional for cluster entries
                completed[key] = {lang: completed[key].get(lang) or ["-"]
                                  for lang in LANGUAGES}
    parsed: list[Problem] = []
    _parse_entry(completed, file, parsed)
    filled = [lang for lang in LANGUAGES if lang not in present]  # reported once, not twice
    problems += [p for p in parsed
                 if not any(f".{lang}" in p.message or f"{lang!r}" in p.message
                            for lang in filled)]
    chapter = str(raw.get("chapter", CLUSTER_CHAPTER_ID))
    if chapter != CLUSTER_CHAPTER_ID and shipped.chapter(chapter) is None:
        problems.append(Problem(file, entry_id, f"unknown chapter {chapter!r}"))
    if shipped.get(entry_id) is not None:
        problems.append(Problem(file, entry_id, "id is taken by a shipped entry"))
    known = {e.id for e in shipped.entries} | set(known_ids)
    for related in raw.get("related", []) if isinstance(raw.get("related"), list) else []:
        if str(related) not in known:
            problems.append(Problem(file, entry_id, f"related id {related!r} does not exist"))
    problems += _length_problems(raw, file, entry_id)
    return problems


def _length_problems(raw: Mapping[str, Any], file: str, entry_id: str) -> list[Problem]:
    problems = []
    limits = {"title": MAX_TITLE_CHARS, "answer": MAX_ANSWER_CHARS}
    for key, limit in limits.items():
        table = raw.get(key)
        for lang, value in (table.items() if isinstance(table, dict) else ()):
            if isinstance(value, str) and len(value) > limit:
                problems.append(Problem(file, entry_id, f"'{key}.{lang}' has {len(value)} "
                                                        f"characters; keep it under {limit}"))
    for key in ("questions", "keywords"):
        table = raw.get(key)
        for lang, values in (table.items() if isinstance(table, dict) else ()):
            if isinstance(values, list) and len(values) > MAX_PHRASINGS:
                problems.append(Problem(file, entry_id, f"'{key}.{lang}' has {len(values)} "
                                                        f"items; at most {MAX_PHRASINGS}"))
            if isinstance(values, list) and any(
                    isinstance(v, str) and len(v) > MAX_PHRASING_CHARS for v in values):
                problems.append(Problem(file, entry_id, f"'{key}.{lang}' has an item over "
                                                        f"{MAX_PHRASING_CHARS} characters"))
    if str(raw.get("source", "")) and len(str(raw.get("source"))) > 200:
        problems.append(Problem(file, entry_id, "'source' is longer than 200 characters"))
    return problems


def record_from_raw(raw: Mapping[str, Any]) -> ClusterRecord:
    """A checked TOML entry as a record for the database."""
    content: dict[str, Any] = {}
    for key in CONTENT_KEYS:
        table = raw.get(key)
        if isinstance(table, dict):
            if key in ("title", "answer"):
                content[key] = {lang: str(v).strip() for lang, v in table.items()
                                if lang in LANGUAGES}
            else:
                content[key] = {lang: [str(q).strip() for q in v] for lang, v in table.items()
                                if lang in LANGUAGES and isinstance(v, list)}
    content["related"] = [str(r) for r in raw.get("related", [])]
    return ClusterRecord(str(raw["id"]), str(raw.get("chapter", CLUSTER_CHAPTER_ID)),
                         str(raw.get("source", CLUSTER_SOURCE)), content)
