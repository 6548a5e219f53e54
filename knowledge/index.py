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
The phrasings are analysed all at once (knowledge.batch: each distinct word once) and the
postings and phrasings put together as arrays, so 10,000 entries build in seconds, not a
minute; the index is the same as analysing phrasing by phrasing (tests/knowledge/test_index.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from typing import Any

import numpy as np

from knowledge.analysis import Analyser, Term
from knowledge.base import Entry, KnowledgeBase
from knowledge.batch import Batch, analyse_texts, content_words, cut, numbering, ranges
from knowledge.language.function_words import OURS

NAME_FACTOR = 0.4  # a name's weight, relative to a word of the same rarity
DENSE_MAX_ENTRIES = 256
DENSE_MAX_CELLS = 2_000_000
HEAVY_SHARE = 8  # a key of more than an eighth of the entries gets a dense row
HEAVY_MAX_CELLS = 16_000_000  # ranks in all dense rows (2 bytes each)


class Postings(Mapping[str, tuple[np.ndarray, np.ndarray]]):
    """Per key, the entries that have it (ids) and how strongly (values): slices of two
    arrays sorted by key, so 10,000 entries' million postings are two arrays, not a
    hundred thousand small ones.

    A value is kept as its rank in `strengths`, the few thousand distinct strengths (rank
    0: none): the matcher scales that table once per key and looks each posting up, and a
    posting takes 2 bytes, not 8. The heaviest keys of a large knowledge base (more than
    1/HEAVY_SHARE of the entries) also have a dense row of ranks, one per entry: adding a
    whole row in one pass costs less than a posting at a time (`row`)."""

    def __init__(self, keys: dict[str, int], offsets: list[int], ids: np.ndarray,
                 ranks: np.ndarray, strengths: np.ndarray) -> None:
        self.numbers = keys  # key -> its number (position of its postings)
        self.strengths = strengths  # rank -> strength; strengths[0] == 0
        self._keys = keys
        self._offsets = offsets
        self._ids = ids
        self._ranks = ranks
        self._rows: dict[int, np.ndarray] = {}  # key number -> ranks per entry

    def __getitem__(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        ids, ranks = self.ranked(key)
        return ids, self.strengths[ranks]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def number(self, key: str) -> int:
        """The key's number (the position of its postings), for array-based look-ups."""
        return self._keys[key]

    def ranked(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """The key's entries and their strengths' ranks."""
        number = self._keys[key]
        start, stop = self._offsets[number], self._offsets[number + 1]
        return self._ids[start:stop], self._ranks[start:stop]

    def row(self, key: str) -> np.ndarray | None:
        """The key's strength ranks for every entry (0: not there), for a heavy key."""
        return self._rows.get(self._keys[key])

    def add_rows(self, entry_count: int, heavy_share: int, max_cells: int) -> None:
        """Dense rows for the keys of more than entry_count / heavy_share entries, the
        heaviest first, up to max_cells ranks in all."""
        offsets = np.array(self._offsets, dtype=np.int64)
        lengths = offsets[1:] - offsets[:-1]
        heavy = np.flatnonzero(lengths * heavy_share > entry_count)
        heavy = heavy[np.argsort(-lengths[heavy], kind="stable")][:max_cells // max(
            entry_count, 1)]
        if not len(heavy):
            return
        rows = np.zeros((len(heavy), entry_count), dtype=self._ranks.dtype)
        elements = ranges(offsets[heavy], lengths[heavy])
        rows[np.repeat(np.arange(len(heavy)), lengths[heavy]), self._ids[elements]] = (
            self._ranks[elements])
        self._rows = dict(zip(heavy.tolist(), rows, strict=True))


_NO_POSTINGS = Postings({}, [0], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16),
                        np.zeros(1))


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
    # for a large knowledge base: entry e's elements are the run
    # entry_element_starts[e]:entry_element_starts[e + 1], and element i belongs to
    # phrasing element_phrasing[i] — so the matcher scores only the phrasings of its
    # candidates that share a key with the question
    entry_element_starts: np.ndarray = field(
        default_factory=lambda: np.zeros(1, dtype=np.int64))
    element_phrasing: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
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


PHRASING_LANGUAGES = ("de", "en")


def _texts(entry: Entry, lang: str) -> list[str]:
    """An entry's phrasings in one language, in index order, blank ones included."""
    return [entry.title.get(lang, ""), *entry.questions.get(lang, ()),
            *entry.keywords.get(lang, ())]


def phrasings_of(entry: Entry) -> list[tuple[str, str]]:
    """(language, text) of every phrasing of an entry."""
    return [(lang, text) for lang in PHRASING_LANGUAGES for text in _texts(entry, lang)
            if text.strip()]


def term_weight(term: Term, idf: dict[str, float], names: frozenset[str]) -> float:
    """How much a term of a phrasing or question says: IDF x general weight."""
    weight = idf.get(term.own, 0.0) or max((idf.get(k, 0.0) for k in term.keys), default=0.0)
    weight *= term.general
    return weight * NAME_FACTOR if term.own in names else weight


def build(knowledge: KnowledgeBase) -> Index:
    """The index of a knowledge base. Words and phrasings repeat a lot (an entry's
    phrasings share most words, and an inflated test base repeats whole phrasings), so the
    distinct phrasings are analysed together, each distinct word once (knowledge.batch),
    and postings and phrasings are put together as arrays, not entry by entry."""
    entries = list(knowledge.entries)
    texts, german, per_entry = _all_phrasings(entries)
    entry_of = np.repeat(np.arange(len(entries), dtype=np.int64), per_entry)
    text_numbers = numbering()  # each distinct text numbered as first seen
    text_of = np.fromiter(map(text_numbers.__getitem__, texts), dtype=np.int64,
                          count=len(texts))
    del texts
    chunks = cut(list(text_numbers))
    del text_numbers
    words_by_lang: dict[str, set[str]] = {}
    for lang, chosen_phrasings in (("de", german), ("en", ~german)):
        chosen = np.zeros(chunks.count, dtype=bool)
        chosen[text_of[chosen_phrasings]] = True
        words_by_lang[lang] = content_words(chunks, chosen)
    vocabulary = frozenset(words_by_lang["de"] | words_by_lang["en"])
    analyser = _analyser(vocabulary)
    batch = analyse_texts(analyser, chunks)
    del chunks
    occurrences, phrasing_of = _occurrences(batch, entries, text_of, entry_of)
    terms = batch.occurrence_terms[occurrences]
    renumber, key_numbers, keys = _entry_keys(batch, occurrences, entry_of[phrasing_of])
    owners, numbers = keys.owners, keys.numbers
    count = max(len(entries), 1)
    frequency = np.bincount(numbers, minlength=len(key_numbers))
    idf_values = np.log1p(count / np.maximum(frequency, 1))
    idf = dict(zip(key_numbers, idf_values.tolist(), strict=True))
    # (masks, not np.unique: its hashing takes seconds for millions of elements)
    used = np.zeros(len(batch.owns), dtype=bool)
    used[batch.term_owns[terms]] = True
    owns = np.flatnonzero(used)
    used[:] = False
    used[batch.term_owns[terms[batch.term_names[terms]]]] = True
    named = np.flatnonzero(used)
    own_keys = {batch.owns[own] for own in owns.tolist()}
    names = frozenset(batch.owns[own] for own in named.tolist())
    index = Index(entries, vocabulary, frozenset(
        w for w in vocabulary if analyser.lemma(w) in own_keys), idf=idf, names=names,
        own=analyser.own)
    _phrasings(index, batch, terms, phrasing_of, entry_of, renumber[batch.own_keys],
               idf_values, named)
    index.postings = keys.postings(key_numbers, frequency)
    if len(entries) <= DENSE_MAX_ENTRIES and len(key_numbers) * len(entries) <= DENSE_MAX_CELLS:
        index.dense = np.zeros((len(key_numbers), len(entries)))
        index.dense[numbers, owners] = keys.strengths
        _invert_phrasings(index, len(key_numbers))  # small: the matcher goes by key
    else:
        _number_elements(index)  # large: by candidate
        index.postings.add_rows(len(entries), HEAVY_SHARE, HEAVY_MAX_CELLS)
    index.german_words = frozenset(words_by_lang["de"] - words_by_lang["en"])
    index.english_words = frozenset(words_by_lang["en"] - words_by_lang["de"])
    return index


def _all_phrasings(entries: list[Entry]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The texts of phrasings_of for all entries, in order, whether each is German, and
    how many each entry has — without a (language, text) pair per phrasing, and the blank
    ones dropped in one pass at the end."""
    texts: list[str] = []
    lengths: list[int] = []  # per entry and language, blank texts included
    for entry in entries:
        for lang in PHRASING_LANGUAGES:
            found = _texts(entry, lang)
            texts.extend(found)
            lengths.append(len(found))
    kept = np.fromiter(map(bool, map(str.strip, texts)), dtype=bool, count=len(texts))
    counts = np.array(lengths, dtype=np.int64)
    if not kept.all():
        group = np.repeat(np.arange(len(counts)), counts)
        counts = np.bincount(group[kept], minlength=len(counts))
        texts = list(compress(texts, kept.tolist()))
    german = np.repeat(np.tile(np.array([lang == "de" for lang in PHRASING_LANGUAGES]),
                               len(entries)), counts)
    return texts, german, counts.reshape(-1, len(PHRASING_LANGUAGES)).sum(axis=1)


@lru_cache(maxsize=2)
def _analyser(vocabulary: frozenset[str]) -> Analyser:
    """An index's analyser, with the analyses of the words it has met: its analysis of a
    word depends on the vocabulary alone, so a rebuild with the same words (a bot whose
    manager taught it a question in known words; the tests' many matchers) reuses them."""
    return Analyser(vocabulary)


def _occurrences(batch: Batch, entries: list[Entry], text_of: np.ndarray,
                 entry_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The term occurrences of every phrasing (phrasing p has text text_of[p]) and their
    phrasing, in order; an entry without cluster facts drops "our" ("unser Netzwerk" in
    the talk's text asks for no fact of this cluster)."""
    lengths = np.diff(batch.text_starts)[text_of]
    occurrences = ranges(batch.text_starts[text_of], lengths)
    phrasing_of = np.repeat(np.arange(len(text_of), dtype=np.int64), lengths)
    if OURS in batch.owns:
        ours = batch.term_owns == batch.owns.index(OURS)
        facts = np.array([bool(entry.cluster_facts) for entry in entries], dtype=bool)
        keep = ~(ours[batch.occurrence_terms[occurrences]] & ~facts[entry_of[phrasing_of]])
        occurrences, phrasing_of = occurrences[keep], phrasing_of[keep]
    return occurrences, phrasing_of


def _entry_keys(batch: Batch, occurrences: np.ndarray, entry_of: np.ndarray
                ) -> tuple[np.ndarray, dict[str, int], _Keys]:
    """Number the keys in order of first sight (entry by entry, term by term) and give each
    entry's keys with their strongest strength: (batch key -> number, key -> number,
    the entries' keys)."""
    lengths = np.diff(batch.occurrence_set_starts)[occurrences]
    sets = batch.occurrence_sets[ranges(batch.occurrence_set_starts[occurrences], lengths)]
    set_lengths = np.diff(batch.set_starts)
    first = np.full(len(set_lengths), len(sets), dtype=np.int64)  # where a set is first seen
    np.minimum.at(first, sets, np.arange(len(sets), dtype=np.int64))
    seen = np.flatnonzero(first < len(sets))
    seen = seen[np.argsort(first[seen])]
    sequence = batch.set_keys[ranges(batch.set_starts[seen], set_lengths[seen])]
    seen_keys, first = np.unique(sequence, return_index=True)
    in_order = seen_keys[np.argsort(first)]
    renumber = np.full(len(batch.keys), -1, dtype=np.int64)
    renumber[in_order] = np.arange(len(in_order))
    key_numbers = {batch.keys[key]: number for number, key in enumerate(in_order.tolist())}
    # every (entry, key, strength) as one number that sorts by entry, key and strongest
    # first (a sort of plain numbers, not an argsort and gathers of ten million elements)
    strengths, ranks = np.unique(-batch.set_strengths, return_inverse=True)
    shift = max(len(strengths), 1).bit_length()
    key_count = max(len(in_order), 1)
    if (max(len(set_lengths), 1) * key_count) << shift >= 2 ** 62:
        raise ValueError(f"too many keys ({key_count}) for one index")
    element_codes = (np.maximum(renumber[batch.set_keys], 0) << shift) | ranks.reshape(-1)
    set_count = max(len(set_lengths), 1)
    pairs = np.repeat(entry_of, lengths) * set_count + sets  # each (entry, key set) once
    pairs.sort()
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    sets = pairs % set_count
    codes = np.repeat((pairs // set_count) * (key_count << shift), set_lengths[sets])
    codes += element_codes[ranges(batch.set_starts[sets], set_lengths[sets])]
    codes.sort()
    pairs = codes >> shift
    first_of_pair = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    codes, pairs = codes[first_of_pair], pairs[first_of_pair]
    return renumber, key_numbers, _Keys((pairs // key_count).astype(np.int32),
                                        pairs % key_count, codes & ((1 << shift) - 1),
                                        -strengths, shift)


@dataclass
class _Keys:
    """Every entry's keys, by entry and key: the entry, the key's number and its strength
    (as a rank into `values`, strongest first, which sorts as a number)."""

    owners: np.ndarray
    numbers: np.ndarray
    ranks: np.ndarray
    values: np.ndarray
    shift: int  # bits of a rank

    @property
    def strengths(self) -> np.ndarray:
        return self.values[self.ranks]

    def postings(self, key_numbers: dict[str, int], frequency: np.ndarray) -> Postings:
        """By key, entries in order within a key (one sort of plain numbers)."""
        entry_count = int(self.owners.max(initial=0)) + 1
        if (max(len(frequency), 1) * entry_count) << self.shift >= 2 ** 62:
            raise ValueError(f"too many postings ({len(self.numbers)}) for one index")
        codes = ((self.numbers * entry_count + self.owners) << self.shift) | self.ranks
        codes.sort()
        offsets = np.concatenate(([0], np.cumsum(frequency))).tolist()
        rank_type = np.uint16 if len(self.values) < 2 ** 16 else np.int64
        return Postings(key_numbers, offsets,
                        ((codes >> self.shift) % entry_count).astype(np.int32),
                        (codes & ((1 << self.shift) - 1)).astype(rank_type) + 1,
                        np.concatenate(([0.0], self.values)))


def _phrasings(index: Index, batch: Batch, terms: np.ndarray, phrasing_of: np.ndarray,
               entry_of: np.ndarray, own_numbers: np.ndarray, idf: np.ndarray,
               named: np.ndarray) -> None:
    """Each phrasing's own keys (its terms' lemma keys, once each, in order) with the
    heaviest weight of a term with that key (term_weight), and their sum (Index)."""
    owns = batch.term_owns[terms]
    weights = idf[own_numbers[owns]] * batch.term_generals[terms]
    is_name = np.zeros(len(batch.owns), dtype=bool)
    is_name[named] = True
    weights = np.where(is_name[owns], weights * NAME_FACTOR, weights)
    own_count = max(len(batch.owns), 1)
    # per (phrasing, own key): where it is first seen and its heaviest weight, in order
    codes = phrasing_of * own_count + owns
    order = np.argsort(codes, kind="stable")
    heads = np.flatnonzero(np.concatenate(([True], codes[order][1:] != codes[order][:-1])))
    first = order[heads] if len(codes) else heads
    heaviest = np.zeros(len(codes))
    heaviest[first] = np.maximum.reduceat(weights[order], heads) if len(codes) else 0.0
    first.sort()
    groups, best = codes[first], heaviest[first]
    counts = np.bincount(groups // own_count, minlength=len(entry_of))
    lengths = counts[counts > 0]
    starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    # bincount adds each phrasing's weights left to right, like sum()
    totals = np.bincount(np.repeat(np.arange(len(lengths)), lengths), best,
                         minlength=len(lengths))
    index.phrasing_keys = own_numbers[groups % own_count].astype(np.int32)
    index.phrasing_weights = best
    index.phrasing_starts = starts
    index.phrasing_totals = totals
    per_entry = np.bincount(entry_of[counts > 0], minlength=len(index.entries))
    index.entry_starts = np.concatenate(([0], np.cumsum(per_entry))).astype(np.int64)


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


def _number_elements(index: Index) -> None:
    """Each entry's run of elements and each element's phrasing (see
    Index.entry_element_starts)."""
    index.entry_element_starts = index.phrasing_starts[index.entry_starts]
    index.element_phrasing = np.repeat(
        np.arange(len(index.phrasing_totals), dtype=np.int32), np.diff(index.phrasing_starts))


# ---- saving and restoring -----------------------------------------------------------------
_ARRAYS = ("phrasing_keys", "phrasing_weights", "phrasing_starts", "phrasing_totals",
           "entry_starts", "entry_element_starts", "element_phrasing", "key_starts",
           "key_phrasings", "key_weights", "phrasing_entry")
_WORD_SETS = ("vocabulary", "surface", "names", "german_words", "english_words", "own")


def _json(values: object) -> np.ndarray:
    return np.frombuffer(json.dumps(values, ensure_ascii=False).encode(), dtype=np.uint8)


def _unjson(values: np.ndarray) -> Any:
    return json.loads(values.tobytes())


def to_arrays(index: Index) -> dict[str, np.ndarray]:
    """The index as plain arrays (words as JSON bytes), for a file that is never unpickled;
    the entries themselves are not in it: they come from the knowledge base it was built
    from (from_arrays)."""
    postings = index.postings
    keys = sorted(postings.numbers, key=postings.numbers.__getitem__)
    heavy = sorted(postings._rows)
    arrays = {name: getattr(index, name) for name in _ARRAYS}
    arrays.update({f"words_{name}": _json(sorted(getattr(index, name))) for name in _WORD_SETS})
    arrays.update(
        keys=_json(keys), idf=np.array([index.idf[key] for key in keys], dtype=np.float64),
        offsets=np.array(postings._offsets, dtype=np.int64), ids=postings._ids,
        ranks=postings._ranks, strengths=postings.strengths,
        heavy=np.array(heavy, dtype=np.int64),
        rows=(np.stack([postings._rows[number] for number in heavy]) if heavy
              else np.zeros((0, len(index.entries)), dtype=postings._ranks.dtype)),
        entries=np.array([len(index.entries)], dtype=np.int64))
    if index.dense is not None:
        arrays["dense"] = index.dense
    return arrays


def from_arrays(arrays: Mapping[str, np.ndarray], entries: list[Entry]) -> Index:
    """The index to_arrays saved, for `entries` (the same knowledge base: the caller checks
    that by digest). ValueError when the arrays do not fit together, so a damaged file can
    only be rejected."""
    try:
        keys = _unjson(arrays["keys"])
        words = {name: _unjson(arrays[f"words_{name}"]) for name in _WORD_SETS}
        idf, offsets = arrays["idf"], arrays["offsets"]
        heavy, rows = arrays["heavy"], arrays["rows"]
        count = int(arrays["entries"][0])
        parts = {name: arrays[name] for name in _ARRAYS}
        ids, ranks, strengths = arrays["ids"], arrays["ranks"], arrays["strengths"]
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"incomplete index ({exc})") from exc
    if not isinstance(keys, list) or len(keys) != len(idf) or len(offsets) != len(keys) + 1 \
            or count != len(entries) or len(ids) != len(ranks) or int(offsets[-1]) != len(ids) \
            or len(heavy) != len(rows) or len(parts["entry_starts"]) != count + 1 \
            or not all(isinstance(value, list) for value in words.values()):
        raise ValueError("the index's parts do not fit together")
    if len(ranks) and int(ranks.max()) >= len(strengths):
        raise ValueError("a posting's strength is out of range")
    numbers = {key: number for number, key in enumerate(keys)}
    postings = Postings(numbers, offsets.tolist(), ids, ranks, strengths)
    postings._rows = dict(zip(heavy.tolist(), rows, strict=True))
    index = Index(list(entries), frozenset(words["vocabulary"]), frozenset(words["surface"]),
                  dense=arrays.get("dense"), idf=dict(zip(keys, idf.tolist(), strict=True)),
                  names=frozenset(words["names"]), postings=postings,
                  german_words=frozenset(words["german_words"]),
                  english_words=frozenset(words["english_words"]),
                  own=frozenset(words["own"]), **parts)
    return index
