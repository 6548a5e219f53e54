"""The question matcher's index over a knowledge base: phrasings, key weights, postings.

Every phrasing of an entry (title, questions and keywords, German and English) is analysed
into terms (knowledge.analysis); an entry's keys are its phrasings' keys, translations
included, so a German question finds an English-only entry and "Betrieb" meets
"Unternehmen" through their shared translation "company". Per key the index keeps
- its weight: the knowledge base's IDF (how few entries use it) times its general-language
  weight (how rare it is in everyday language), so neither a word every entry has
  ("Cluster") nor an everyday word ("machen") decides a match;
- its posting: the entries that have it and how strongly (1.0 own word, ~0.85 a translation,
  0.5 a compound part), for the first, vectorised scoring pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from knowledge.analysis import Analyser, Term, distinct_words
from knowledge.base import Entry, KnowledgeBase
from knowledge.language.function_words import OURS

NAME_FACTOR = 0.4  # a name's weight, relative to a word of the same rarity
DENSE_MAX_ENTRIES = 256
DENSE_MAX_CELLS = 2_000_000


class Postings(Mapping[str, tuple[np.ndarray, np.ndarray]]):
    """Per key, the entries that have it (ids) and how strongly (values): slices of two
    arrays sorted by key, so 10,000 entries' million postings are two arrays, not a
    hundred thousand small ones."""

    def __init__(self, keys: dict[str, int], offsets: list[int], ids: np.ndarray,
                 values: np.ndarray) -> None:
        self.numbers = keys  # key -> its number (position of its postings)
        self._keys = keys
        self._offsets = offsets
        self._ids = ids
        self._values = values

    def __getitem__(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        number = self._keys[key]
        start, stop = self._offsets[number], self._offsets[number + 1]
        return self._ids[start:stop], self._values[start:stop]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def number(self, key: str) -> int:
        """The key's number (the position of its postings), for array-based look-ups."""
        return self._keys[key]


_NO_POSTINGS = Postings({}, [0], np.zeros(0, dtype=np.int32), np.zeros(0))


@dataclass
class Index:
    entries: list[Entry]
    vocabulary: frozenset[str]  # folded words of the knowledge base
    surface: frozenset[str]  # word forms for typo repair
    # the phrasings' own keys (for fit), flat: phrasing p owns elements
    # phrasing_starts[p]:phrasing_starts[p + 1] of phrasing_keys (key numbers, see
    # Postings.number) and phrasing_weights, and weighs phrasing_totals[p]; entry e owns
    # phrasings entry_starts[e]:entry_starts[e + 1]
    phrasing_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    phrasing_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    phrasing_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    phrasing_totals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    entry_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    # for a small (dense) knowledge base the same elements by key: key k's phrasings are
    # key_phrasings[key_starts[k]:key_starts[k + 1]] with key_weights (the element's weight),
    # and phrasing_entry[p] is the entry of phrasing p — so a question touches only the
    # phrasings that share a key with it
    key_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    key_phrasings: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    key_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    phrasing_entry: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # a small knowledge base's postings as one matrix (key number x entry): a question's
    # keys are then one row look-up, not one small array operation each
    dense: np.ndarray | None = None
    idf: dict[str, float] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    postings: Postings = field(default_factory=lambda: _NO_POSTINGS)
    german_words: frozenset[str] = frozenset()
    english_words: frozenset[str] = frozenset()
    own: frozenset[str] = frozenset()  # lemma keys of the knowledge base's own words

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.idf)

    def key_weight(self, key: str) -> float:
        return self.idf.get(key, 0.0)


def phrasings_of(entry: Entry) -> list[tuple[str, str]]:
    """(language, text) of every phrasing of an entry."""
    texts: list[tuple[str, str]] = []
    for lang in ("de", "en"):
        texts.append((lang, entry.title.get(lang, "")))
        texts.extend((lang, text) for text in entry.questions.get(lang, ()))
        texts.extend((lang, text) for text in entry.keywords.get(lang, ()))
    return [(lang, text) for lang, text in texts if text.strip()]


def term_weight(term: Term, idf: dict[str, float], names: frozenset[str]) -> float:
    """How much a term of a phrasing or question says: IDF x general weight."""
    weight = idf.get(term.own, 0.0) or max((idf.get(k, 0.0) for k in term.keys), default=0.0)
    weight *= term.general
    return weight * NAME_FACTOR if term.own in names else weight


def build(knowledge: KnowledgeBase) -> Index:
    """The index of a knowledge base. Words, phrasings and terms repeat a lot (an entry's
    phrasings share most words, and an inflated test base repeats whole phrasings), so
    each distinct text is analysed once, each distinct word once (knowledge.analysis), and
    per entry each distinct term is counted once."""
    entries = list(knowledge.entries)
    texts = [(i, lang, text) for i, entry in enumerate(entries)
             for lang, text in phrasings_of(entry)]
    words_by_lang = {lang: distinct_words({text for _, of, text in texts if of == lang})
                     for lang in ("de", "en")}
    vocabulary = frozenset(words_by_lang["de"] | words_by_lang["en"])
    analyser = Analyser(vocabulary)
    cache: dict[str, list[Term]] = {}
    analysed: list[tuple[int, list[Term]]] = []
    for i, _, text in texts:
        terms = cache.get(text)
        if terms is None:
            terms = cache[text] = analyser.terms(text)
        if not entries[i].cluster_facts and any(term.own == OURS for term in terms):
            terms = [term for term in terms if term.own != OURS]  # "our network" in the talk
        analysed.append((i, terms))
    del cache
    entry_terms: list[dict[int, Term]] = [{} for _ in entries]
    for i, terms in analysed:
        distinct = entry_terms[i]
        for term in terms:
            distinct[id(term)] = term
    # per entry, the strongest strength of each key over its distinct terms, with numpy:
    # key numbers and strengths of every term once, then per entry a sort and a dedupe
    key_numbers: dict[str, int] = {}
    term_arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    all_terms: dict[int, Term] = {}
    entry_numbers: list[np.ndarray] = []
    entry_strengths: list[np.ndarray] = []
    for distinct in entry_terms:
        numbers_parts: list[np.ndarray] = []
        strength_parts: list[np.ndarray] = []
        for identity, term in distinct.items():
            arrays = term_arrays.get(identity)
            if arrays is None:
                own_numbers = [key_numbers.setdefault(key, len(key_numbers))
                               for key in term.keys]
                arrays = term_arrays[identity] = (
                    np.array(own_numbers, dtype=np.int64),
                    np.fromiter(term.keys.values(), dtype=np.float64, count=len(own_numbers)))
            numbers_parts.append(arrays[0])
            strength_parts.append(arrays[1])
        all_terms.update(distinct)
        if not numbers_parts:
            entry_numbers.append(np.zeros(0, dtype=np.int64))
            entry_strengths.append(np.zeros(0))
            continue
        keys = np.concatenate(numbers_parts)
        values = np.concatenate(strength_parts)
        order = np.lexsort((-values, keys))
        keys, values = keys[order], values[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        entry_numbers.append(keys[first])
        entry_strengths.append(values[first])
    del entry_terms, term_arrays
    count = max(len(entries), 1)
    numbers = np.concatenate(entry_numbers) if entry_numbers else np.zeros(0, dtype=np.int64)
    strengths = np.concatenate(entry_strengths) if entry_strengths else np.zeros(0)
    owners = np.repeat(np.arange(len(entries), dtype=np.int32),
                       [len(part) for part in entry_numbers])
    del entry_numbers, entry_strengths
    frequency = np.bincount(numbers, minlength=len(key_numbers))
    idf = dict(zip(key_numbers, np.log1p(count / np.maximum(frequency, 1)).tolist(),
                   strict=True))
    own_keys = {term.own for term in all_terms.values()}
    names = frozenset(term.own for term in all_terms.values() if term.name)
    weights = {identity: term_weight(term, idf, names) for identity, term in all_terms.items()}
    del all_terms
    index = Index(entries, vocabulary, frozenset(
        w for w in vocabulary if analyser.lemma(w) in own_keys), idf=idf, names=names,
        own=analyser.own)
    phrasings: dict[int, tuple[list[int], list[float], float]] = {}  # per term list
    flat_keys: list[int] = []
    flat_weights: list[float] = []
    starts = [0]
    totals: list[float] = []
    per_entry = [0] * len(entries)
    for i, terms in analysed:  # in entry order: an entry's phrasings are contiguous
        found = phrasings.get(id(terms))
        if found is None:
            own: dict[str, float] = {}
            for term in terms:
                weight = weights[id(term)]
                if weight > own.get(term.own, -1.0):
                    own[term.own] = weight
            found = phrasings[id(terms)] = (
                [key_numbers[key] for key in own], list(own.values()), sum(own.values()))
        if found[2] > 0:
            flat_keys.extend(found[0])
            flat_weights.extend(found[1])
            starts.append(len(flat_keys))
            totals.append(found[2])
            per_entry[i] += 1
    del phrasings, weights, analysed
    index.phrasing_keys = np.array(flat_keys, dtype=np.int32)
    index.phrasing_weights = np.array(flat_weights, dtype=np.float64)
    index.phrasing_starts = np.array(starts, dtype=np.int64)
    index.phrasing_totals = np.array(totals, dtype=np.float64)
    index.entry_starts = np.concatenate(([0], np.cumsum(per_entry))).astype(np.int64)
    order = np.argsort(numbers, kind="stable")  # by key, entries in order within a key
    offsets = np.concatenate(([0], np.cumsum(frequency))).tolist()
    index.postings = Postings(key_numbers, offsets, owners[order], strengths[order])
    if len(entries) <= DENSE_MAX_ENTRIES and len(key_numbers) * len(entries) <= DENSE_MAX_CELLS:
        index.dense = np.zeros((len(key_numbers), len(entries)))
        index.dense[numbers, owners] = strengths
        _invert_phrasings(index, len(key_numbers))  # small: the matcher goes by key
    index.german_words = frozenset(words_by_lang["de"] - words_by_lang["en"])
    index.english_words = frozenset(words_by_lang["en"] - words_by_lang["de"])
    return index


def _invert_phrasings(index: Index, key_count: int) -> None:
    """The phrasings' elements ordered by key (see Index.key_starts)."""
    lengths = np.diff(index.phrasing_starts)
    owners = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
    order = np.argsort(index.phrasing_keys, kind="stable")
    index.key_phrasings = owners[order]
    index.key_weights = index.phrasing_weights[order]
    counts = np.bincount(index.phrasing_keys, minlength=key_count)
    index.key_starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    index.phrasing_entry = np.repeat(np.arange(len(index.entry_starts) - 1, dtype=np.int32),
                                     np.diff(index.entry_starts))
