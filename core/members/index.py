"""The in-process matchmaking index: which profiles use which terms, kept up to date.

Each profile gets a slot. Its keywords and the words of its text are *units* (units.py):
every distinct keyword is expanded into concepts once, whoever uses it. Per field — their
offers (O), their needs (N), their name, organisation, city and description (D) — each unit
has an array of the slots using it (compact `array('i')` buffers that numpy reads without
copying). A query term's concepts give the units it fits (with an affinity 0-1); the slots
of those units, times the field's weight, give each profile's score (query.py). Scores are
0-100; below MIN_SCORE (MIN_PARTNER_SCORE for a profile's own needs and offers) nobody is
shown, so "no good match" is an ordinary result.

A whole cluster is indexed in bulk (`built`, bulk.py): each distinct keyword and each
distinct chunk of text is analysed once, and the postings are sorted into place with numpy
instead of appended slot by slot; at start the index is read from its snapshot instead
(snapshot.py). Changes made in this process are applied at once (`upsert`,
`remove`); changes from other processes (a CSV import while the bot runs) are picked up by
`core.members.common.member_index`, which compares the profile table's stamp at most once a
second. An edited profile gets a new slot; its old slot is switched off, not reclaimed (the
saved snapshot, snapshot.py, is compacted).
"""

from __future__ import annotations

import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

import numpy as np

from core.members.bulk import EMPTY_LABELS, FIELDS, IndexParts, Labels, build_parts
from core.members.keywords import (
    Synonyms,
    content_words,
    keyword_words,
    split_keywords,
    synonyms,
)
from core.members.parsing import PhraseReader
from core.members.query import (
    FIELD_MIN_FIT,
    Hit,
    Phrase,
    Postings,
    Query,
    Ranking,
    Reason,
    cover,
)
from core.members.reasons import SHOWN, reasons_for
from core.members.suggest import suggestion
from core.members.units import UnitTable
from storage.members.matchmaking import IndexRow, IndexStamp, micros

# typed keywords: their offers count most, then their description, then their needs
KEYWORD_WEIGHTS = {"O": 1.0, "D": 0.45, "N": 0.8}
NEEDS_WEIGHTS = {"O": 1.0, "D": 0.45}  # my needs <-> their offers
OFFERS_WEIGHTS = {"N": 1.0}  # my offers <-> their needs
# without keywords, the better direction counts, and both directions together more: a
# partner whose offers fit my needs and whose needs fit my offers ranks first, but one who
# only needs what I offer (or only offers what I need) is found just as well
BOTH_WAYS = 0.4
OFFERS_DIRECTION = 0.8  # what I need comes first: someone needing my offer counts 0.8
MIN_SCORE = 24  # typed keywords: chosen on the dev set's tune split (bench_match_quality.py)
MIN_PARTNER_SCORE = 15  # my profile's needs and offers (one direction counts 0.8 at most)
_EMPTY = EMPTY_LABELS
T = TypeVar("T")


class MemberIndex:
    """Inverted index over profiles; search, typo-tolerant parsing and keyword suggestions."""

    def __init__(self, table: Synonyms | None = None) -> None:
        self.synonyms = table or synonyms()
        self._lock = threading.RLock()
        self.size = 0
        capacity = 1024
        self._profile_ids = np.zeros(capacity, dtype=np.int64)
        self._owners = np.full(capacity, -1, dtype=np.int64)
        self._eligible = np.zeros(capacity, dtype=bool)
        self._bonus = np.zeros(capacity, dtype=np.float32)
        self._changed = np.zeros(capacity, dtype=np.int64)  # updated_at in µs (micros)
        self._labels: list[Labels] = []
        self._slot_of: dict[int, int] = {}
        self.units = UnitTable(self.synonyms.words)
        self._postings: Postings = {name: [] for name in FIELDS}
        self._label_counts: dict[int, Counter[str]] = {}  # unit -> its spellings in use
        self._reader = PhraseReader(self.units)
        self.stamp: IndexStamp | None = None
        self.checked_at = 0.0

    # ---------------------------------------------------------------- building
    def __len__(self) -> int:
        return len(self._slot_of)

    @classmethod
    def built(cls, rows: Iterable[IndexRow], table: Synonyms | None = None) -> MemberIndex:
        """An index of these rows, built in bulk (bulk.py)."""
        index = cls(table)
        index.adopt(build_parts(rows, index.units))
        return index

    def adopt(self, parts: IndexParts) -> None:
        """Hold these contents (built in bulk or read from a snapshot) from now on."""
        with self._lock:
            size = self.size = len(parts.profile_ids)
            capacity = max(1024, size)
            self._profile_ids = _padded(parts.profile_ids, capacity)
            self._owners = _padded(parts.owners, capacity, -1)
            self._eligible = _padded(parts.eligible, capacity)
            self._bonus = _padded(parts.bonus, capacity)
            self._changed = _padded(parts.changed, capacity)
            self._labels, self._slot_of = parts.labels, parts.slot_of
            self._postings, self._label_counts = parts.postings, parts.label_counts
            self.units = parts.units
            self._reader = PhraseReader(self.units)

    def export(self, convert: Callable[[IndexParts], T]) -> T:
        """`convert` applied to the current contents while no change can happen (the parts
        are the index's own, not copies: `convert` must not keep them)."""
        with self._lock:
            size = self.size
            return convert(IndexParts(
                self.units, self._profile_ids[:size], self._owners[:size],
                self._eligible[:size], self._bonus[:size], self._changed[:size],
                self._labels, self._postings, self._label_counts, self._slot_of))

    def _grow(self) -> None:
        capacity = len(self._profile_ids) * 2
        self._profile_ids = np.resize(self._profile_ids, capacity)
        self._owners = np.resize(self._owners, capacity)
        eligible = np.zeros(capacity, dtype=bool)
        eligible[: self.size] = self._eligible[: self.size]
        self._eligible = eligible
        self._bonus = np.resize(self._bonus, capacity)
        self._changed = np.resize(self._changed, capacity)

    def upsert(self, row: IndexRow) -> None:
        """Add a profile, replacing its earlier version."""
        with self._lock:
            self._remove(row.profile_id)
            if self.size == len(self._profile_ids):
                self._grow()
            slot = self.size
            self.size += 1
            self._slot_of[row.profile_id] = slot
            self._profile_ids[slot] = row.profile_id
            self._owners[slot] = row.owner if row.owner is not None else -1
            self._eligible[slot] = row.eligible
            self._bonus[slot] = 0.001 / (1 + len(row.offers) + len(row.needs))
            self._changed[slot] = micros(row.updated_at)
            offers = tuple(sys.intern(k) for k in row.offers)
            needs = tuple(sys.intern(k) for k in row.needs)
            for keywords, name in ((offers, "O"), (needs, "N")):
                units: set[int] = set()
                for keyword in keywords:
                    unit = self._keyword_unit(keyword)
                    if unit is None:
                        continue
                    units.add(unit)
                    if row.eligible:
                        counts = self._label_counts.get(unit)
                        if counts is None:
                            counts = self._label_counts[unit] = Counter()
                        counts[keyword] += 1
                self._post(name, units, slot)
            self._post("D", self._text_units(row.text), slot)
            self._labels.append((offers, needs) if row.eligible else _EMPTY)

    def _keyword_unit(self, keyword: str) -> int | None:
        folded = keyword_words(keyword)
        return self.units.unit(folded) if folded else None

    def _text_units(self, text: str) -> set[int]:
        """Units of a profile's text: each content word (numbers, years and ids left out)."""
        unit = self.units.unit
        return {unit((word,)) for word in content_words(text) if not word.isdigit()}

    def _post(self, name: str, units: set[int], slot: int) -> None:
        lists = self._postings[name]
        missing = len(self.units) - len(lists)
        if missing > 0:
            lists.extend([None] * missing)
        for unit in units:
            slots = lists[unit]
            if slots is None:
                slots = lists[unit] = array("i")
            slots.append(slot)

    def remove(self, profile_id: int) -> None:
        """Take a profile out of matchmaking."""
        with self._lock:
            self._remove(profile_id)

    def _remove(self, profile_id: int) -> None:
        slot = self._slot_of.pop(profile_id, None)
        if slot is None:
            return
        self._eligible[slot] = False
        for keyword in (*self._labels[slot][0], *self._labels[slot][1]):
            unit = self.units.find(keyword_words(keyword))
            counts = self._label_counts.get(unit) if unit is not None else None
            if counts is not None:
                counts[keyword] -= 1
                if counts[keyword] <= 0:
                    del counts[keyword]
        self._labels[slot] = _EMPTY

    # ---------------------------------------------------------------- parsing
    def parse(self, text: str) -> Query:
        """Understand a typed query: comma-separated phrases, typos and variants allowed."""
        with self._lock:
            return self._reader.query(split_keywords(text))

    # ---------------------------------------------------------------- searching
    def _rank(self, scores: np.ndarray, exclude_owner: int | None, limit: int, *,
              partners: bool = False) -> list[int]:
        size = self.size
        scores = scores * self._eligible[:size]
        if exclude_owner is not None:
            scores[self._owners[:size] == exclude_owner] = 0.0
        least = MIN_PARTNER_SCORE if partners else MIN_SCORE
        candidates = np.flatnonzero(scores >= least / 100)
        if len(candidates) == 0:
            return []
        ranked = scores[candidates] + self._bonus[candidates]
        if len(candidates) > limit:
            keep = np.argpartition(-ranked, limit - 1)[:limit]
            candidates, ranked = candidates[keep], ranked[keep]
        order = np.lexsort((self._profile_ids[candidates], -ranked))
        return [int(slot) for slot in candidates[order]]

    def search(self, query: Query, *, exclude_owner: int | None = None, limit: int = 50
               ) -> Ranking:
        """Profiles that fit typed keywords, best first."""
        with self._lock:
            scores = cover(self._postings, self.size, query.phrases, KEYWORD_WEIGHTS)
            slots = self._rank(scores, exclude_owner, limit)
            return Ranking(self._hits(slots, scores), query.phrases, query.phrases)

    def search_partners(self, needs: list[str], offers: list[str], *,
                        exclude_owner: int | None, limit: int = 50) -> Ranking:
        """Profiles whose offers fit my needs or whose needs fit my offers, best first."""
        with self._lock:
            need_phrases = self._reader.phrases(needs)
            offer_phrases = self._reader.phrases(offers)
            if not (need_phrases or offer_phrases):
                return Ranking([])
            zero = np.zeros(self.size, dtype=np.float32)
            for_needs = (cover(self._postings, self.size, need_phrases, NEEDS_WEIGHTS,
                               lenient=True) if need_phrases else zero)
            for_offers = (cover(self._postings, self.size, offer_phrases, OFFERS_WEIGHTS,
                                lenient=True) if offer_phrases else zero)
            for_offers = for_offers * OFFERS_DIRECTION
            scores = (np.maximum(for_needs, for_offers) * (1 - BOTH_WAYS)
                      + (for_needs + for_offers) * (BOTH_WAYS / 2))
            slots = self._rank(scores, exclude_owner, limit, partners=True)
            return Ranking(self._hits(slots, scores), need_phrases, offer_phrases)

    def _hits(self, slots: list[int], scores: np.ndarray) -> list[Hit]:
        return [Hit(int(self._profile_ids[s]), round(float(scores[s]) * 100)) for s in slots]

    def explain(self, ranking: Ranking, hits: list[Hit]) -> list[Hit]:
        """The hits with their reasons: which of their keywords fit which phrase."""
        cache: dict[int, dict[int, float]] = {}
        explained: list[Hit] = []
        with self._lock:
            for hit in hits:
                slot = self._slot_of.get(hit.profile_id)
                if slot is None:
                    explained.append(hit)
                    continue
                offers, needs = self._labels[slot]
                reasons = reasons_for(self.units, offers, needs, ranking.for_offers,
                                      ranking.for_needs, cache)
                if not reasons or reasons[0].fit < SHOWN:  # their text may say more
                    reasons = self._text_reasons(slot, ranking.for_offers) or reasons
                explained.append(replace(hit, reasons=reasons))
        return explained

    def _text_reasons(self, slot: int, phrases: tuple[Phrase, ...]) -> tuple[Reason, ...]:
        """Why a profile fits through its text only: the best-fitting words of it."""
        lists = self._postings["D"]
        best: Reason | None = None
        for phrase in phrases:
            for term in phrase.terms:
                for unit, fit in zip(term.units.tolist(), term.fits.tolist(), strict=True):
                    slots = lists[unit] if unit < len(lists) else None
                    if (not slots or fit < FIELD_MIN_FIT["D"]
                            or (best is not None and fit <= best.fit)):
                        continue
                    found = np.frombuffer(slots, dtype=np.int32)
                    at = int(np.searchsorted(found, slot))
                    if at < len(found) and found[at] == slot:
                        best = Reason(phrase.text, " ".join(self.units.words[unit]), "text",
                                      fit)
        return (best,) if best else ()

    # ---------------------------------------------------------------- suggestions
    def suggest(self, keyword: str, lang: str) -> str | None:
        """A keyword already used in the cluster that the typed one probably means, or None.

        Same meaning ("logistic" -> "Logistik", "heat pumps" -> "Wärmepumpen") or a close
        spelling ("Logistk" -> "Logistik"); None when the typed keyword is already in use.
        """
        with self._lock:
            return suggestion(self.units, self._label_counts, self.synonyms, keyword, lang)


def _padded(values: np.ndarray, capacity: int, fill: int = 0) -> np.ndarray:
    column = np.full(capacity, fill, dtype=values.dtype)
    column[: len(values)] = values
    return column
