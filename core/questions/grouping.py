"""Missed questions grouped by similarity, for the review queue (#12).

Two questions belong together when they share at least half of the content words of the
longer one (folded, lemmatised, function words left out: the language layer's) —
"Wie hoch ist unser Mitgliedsbeitrag?" and "Was kostet der Mitgliedsbeitrag?" share
"mitgliedsbeitrag", but "Wo parke ich beim Technologiezentrum?" and "Wann öffnet die
Geschäftsstelle im Technologiezentrum?" are two questions. Each question is compared only
with group leads that share a word (an inverted index), words shared by very many groups
say nothing and are skipped, and a text's words are worked out once per process (the
queue is grouped again on every press), so 10,000 questions group in about 100 ms
(bench/bench_teaching.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from knowledge.language.folding import words
from knowledge.language.function_words import FUNCTION_WORDS
from knowledge.language.lemmas import lemma
from storage.questions.unanswered import MissRow

MIN_SHARE = 0.5
COMMON_POSTINGS = 200  # a word leading this many groups tells none apart


@dataclass
class MissGroup:
    """Similar missed questions: the newest leads, `rows` are all (newest first)."""

    rows: list[MissRow] = field(default_factory=list)

    @property
    def lead(self) -> MissRow:
        return self.rows[0]

    @property
    def times(self) -> int:
        return sum(row.times for row in self.rows)

    @property
    def last_asked(self) -> datetime:
        return max(row.last_asked for row in self.rows)

    @property
    def answered_with(self) -> str | None:
        return next((row.answered_with for row in self.rows if row.answered_with), None)

    @property
    def best_topics(self) -> list[str]:
        seen: list[str] = []
        for row in self.rows:
            for topic in (row.answered_with, row.best_topic):
                if topic and topic not in seen:
                    seen.append(topic)
        return seen


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    return lemma(word)


@lru_cache(maxsize=50_000)  # the queue is grouped again on every press: texts repeat
def signature(text: str) -> frozenset[str]:
    """The content words of a question as lemma keys."""
    found = {_lemma(w) for w in words(text) if w not in FUNCTION_WORDS and len(w) > 2}
    return frozenset(found or {w for w in words(text)})


def group_misses(rows: list[MissRow]) -> list[MissGroup]:
    """Groups of similar questions, the group with the newest question first."""
    groups: list[MissGroup] = []
    leads: list[frozenset[str]] = []
    postings: dict[str, list[int]] = {}
    for row in rows:
        sig = signature(row.text)
        counts: dict[int, int] = {}
        for word in sig:
            posting = postings.get(word)
            if posting is None or len(posting) > COMMON_POSTINGS:
                continue
            for number in posting:
                counts[number] = counts.get(number, 0) + 1
        best, best_share = -1, 0.0
        for number, shared in counts.items():
            share = shared / max(1, len(sig), len(leads[number]))
            if share >= MIN_SHARE and share > best_share:
                best, best_share = number, share
        if best >= 0:
            groups[best].rows.append(row)
            continue
        groups.append(MissGroup([row]))
        leads.append(sig)
        for word in sig:
            postings.setdefault(word, []).append(len(groups) - 1)
    return groups


def find_group(groups: list[MissGroup], first_id: int) -> MissGroup | None:
    """The group a button names by its lead's id — or that now holds that question."""
    for group in groups:
        if group.lead.first_id == first_id:
            return group
    return next((g for g in groups if any(r.first_id == first_id for r in g.rows)), None)
