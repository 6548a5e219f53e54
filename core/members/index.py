"""The in-process matchmaking index: which profiles use which terms, kept up to date.

Each profile gets a slot; each (field, term) an array of slots (an inverted index in
compact `array('i')` buffers that numpy reads without copying). Fields, by how strongly a
hit counts: their whole offer keyword (O), a word or concept inside one (OW), their needs
(N, NW) and the text of name, organisation, city and description (D).

A query is a list of phrases (comma-separated parts); a phrase is a list of terms. A
profile's score (0-100) is the mean over phrases of the mean over their terms of the best
field weight times the term's similarity (1.0, or the rapidfuzz ratio for a typo). Words
nobody uses count as misses, so the score stays honest.

Changes made in this process are applied at once (`upsert`, `remove`); changes from other
processes (a CSV import while the bot runs) are picked up by
`core.members.common.member_index`, which compares the profile table's stamp at most once a
second. An edited profile gets a new slot; its old slot is switched off, not reclaimed (a
restart compacts the index).
"""

from __future__ import annotations

import sys
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import numpy as np
from rapidfuzz import fuzz, process

from core.members.keywords import (
    MAX_NGRAM,
    Synonyms,
    fuzzy_cutoff,
    keyword_terms,
    keyword_words,
    split_keywords,
    stem_key,
    synonyms,
    words_terms,
)
from core.members.query import Hit, Query, QueryTerm, cover, matching
from knowledge.text import stem
from storage.community_profiles import IndexRow

# explicit keywords: their offers count most, then words in them, description, their needs
KEYWORD_WEIGHTS = {"O": 1.0, "OW": 0.8, "D": 0.45, "N": 0.35, "NW": 0.3}
NEEDS_WEIGHTS = {"O": 1.0, "OW": 0.8, "D": 0.45}  # my needs <-> their offers
OFFERS_WEIGHTS = {"N": 1.0, "NW": 0.8}  # my offers <-> their needs
NEEDS_SHARE, OFFERS_SHARE = 0.65, 0.35
MIN_SCORE = 10
FIELDS = ("O", "OW", "N", "NW", "D")
_EMPTY: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


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
        self._labels: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._slot_of: dict[int, int] = {}
        self._postings: dict[str, dict[str, array]] = {field: {} for field in FIELDS}
        self._seen_keywords: set[str] = set()
        self._single: dict[str, str] = {}  # folded word -> stem key (for typo look-ups)
        self._multi: dict[str, str] = {}  # folded words glued -> stem key
        for concept in self.synonyms.concepts.values():
            for spelling in concept.spellings:
                ws = keyword_words(spelling)
                (self._single if len(ws) == 1 else self._multi).setdefault(
                    "".join(ws), stem_key(ws))
        self._lists: dict[bool, list[str]] = {}
        self._label_counts: dict[str, Counter[str]] = {}
        self.stamp: tuple[int, datetime | None] = (0, None)
        self.checked_at = 0.0

    # ---------------------------------------------------------------- building
    def __len__(self) -> int:
        return len(self._slot_of)

    def _grow(self) -> None:
        capacity = len(self._profile_ids) * 2
        self._profile_ids = np.resize(self._profile_ids, capacity)
        self._owners = np.resize(self._owners, capacity)
        eligible = np.zeros(capacity, dtype=bool)
        eligible[: self.size] = self._eligible[: self.size]
        self._eligible = eligible
        self._bonus = np.resize(self._bonus, capacity)

    def _remember_surfaces(self, ws: list[str], *, whole: bool = True) -> None:
        """Note spellings for typo look-ups: the words, and (keywords) the glued whole."""
        single = self._single
        for word in ws:
            if word not in single and len(word) >= 5 and word.isalpha():
                single[word] = stem(word)
                self._lists.pop(False, None)
        if whole and len(ws) > 1:
            surface = "".join(ws)
            if surface not in self._multi:
                self._multi[surface] = stem_key(ws)
                self._lists.pop(True, None)

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
            offers = tuple(sys.intern(k) for k in row.offers)
            needs = tuple(sys.intern(k) for k in row.needs)
            for keywords, full_field, part_field in ((offers, "O", "OW"), (needs, "N", "NW")):
                fulls: set[str] = set()
                parts: set[str] = set()
                for keyword in keywords:
                    full, keyword_parts = keyword_terms(keyword)
                    if full is not None:
                        fulls.add(full)
                        if row.eligible:
                            counts = self._label_counts.get(full)
                            if counts is None:
                                counts = self._label_counts[full] = Counter()
                            counts[keyword] += 1
                    parts |= keyword_parts
                    if keyword not in self._seen_keywords:
                        self._seen_keywords.add(keyword)
                        self._remember_surfaces(keyword_words(keyword))
                self._post_all(full_field, fulls, slot)
                self._post_all(part_field, parts, slot)
            text_words = keyword_words(row.text)
            text = words_terms(text_words)
            self._post_all("D", text, slot)
            self._remember_surfaces(text_words, whole=False)
            self._labels.append((offers, needs) if row.eligible else _EMPTY)

    def _post_all(self, field: str, terms: Iterable[str], slot: int) -> None:
        postings = self._postings[field]
        for term in terms:
            slots = postings.get(term)
            if slots is None:
                slots = postings[term] = array("i")
            slots.append(slot)

    def remove(self, profile_id: int) -> None:
        with self._lock:
            self._remove(profile_id)

    def _remove(self, profile_id: int) -> None:
        slot = self._slot_of.pop(profile_id, None)
        if slot is None:
            return
        self._eligible[slot] = False
        for keyword in (*self._labels[slot][0], *self._labels[slot][1]):
            full = keyword_terms(keyword)[0]
            counts = self._label_counts.get(full or "")
            if counts is not None:
                counts[keyword] -= 1
                if counts[keyword] <= 0:
                    del counts[keyword]
        self._labels[slot] = _EMPTY

    # ---------------------------------------------------------------- parsing
    def _exact(self, key: str) -> str | None:
        concept = self.synonyms.by_key.get(key)
        if concept:
            return f"c:{concept}"
        term = f"k:{key}"
        postings = self._postings
        return term if term in postings["O"] or term in postings["N"] else None

    def _has_word(self, term: str) -> bool:
        postings = self._postings
        return term in postings["OW"] or term in postings["NW"] or term in postings["D"]

    def _fuzzy(self, surface: str, *, multi: bool) -> tuple[str, float] | None:
        cutoff = fuzzy_cutoff(surface)
        if cutoff is None:
            return None
        choices = self._lists.get(multi)
        if choices is None:
            choices = self._lists[multi] = list(self._multi if multi else self._single)
        found = process.extractOne(surface, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        if found is None:
            return None
        key = (self._multi if multi else self._single)[found[0]]
        term = self._exact(key) or (f"w:{key}" if self._has_word(f"w:{key}") else None)
        return (term, found[1] / 100) if term else None

    def _parse_words(self, ws: list[str]) -> tuple[QueryTerm, ...]:
        out: list[QueryTerm] = []
        i = 0
        while i < len(ws):
            step, found = 1, None
            for n in range(min(MAX_NGRAM, len(ws) - i), 1, -1):
                term = self._exact(stem_key(ws[i:i + n]))
                if term:
                    step, found = n, (term, 1.0)
                    break
            if found is None and i + 1 < len(ws):
                found = self._fuzzy("".join(ws[i:i + 2]), multi=True)
                step = 2 if found else 1
            if found is None:
                key = stem(ws[i])
                term = self._exact(key) or (f"w:{key}" if self._has_word(f"w:{key}") else None)
                found = (term, 1.0) if term else self._fuzzy(ws[i], multi=False)
            term, similarity = found if found else (None, 0.0)
            out.append(QueryTerm(term, similarity, " ".join(ws[i:i + step])))
            i += step
        return tuple(out)

    def parse(self, text: str) -> Query:
        """Understand a typed query: comma-separated phrases, typos and variants allowed."""
        with self._lock:
            phrases = [self._parse_words(keyword_words(part)) for part in split_keywords(text)]
        return Query(tuple(p for p in phrases if p))

    # ---------------------------------------------------------------- searching
    def _cover(self, query: Query, weights: dict[str, float], *, lenient: bool = False
               ) -> np.ndarray:
        return cover(self._postings, self.size, query, weights, lenient=lenient)

    def _rank(self, scores: np.ndarray, exclude_owner: int | None, limit: int) -> list[int]:
        size = self.size
        scores = scores * self._eligible[:size]
        if exclude_owner is not None:
            scores[self._owners[:size] == exclude_owner] = 0.0
        candidates = np.flatnonzero(scores >= MIN_SCORE / 100)
        if len(candidates) == 0:
            return []
        ranked = scores[candidates] + self._bonus[candidates]
        if len(candidates) > limit:
            keep = np.argpartition(-ranked, limit - 1)[:limit]
            candidates, ranked = candidates[keep], ranked[keep]
        order = np.lexsort((self._profile_ids[candidates], -ranked))
        return [int(slot) for slot in candidates[order]]

    def search(self, query: Query, *, exclude_owner: int | None = None, limit: int = 50
               ) -> list[Hit]:
        """Profiles that fit typed keywords, best first."""
        with self._lock:
            scores = self._cover(query, KEYWORD_WEIGHTS)
            slots = self._rank(scores, exclude_owner, limit)
            terms = query.terms
            return [Hit(int(self._profile_ids[s]), round(float(scores[s]) * 100),
                        matching(self._labels[s][0], terms),
                        matching(self._labels[s][1], terms)) for s in slots]

    def search_partners(self, needs: list[str], offers: list[str], *,
                        exclude_owner: int | None, limit: int = 50) -> list[Hit]:
        """Profiles whose offers fit my needs and whose needs fit my offers, best first."""
        need_query = Query(tuple(p for need in needs for p in self.parse(need).phrases))
        offer_query = Query(tuple(p for offer in offers for p in self.parse(offer).phrases))
        with self._lock:
            shares = 0.0
            scores = np.zeros(self.size, dtype=np.float32)
            if need_query.phrases:
                scores += NEEDS_SHARE * self._cover(need_query, NEEDS_WEIGHTS, lenient=True)
                shares += NEEDS_SHARE
            if offer_query.phrases:
                scores += OFFERS_SHARE * self._cover(offer_query, OFFERS_WEIGHTS, lenient=True)
                shares += OFFERS_SHARE
            if shares == 0:
                return []
            scores /= shares
            slots = self._rank(scores, exclude_owner, limit)
            return [Hit(int(self._profile_ids[s]), round(float(scores[s]) * 100),
                        matching(self._labels[s][0], need_query.terms),
                        matching(self._labels[s][1], offer_query.terms)) for s in slots]

    # ---------------------------------------------------------------- suggestions
    def suggest(self, keyword: str, lang: str) -> str | None:
        """A keyword already used in the cluster that the typed one probably means, or None.

        Same concept or same stems ("logistic" -> "Logistik"), or a close spelling
        ("Logistk" -> "Logistik"); None when the typed keyword is already in use or is a
        label of the synonym table.
        """
        surface = "".join(keyword_words(keyword))
        if not surface:
            return None
        with self._lock:
            used = {"".join(keyword_words(label)): label
                    for counts in self._label_counts.values() for label in counts}
            if surface in used:
                return None
            full = keyword_terms(keyword)[0] or ""
            concept = self.synonyms.concepts.get(full[2:]) if full.startswith("c:") else None
            if concept is not None:
                labels = {"".join(keyword_words(label)) for label in concept.label.values()}
                if surface in labels:
                    return None
            counts = self._label_counts.get(full)
            if counts:
                return counts.most_common(1)[0][0]
            if concept is not None:
                return self.synonyms.label(concept.id, lang)
            cutoff = fuzzy_cutoff(surface)
            if cutoff is None:  # short words: only swapped letters ("RFDI" -> "RFID")
                letters = sorted(surface)
                return next((label for known, label in used.items()
                             if len(surface) >= 3 and sorted(known) == letters), None)
            found = process.extractOne(surface, list(used), scorer=fuzz.ratio,
                                       score_cutoff=cutoff)
            return used[found[0]] if found else None
