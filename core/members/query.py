"""Queries and hits of member matchmaking, and how a query covers the indexed profiles.

A query is a list of phrases (the comma-separated parts of what was typed, or the keywords
of a profile). A phrase is scored per profile in two ways and the better counts: as a whole
(its concepts against the profile's units) and word by word (the mean over its words,
weighted by how much each word says, of each word's best fit anywhere in the profile), so
"heat pump controls" fits "Wärmepumpen" as a whole and "RFID Blockchain" half fits a
profile with RFID. A unit's fit is multiplied by its field's weight (their offers count
more than their needs or their description).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from core.members.concepts import Concepts


@dataclass(frozen=True)
class Term:
    """A word or a whole phrase of a query, with the index units it fits."""

    text: str  # the folded words it stands for (after typo repair)
    concepts: Concepts
    weight: float
    units: np.ndarray = field(repr=False, compare=False)  # unit ids (int32)
    fits: np.ndarray = field(repr=False, compare=False)  # their affinity (float32)


@dataclass(frozen=True)
class Phrase:
    """One typed phrase or profile keyword: as a whole and word by word."""

    text: str
    whole: Term
    words: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        return (self.whole, *self.words)


@dataclass(frozen=True)
class Query:
    """A parsed query: its phrases, and the typed words nobody in the cluster uses."""

    phrases: tuple[Phrase, ...]
    unknown: tuple[str, ...] = ()

    @property
    def nothing_known(self) -> bool:
        """Nobody in the cluster uses any of the typed words."""
        return all(len(term.units) == 0 for phrase in self.phrases for term in phrase.terms)


@dataclass(frozen=True)
class Reason:
    """Why a profile fits: my phrase (typed, or my keyword) ~ their keyword or text."""

    mine: str
    theirs: str  # their keyword as they wrote it; for side "text" the folded words
    side: str  # "offer", "need" or "text"
    fit: float


@dataclass(frozen=True)
class Hit:
    """One result: which profile, how well (0-100), and (once explained) why."""

    profile_id: int
    score: int
    reasons: tuple[Reason, ...] = ()

    @property
    def matched_offers(self) -> tuple[str, ...]:
        """Their offers that fit (after `MemberIndex.explain`)."""
        return tuple(dict.fromkeys(r.theirs for r in self.reasons if r.side == "offer"))

    @property
    def matched_needs(self) -> tuple[str, ...]:
        """Their needs that fit (after `MemberIndex.explain`)."""
        return tuple(dict.fromkeys(r.theirs for r in self.reasons if r.side == "need"))


@dataclass(frozen=True)
class Ranking:
    """Hits best first, and the phrases that explain their offers and their needs."""

    hits: list[Hit]
    for_offers: tuple[Phrase, ...] = ()
    for_needs: tuple[Phrase, ...] = ()


Postings = dict[str, list[array | None]]  # field -> unit id -> slots
# a profile's text counts only for what it says outright (a word or its translation), not
# for a shared compound part: descriptions are long and would fit everything a little
FIELD_MIN_FIT = {"D": 0.7}
BEST_SHARE = 0.7  # lenient cover: the best phrase's share


def term_scores(postings: Postings, size: int, term: Term, weights: dict[str, float]
                ) -> np.ndarray:
    """Per slot, the term's best fit over the weighted fields (0..1)."""
    out = np.zeros(size, dtype=np.float32)
    if len(term.units) == 0:
        return out
    pieces: list[np.ndarray] = []
    values: list[float] = []
    counts: list[int] = []
    units = term.units.tolist()
    fits = term.fits.tolist()
    for name, weight in weights.items():
        lists = postings[name]
        known = len(lists)
        least = FIELD_MIN_FIT.get(name, 0.0)
        for unit, fit in zip(units, fits, strict=True):
            slots = lists[unit] if unit < known and fit >= least else None
            if slots:
                pieces.append(np.frombuffer(slots, dtype=np.int32))
                values.append(fit * weight)
                counts.append(len(slots))
    if pieces:
        np.maximum.at(out, np.concatenate(pieces),
                      np.repeat(np.asarray(values, dtype=np.float32), counts))
    return out


def phrase_scores(postings: Postings, size: int, phrase: Phrase, weights: dict[str, float]
                  ) -> np.ndarray:
    """Per slot, how well one phrase is covered: as a whole or word by word."""
    best = term_scores(postings, size, phrase.whole, weights)
    if phrase.words:
        total = sum(term.weight for term in phrase.words) or 1.0
        covered = np.zeros(size, dtype=np.float32)
        for term in phrase.words:
            covered += term_scores(postings, size, term, weights) * (term.weight / total)
        np.maximum(best, covered, out=best)
    return best


def cover(postings: Postings, size: int, phrases: Sequence[Phrase], weights: dict[str, float],
          *, lenient: bool = False) -> np.ndarray:
    """Per slot, how well the phrases are covered (0..1): their mean, or with `lenient`
    mostly the best phrase and a little the mean (a partner for one of my needs is already
    a good partner; one for several is better)."""
    total = np.zeros(size, dtype=np.float32)
    strongest = np.zeros(size, dtype=np.float32)
    for phrase in phrases:
        scores = phrase_scores(postings, size, phrase, weights)
        total += scores
        if lenient:
            np.maximum(strongest, scores, out=strongest)
    if phrases:
        total /= len(phrases)
    return BEST_SHARE * strongest + (1 - BEST_SHARE) * total if lenient else total
