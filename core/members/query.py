"""Queries and hits of member matchmaking, and how a query covers the indexed profiles."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.members.keywords import keyword_terms


@dataclass(frozen=True)
class QueryTerm:
    """One understood piece of a query: its term (None: nobody uses it) and similarity."""

    term: str | None
    similarity: float
    text: str


@dataclass(frozen=True)
class Query:
    """A parsed query: comma-separated phrases, each a tuple of terms."""

    phrases: tuple[tuple[QueryTerm, ...], ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(q.term for p in self.phrases for q in p if q.term)

    @property
    def unknown(self) -> list[str]:
        return [q.text for p in self.phrases for q in p if q.term is None]


@dataclass(frozen=True)
class Hit:
    """One result: which profile, how well (0-100), and which of its keywords fitted."""

    profile_id: int
    score: int
    matched_offers: tuple[str, ...]
    matched_needs: tuple[str, ...]


def matching(labels: Iterable[str], terms: frozenset[str]) -> tuple[str, ...]:
    """The labels (a profile's own keywords) that some query term hit."""
    return tuple(label for label in labels if keyword_terms(label)[1] & terms)


def cover(postings: dict[str, dict[str, array]], size: int, query: Query,
          weights: dict[str, float], *, lenient: bool = False) -> np.ndarray:
    """Per slot, how well the query's phrases are covered (0..1): their mean, or with
    `lenient` half the best phrase and half the mean (a partner for one of my needs is
    already a good partner)."""
    total = np.zeros(size, dtype=np.float32)
    strongest = np.zeros(size, dtype=np.float32)
    best = np.zeros(size, dtype=np.float32)
    for phrase in query.phrases:
        phrase_total = np.zeros(size, dtype=np.float32)
        for query_term in phrase:
            if query_term.term is None:
                continue
            best.fill(0.0)
            for field, weight in weights.items():
                slots_of = postings[field].get(query_term.term)
                if slots_of:
                    slots = np.frombuffer(slots_of, dtype=np.int32)
                    best[slots] = np.maximum(best[slots], weight)
            phrase_total += best * query_term.similarity
        phrase_total /= len(phrase)
        total += phrase_total
        if lenient:
            np.maximum(strongest, phrase_total, out=strongest)
    if query.phrases:
        total /= len(query.phrases)
    return (total + strongest) / 2 if lenient else total
