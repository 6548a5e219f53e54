"""Near-duplicate statements, proposed for merging (the manager decides; nothing merges
by itself).

Two statements of the same step and SWOT field are proposed when either
- they read almost alike in one language: rapidfuzz's ratio on folded text with its words sorted
  (so word order, case, umlaut spelling, punctuation and small typos do not matter; rapidfuzz 3
  does no preprocessing unless asked, so folding is explicit), score >= FUZZY_CUTOFF; or
- they say the same across German and English: each content word is read as its
  language-neutral keys (lemma, translations, compound parts: knowledge.language), and most
  words of each statement find a key of the other (COVERAGE).
The cross-language test counts, for every pair at once, how many words of one statement
find a key in the other (a word-by-statement table summed with numpy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.language import fold, is_function_word, weighted_concepts, words

FUZZY_CUTOFF = 85.0
COVERAGE = 0.6
KEY_WEIGHT = 0.4  # keys lighter than this (odd dictionary senses) are not used
COMMON_SHARE = 0.3  # a key in more than this share of a field's statements says nothing
MIN_WORDS_MATCHED = 2


@dataclass(frozen=True)
class Statement:
    """What the merging needs of a contribution."""

    id: int
    text: str
    bucket: str  # statements are compared only within a bucket (step and SWOT field)


@dataclass(frozen=True)
class Proposal:
    """Merge `duplicate` into `keep` (the older one), with how alike they are (0-100)."""

    keep: int
    duplicate: int
    score: int


def folded(text: str) -> str:
    return " ".join(words(fold(text)))


@lru_cache(maxsize=50_000)
def word_keys(word: str) -> frozenset[str]:
    """A content word's language-neutral keys."""
    return frozenset(key for key, weight in weighted_concepts(word).items()
                     if weight >= KEY_WEIGHT) | {word}


def content_words(text: str) -> list[str]:
    return [w for w in words(fold(text)) if len(w) > 2 and not is_function_word(w)]


def _fuzzy_pairs(group: Sequence[Statement]) -> dict[tuple[int, int], float]:
    # words sorted once per statement, then the plain (fast, bounded) Indel ratio: the
    # same result as token_sort_ratio without re-tokenising every pair
    texts = [" ".join(sorted(folded(s.text).split())) for s in group]
    matrix = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                           dtype="uint8")
    found: dict[tuple[int, int], float] = {}
    for i, j in zip(*matrix.nonzero(), strict=True):
        if i < j:
            found[(int(i), int(j))] = float(matrix[i, j])
    return found


def _concept_pairs(group: Sequence[Statement]) -> dict[tuple[int, int], float]:
    """Pairs whose words cover each other through shared keys, with the coverage 0-100.

    For each distinct word, a row over the group's statements says which of them contain
    one of its keys (keys in more than COMMON_SHARE of the statements are left out); a
    statement's row of matched words is the sum of its words' rows (numpy), so the cost is
    words times statements, not pairs times words."""
    tokens = [content_words(s.text) for s in group]
    size = len(group)
    postings: dict[str, set[int]] = defaultdict(set)
    for index, found in enumerate(tokens):
        for word in found:
            for key in word_keys(word):
                postings[key].add(index)
    too_common = max(3, int(size * COMMON_SHARE))
    distinct = sorted({word for found in tokens for word in found})
    row_of = {word: n for n, word in enumerate(distinct)}
    contains = np.zeros((len(distinct), size), dtype=np.int16)
    for word, row in row_of.items():
        for key in word_keys(word):
            posting = postings[key]
            if len(posting) <= too_common:
                contains[row, list(posting)] = 1
    matched = np.zeros((size, size), dtype=np.int16)
    for index, found in enumerate(tokens):
        if found:
            matched[index] = contains[[row_of[w] for w in found]].sum(axis=0)
    lengths = np.array([len(found) for found in tokens], dtype=np.float32)
    both = matched + matched.T
    totals = lengths[:, None] + lengths[None, :]
    coverage = np.divide(both, totals, out=np.zeros_like(totals), where=totals > 0)
    good = np.triu((coverage >= COVERAGE) & (both >= 2 * MIN_WORDS_MATCHED), k=1)
    return {(int(i), int(j)): 100.0 * float(coverage[i, j]) for i, j in zip(*good.nonzero(),
                                                                          strict=True)}


def proposals(statements: Iterable[Statement], *, limit: int = 50) -> list[Proposal]:
    """Merging proposals, most alike first; each statement is proposed as duplicate once."""
    buckets: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        buckets[statement.bucket].append(statement)
    scored: list[Proposal] = []
    for group in buckets.values():
        group.sort(key=lambda s: s.id)
        if len(group) < 2:
            continue
        pairs = _fuzzy_pairs(group)
        for pair, score in _concept_pairs(group).items():
            pairs[pair] = max(score, pairs.get(pair, 0.0))
        scored.extend(Proposal(group[i].id, group[j].id, round(score))
                      for (i, j), score in pairs.items())
    scored.sort(key=lambda p: (-p.score, p.keep, p.duplicate))
    taken: set[int] = set()
    chosen: list[Proposal] = []
    for proposal in scored:
        if proposal.duplicate in taken or proposal.keep in taken:
            continue
        taken.add(proposal.duplicate)
        chosen.append(proposal)
        if len(chosen) >= limit:
            break
    return chosen
