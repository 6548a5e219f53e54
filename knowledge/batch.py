"""Many texts analysed at once: a knowledge base's phrasings, for its index.

Analyser.terms analyses one text (a question) word by word. An index of 10,000 entries has
600,000 distinct phrasings with three million words, but only some 25,000 distinct words,
so here every text is cut into words in one pass over their concatenation, each distinct
word is analysed once (Analyser.word_terms), each distinct pair of neighbouring lemma keys
is tried as a phrase once (Analyser.phrase_keys), each distinct pattern of intent words once
(intents), and the rest is array arithmetic. The outcome is what Analyser.terms makes of
every text (tests/knowledge/test_index.py holds the two together), as flat arrays:

- per text t, its terms' occurrences text_starts[t]:text_starts[t + 1], in the order
  Analyser.terms gives them (its words' terms, then its intents, sorted);
- per occurrence, the term (an index into the distinct terms) and the key sets it has: its
  term's own, then those of the phrases it forms with its left and right neighbour — a key
  set is a term's or a phrase's keys with their strengths.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

import numpy as np

from knowledge.analysis import Analyser, Term, folded_forms, intent_term, joined_hyphens
from knowledge.language.folding import RAW_TOKEN, decompose, decomposes, fold
from knowledge.language.function_words import (
    DROPPED,
    FUNCTION_GAP,
    INTENT_CUES,
    RELATIVE_TOO,
    TOPIC_WORDS,
    clause_mark,
    intents,
    is_function_word,
    is_intent_word,
)

SEPARATOR = "\x00"  # between two texts in their concatenation (no word character)
CONTENT_GAP_NUMBER, FUNCTION_GAP_NUMBER = -1, -2  # a word intents() reads as a gap only
GAP_WORDS = {CONTENT_GAP_NUMBER: "", FUNCTION_GAP_NUMBER: FUNCTION_GAP}
_FOLDED_WORD = re.compile(r"[0-9a-z]+")  # a word of folded text (language.words)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenation of range(start, start + length) for each pair, vectorised."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lengths)


def numbering() -> defaultdict[str, int]:
    """A dict that numbers a string in order of first sight when it is first looked up:
    mapping its __getitem__ over millions of strings numbers them in one pass (in C), not
    a pass to collect the distinct ones and another to look them up."""
    return defaultdict(count().__next__)


class _Table:
    """Distinct strings numbered in order of first sight."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.items: list[str] = []

    def number(self, item: str) -> int:
        found = self.numbers.get(item)
        if found is None:
            found = self.numbers[item] = len(self.items)
            self.items.append(item)
        return found


@dataclass
class Batch:
    """The terms of many texts (see the module docstring)."""

    keys: list[str]  # key number -> key
    set_starts: np.ndarray  # key set s: keys set_keys[set_starts[s]:set_starts[s + 1]]
    set_keys: np.ndarray
    set_strengths: np.ndarray
    owns: list[str]  # own number -> a term's own key (its lemma key)
    own_keys: np.ndarray  # own number -> key number of the same key
    term_owns: np.ndarray  # per distinct term: own number, general weight, name or not
    term_generals: np.ndarray
    term_names: np.ndarray
    text_starts: np.ndarray  # text t: occurrences text_starts[t]:text_starts[t + 1]
    occurrence_terms: np.ndarray  # per occurrence: its term's number
    # occurrence o: key sets occurrence_sets[occurrence_set_starts[o]:...[o + 1]]
    occurrence_set_starts: np.ndarray
    occurrence_sets: np.ndarray


class _Builder:
    """Numbers keys, key sets, owns and terms as the texts meet them."""

    def __init__(self) -> None:
        self.keys = _Table()
        self.owns = _Table()
        self.sets: list[tuple[list[int], list[float]]] = []
        self.terms: dict[int, int] = {}  # id(term) -> term number
        self.term_owns: list[int] = []
        self.term_generals: list[float] = []
        self.term_names: list[bool] = []
        self.term_sets: list[int] = []
        self._alive: list[Term] = []  # keeps the ids above unique

    def key_set(self, keys: dict[str, float]) -> int:
        self.sets.append(([self.keys.number(key) for key in keys], list(keys.values())))
        return len(self.sets) - 1

    def term(self, term: Term) -> int:
        found = self.terms.get(id(term))
        if found is None:
            found = self.terms[id(term)] = len(self.term_sets)
            self._alive.append(term)
            self.term_owns.append(self.owns.number(term.own))
            self.term_generals.append(term.general)
            self.term_names.append(term.name)
            self.term_sets.append(self.key_set(term.keys))
        return found


def analyse_texts(analyser: Analyser, chunks: Chunks) -> Batch:
    """The terms of every text, as Analyser.terms gives them (for an index's analyser,
    which knows no index keys yet, so no neighbours are joined into one word)."""
    if analyser.index_keys:
        raise ValueError("analyse_texts is for an index's own analyser: it cannot join "
                         "neighbouring words by index keys; use Analyser.terms per text")
    builder = _Builder()
    word_list, word_texts = _folded_words(chunks)
    content = np.array([word not in DROPPED and len(word) > 1 for word in word_list], dtype=bool)
    # the content words' terms (one per word, as an index's analyser gives)
    term_counts = np.zeros(len(word_list), dtype=np.int64)
    term_numbers: list[int] = []
    for number in np.flatnonzero(content).tolist():
        found = [builder.term(term) for term in analyser.word_terms(word_list[number])]
        term_counts[number] = len(found)
        term_numbers.extend(found)
    term_starts = np.concatenate(([0], np.cumsum(term_counts))).astype(np.int64)
    term_of = np.array(term_numbers, dtype=np.int64)
    is_content = content[word_texts[0]]
    content_words, content_texts = word_texts[0][is_content], word_texts[1][is_content]
    counts = term_counts[content_words]
    occurrence_terms = term_of[ranges(term_starts[content_words], counts)]
    occurrence_texts = np.repeat(content_texts, counts)
    left, right = _phrases(analyser, builder, occurrence_terms, occurrence_texts)
    intent_texts, intent_terms = _intents(builder, word_list, *word_texts)
    # a text's intents follow its words' terms: the two merged by text
    at = np.searchsorted(occurrence_texts, intent_texts, side="right") + np.arange(
        len(intent_texts))
    is_intent = np.zeros(len(occurrence_texts) + len(intent_texts), dtype=bool)
    is_intent[at] = True
    all_texts = np.empty(len(is_intent), dtype=np.int64)
    all_texts[at], all_texts[~is_intent] = intent_texts, occurrence_texts
    all_terms = np.empty(len(is_intent), dtype=np.int64)
    all_terms[at], all_terms[~is_intent] = intent_terms, occurrence_terms
    sets = np.full((len(is_intent), 3), -1, dtype=np.int64)
    sets[:, 0] = np.array(builder.term_sets, dtype=np.int64)[all_terms]
    sets[~is_intent, 1], sets[~is_intent, 2] = left, right
    has = sets >= 0
    set_sizes = np.array([len(keys) for keys, _ in builder.sets], dtype=np.int64)
    return Batch(
        keys=builder.keys.items,
        set_starts=np.concatenate(([0], np.cumsum(set_sizes))).astype(np.int64),
        set_keys=np.fromiter((k for keys, _ in builder.sets for k in keys), dtype=np.int64,
                             count=int(set_sizes.sum())),
        set_strengths=np.fromiter((v for _, values in builder.sets for v in values),
                                  dtype=np.float64, count=int(set_sizes.sum())),
        owns=builder.owns.items,
        own_keys=np.array([builder.keys.numbers[own] for own in builder.owns.items],
                          dtype=np.int64),
        term_owns=np.array(builder.term_owns, dtype=np.int64),
        term_generals=np.array(builder.term_generals, dtype=np.float64),
        term_names=np.array(builder.term_names, dtype=bool),
        text_starts=np.concatenate(([0], np.cumsum(np.bincount(
            all_texts, minlength=chunks.count)))).astype(np.int64),
        occurrence_terms=all_terms,
        occurrence_set_starts=np.concatenate(([0], np.cumsum(has.sum(axis=1)))).astype(
            np.int64),
        occurrence_sets=sets[has])


@dataclass
class Chunks:
    """Texts cut at white space: the distinct pieces, and per piece occurrence (in text
    order) its piece number and its text number. Nothing a word is made of spans white
    space (not a word, not "Know-how"), so a piece can be analysed once, wherever it is."""

    pieces: list[str]
    numbers: np.ndarray
    texts: np.ndarray
    count: int  # how many texts


def cut(texts: Sequence[str]) -> Chunks:
    """The texts' pieces (one str.split over their concatenation: 600,000 texts would
    cost more one by one)."""
    joined = f" {SEPARATOR} ".join(texts)
    if joined.count(SEPARATOR) != max(len(texts) - 1, 0):  # a separator is no word anyway
        joined = f" {SEPARATOR} ".join(text.replace(SEPARATOR, " ") for text in texts)
    found = joined.split()
    numbers = numbering()
    numbers[SEPARATOR]  # number 0: the separator
    occurrences = np.fromiter(map(numbers.__getitem__, found), dtype=np.int64,
                              count=len(found))
    pieces = list(numbers)
    del found, numbers
    separator = occurrences == 0
    texts_of = np.cumsum(separator)
    if "\xa0" in joined:  # white space that fold takes apart: the pieces do not show it
        pieces.append("\xa0")
        nbsp = np.flatnonzero(np.array(["\xa0" in text for text in texts], dtype=bool))
        occurrences = np.concatenate((occurrences, np.full(len(nbsp), len(pieces) - 1)))
        texts_of = np.concatenate((texts_of, nbsp))
        separator = np.concatenate((separator, np.zeros(len(nbsp), dtype=bool)))
    return Chunks(pieces, occurrences[~separator], texts_of[~separator], len(texts))


def content_words(chunks: Chunks, chosen: np.ndarray) -> set[str]:
    """The distinct content words of the chosen texts (a mask), folded as one text:
    fold takes a whole text apart (NFKD) when any letter of it needs that."""
    used = np.zeros(len(chunks.pieces), dtype=bool)
    used[chunks.numbers[chosen[chunks.texts]]] = True
    pieces = [chunks.pieces[number] for number in np.flatnonzero(used).tolist()]
    pieces = [joined_hyphens(piece) for piece in pieces]
    if any(decomposes(piece) for piece in pieces):
        folded = [decompose(fold(piece)) if not piece.isascii() else piece.lower()
                  for piece in pieces]
    else:
        folded = [fold(piece) for piece in pieces]
    found = set(_FOLDED_WORD.findall(" ".join(folded)))
    return {word for word in found if not is_function_word(word)}


def _folded_words(chunks: Chunks) -> tuple[list[str], tuple[np.ndarray, np.ndarray]]:
    """The distinct folded words of all texts, and per word occurrence (in text order)
    its word number and its text number."""
    words = _Table()
    forms = [[words.number(form) for raw in RAW_TOKEN.findall(joined_hyphens(piece))
              for form in folded_forms(raw)] for piece in chunks.pieces]
    for piece, found in zip(chunks.pieces, forms, strict=True):
        mark = clause_mark(piece)  # for intents(), as Analyser.terms marks a text
        if mark is not None:
            found.append(words.number(mark))
    form_counts = np.array([len(found) for found in forms], dtype=np.int64)
    form_starts = np.concatenate(([0], np.cumsum(form_counts))).astype(np.int64)
    form_words = np.array([number for found in forms for number in found], dtype=np.int64)
    counts = form_counts[chunks.numbers]
    return words.items, (form_words[ranges(form_starts[chunks.numbers], counts)],
                         np.repeat(chunks.texts, counts))


def _phrases(analyser: Analyser, builder: _Builder, terms: np.ndarray, texts: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Per occurrence, the key set of the phrase it forms with its left and its right
    neighbour (-1: none): each distinct pair of lemma keys the lexicon could know is tried
    once."""
    left = np.full(len(terms), -1, dtype=np.int64)
    right = left.copy()
    if len(terms) < 2:
        return left, right
    owns = np.array(builder.term_owns, dtype=np.int64)[terms]
    own_list = builder.owns.items
    known = np.array([analyser.knows(own) for own in own_list], dtype=bool)
    pairs = np.flatnonzero((texts[1:] == texts[:-1]) & known[owns[:-1]] & known[owns[1:]])
    codes = owns[pairs] * len(own_list) + owns[pairs + 1]
    distinct, inverse = np.unique(codes, return_inverse=True)
    phrase_sets = np.full(len(distinct), -1, dtype=np.int64)
    for at, code in enumerate(distinct.tolist()):
        keys = analyser.phrase_keys(own_list[code // len(own_list)],
                                    own_list[code % len(own_list)])
        if keys is not None:
            phrase_sets[at] = builder.key_set(keys)
    found = phrase_sets[inverse.reshape(-1)]
    right[pairs] = found
    left[pairs + 1] = found
    return left, right


def _intents(builder: _Builder, word_list: list[str], words: np.ndarray, texts: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Per intent occurrence its text and term, texts in order, each text's intents sorted.

    Only the words intents() looks at matter, and of the others only that they separate
    their neighbours and how many of them a clause has, up to TOPIC_WORDS + 1: texts with
    the same such pattern share their intents."""
    cue = np.array([word in INTENT_CUES for word in word_list], dtype=bool)
    has_cue = np.zeros(int(texts.max(initial=0)) + 1, dtype=bool)
    has_cue[texts[cue[words]]] = True
    cue_texts = np.flatnonzero(has_cue)
    signal = np.array([is_intent_word(word) for word in word_list], dtype=bool)
    # any other word is a gap; only before "wo"/"where" does intents() tell a function
    # word's gap from a content word's (function_words.RELATIVE_TOO): elsewhere the two
    # kinds would only make fewer texts share a pattern
    pattern = np.where(signal[words], words, CONTENT_GAP_NUMBER)
    relative = np.array([word in RELATIVE_TOO for word in word_list], dtype=bool)
    function = np.array([is_function_word(word) for word in word_list], dtype=bool)
    before = np.flatnonzero(relative[words[1:]] & (texts[1:] == texts[:-1])
                            & ~signal[words[:-1]] & function[words[:-1]])
    pattern[before] = FUNCTION_GAP_NUMBER
    # a gap word after TOPIC_WORDS + 1 gap words of its text changes no intent, but for the
    # run's last one (the word before the next intent word)
    gap = pattern < 0
    run_start = np.ones(len(words), dtype=bool)
    run_start[1:] = ~gap[:-1] | (texts[1:] != texts[:-1])
    run_end = np.ones(len(words), dtype=bool)
    run_end[:-1] = ~gap[1:] | (texts[1:] != texts[:-1])
    position = np.arange(len(words))
    repeated = gap & ~run_end & (
        position - np.maximum.accumulate(np.where(run_start, position, 0)) > TOPIC_WORDS)
    in_cue = has_cue[texts] & ~repeated
    pattern, texts = pattern[in_cue].tolist(), texts[in_cue]
    starts = np.searchsorted(texts, cue_texts).tolist() + [len(pattern)]
    known: dict[tuple[int, ...], list[int]] = {}
    found_texts: list[int] = []
    found_terms: list[int] = []
    for at, text in enumerate(cue_texts.tolist()):
        signature = tuple(pattern[starts[at]:starts[at + 1]])
        terms = known.get(signature)
        if terms is None:
            folded = [word_list[number] if number >= 0 else GAP_WORDS[number]
                      for number in signature]
            terms = known[signature] = [builder.term(intent_term(key))
                                        for key in sorted(intents(folded))]
        found_texts.extend([text] * len(terms))
        found_terms.extend(terms)
    return np.array(found_texts, dtype=np.int64), np.array(found_terms, dtype=np.int64)
