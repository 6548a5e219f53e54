"""Match a member's question to a knowledge-base entry, or admit that there is no good match.

Every phrasing of an entry (its titles, questions and keywords in both languages) is turned
into a set of canonical terms (see `knowledge.text`); German compounds are split into known
parts so "Clustermanagement" and "Cluster Management" agree. A question's words are mapped to
known terms exactly, or by rapidfuzz similarity when misspelt; words the knowledge base has
never seen stay "unknown" and weigh against confidence — that is what keeps "Kubernetes
cluster" or "weather in Paderborn" from getting a confident answer.

The score (0-100) multiplies how much of the question an entry explains (IDF-weighted) by
how much of its best phrasing the question covers. Candidates come from an inverted index
and are scored best-bound-first, so a 10,000-entry base stays within milliseconds.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.base import Entry, KnowledgeBase
from knowledge.text import STOPWORDS, detect_language, stem, words

CONFIDENT_SCORE = 42
SUGGESTION_MIN_SCORE = 15
MAX_SUGGESTIONS = 3
COVERAGE_EXPONENT = 0.8
PHRASING_FLOOR = 0.5
EXPLAIN_SHARE = 0.3
UNKNOWN_FACTOR = 0.6
MIN_SPLIT_PART = 4
MAX_EXACT = 64  # candidates scored exactly per question, best upper bound first
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Match:
    """The outcome: a confident entry or None, with score, language and suggestions."""

    entry: Entry | None
    score: int
    lang: str
    suggestions: tuple[Entry, ...] = ()
    known_words: int = 0
    content_words: int = 0

    @property
    def confident(self) -> bool:
        return self.entry is not None


@dataclass
class _Phrasing:
    entry: int
    terms: frozenset[str]
    weight: float = 0.0


@dataclass
class _Index:
    vocabulary: set[str] = field(default_factory=set)
    split_vocabulary: set[str] = field(default_factory=set)  # every stem seen, for compounds
    phrasings: list[_Phrasing] = field(default_factory=list)
    entry_phrasings: list[list[int]] = field(default_factory=list)
    entry_terms: list[set[str]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    # term -> (entry indexes, best share of the term in one of each entry's phrasings)
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def _fuzzy_cutoff(word: str) -> float | None:
    """How similar a misspelt word must be to a known one; short words are not guessed.

    With rapidfuzz's ratio (indel distance) a missing or extra letter in a 6-letter word
    costs 8-9 points and a changed one 17 ("Wetter"/"weiter": not a typo but another word),
    so 6-letter words only get insertions and deletions; a swapped or changed letter costs
    about 14 in a 7-letter word and less in longer ones.
    """
    if len(word) < 6:
        return None
    if len(word) == 6:
        return 90.0
    return 85.0 if len(word) < 9 else 80.0


class Matcher:
    """Answers "which entry fits this question, and how sure are we?"."""

    def __init__(self, knowledge_base: KnowledgeBase, *, confident_score: int = CONFIDENT_SCORE):
        self.knowledge_base = knowledge_base
        self.confident_score = confident_score
        self._entries = list(knowledge_base.entries)
        self._resolved: dict[str, tuple[tuple[str, ...], float]] = {}
        self._canonical_cache: dict[str, tuple[str, ...]] = {}
        self._text_words: dict[str, list[str]] = {}
        self._index = self._build_index()
        self._surface = self._surface_forms()
        self._surface_list = sorted(self._surface)
        self._german_words, self._english_words = self._language_words()
        self._text_words = {}  # only needed while indexing

    # ---- index -------------------------------------------------------------------------
    def _words(self, text: str) -> list[str]:
        """Content words of a knowledge-base text, computed once per text while indexing."""
        cached = self._text_words.get(text)
        if cached is None:
            cached = self._text_words[text] = [w for w in words(text) if w not in STOPWORDS]
        return cached

    def _phrasings_of(self, entry: Entry) -> list[str]:
        texts: list[str] = []
        for lang in ("de", "en"):
            texts.append(entry.title.get(lang, ""))
            texts.extend(entry.questions.get(lang, ()))
            texts.extend(entry.keywords.get(lang, ()))
        return [text for text in texts if text]

    def _build_index(self) -> _Index:
        index = _Index()
        raw_phrasings = [(i, p) for i, e in enumerate(self._entries) for p in self._phrasings_of(e)]
        for _, text in raw_phrasings:
            index.split_vocabulary.update(stem(w) for w in self._words(text))
        self._split_vocabulary = index.split_vocabulary
        index.entry_phrasings = [[] for _ in self._entries]
        index.entry_terms = [set() for _ in self._entries]
        for entry_index, text in raw_phrasings:
            terms = frozenset([t for w in self._words(text) for t in self._canonical(w)])
            if not terms:
                continue
            index.entry_phrasings[entry_index].append(len(index.phrasings))
            index.phrasings.append(_Phrasing(entry_index, terms))
            index.entry_terms[entry_index] |= terms
        document_frequency: dict[str, int] = {}
        for entry_terms in index.entry_terms:
            for term in entry_terms:
                document_frequency[term] = document_frequency.get(term, 0) + 1
        total = max(len(self._entries), 1)
        index.idf = {t: math.log(1 + total / df) for t, df in document_frequency.items()}
        index.vocabulary = set(index.idf)
        for phrasing in index.phrasings:
            phrasing.weight = sum(index.idf[t] for t in phrasing.terms)
        best_share: dict[str, dict[int, float]] = {}
        for phrasing in index.phrasings:
            for term in phrasing.terms:
                share = index.idf[term] / phrasing.weight
                per_entry = best_share.setdefault(term, {})
                if share > per_entry.get(phrasing.entry, 0.0):
                    per_entry[phrasing.entry] = share
        index.postings = {
            t: (np.fromiter(per.keys(), dtype=np.int32, count=len(per)),
                np.fromiter(per.values(), dtype=np.float64, count=len(per)))
            for t, per in best_share.items()}
        return index

    def _surface_forms(self) -> dict[str, tuple[str, ...]]:
        """Every word as written in the knowledge base -> its terms (for typo look-ups)."""
        forms: dict[str, tuple[str, ...]] = {}
        for entry in self._entries:
            for text in self._phrasings_of(entry):
                for word in self._words(text):
                    if len(word) >= 4 and word not in forms:
                        terms = self._canonical(word)
                        if all(term in self._index.vocabulary for term in terms):
                            forms[word] = terms
        return forms

    def _language_words(self) -> tuple[frozenset[str], frozenset[str]]:
        by_language: dict[str, set[str]] = {"de": set(), "en": set()}
        for entry in self._entries:
            for lang in ("de", "en"):
                for text in (*entry.questions.get(lang, ()), *entry.keywords.get(lang, ())):
                    by_language[lang].update(self._words(text))
        return (frozenset(by_language["de"] - by_language["en"]),
                frozenset(by_language["en"] - by_language["de"]))

    def _canonical(self, word: str) -> tuple[str, ...]:
        """Map a folded word to terms, splitting a compound whose two parts are both known."""
        cached = self._canonical_cache.get(word)
        if cached is not None:
            return cached
        vocabulary = self._split_vocabulary
        best: tuple[str, ...] = ()
        best_balance = 0
        if len(word) >= 2 * MIN_SPLIT_PART:
            for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
                left, right = word[:cut], word[cut:]
                right_stem = stem(right)
                if right_stem not in vocabulary:
                    continue
                for head in (left, left[:-1] if left.endswith("s") else ""):
                    if len(head) >= MIN_SPLIT_PART and stem(head) in vocabulary:
                        balance = min(len(head), len(right))
                        if balance > best_balance:
                            best, best_balance = (stem(head), right_stem), balance
        result = best or (stem(word),)
        if len(self._canonical_cache) > 200_000:
            self._canonical_cache.clear()
        self._canonical_cache[word] = result
        return result

    # ---- query -------------------------------------------------------------------------
    def _resolve(self, word: str) -> tuple[tuple[str, ...], float]:
        """Known terms for a question word, and how sure the mapping is (1.0 = exact)."""
        cached = self._resolved.get(word)
        if cached is not None:
            return cached
        vocabulary = self._index.vocabulary
        terms = self._canonical(word)
        result: tuple[tuple[str, ...], float] = ((), 0.0)
        if all(term in vocabulary for term in terms):
            result = (terms, 1.0)
        else:
            cutoff = _fuzzy_cutoff(word)
            if cutoff is not None:
                found = process.extractOne(word, self._surface_list,
                                           scorer=fuzz.ratio, score_cutoff=cutoff)
                if found is not None:
                    result = (self._surface[found[0]], found[1] / 100.0)
        if len(self._resolved) > 100_000:
            self._resolved.clear()
        self._resolved[word] = result
        return result

    def detect_language(self, text: str, fallback: str) -> str:
        return detect_language(text, fallback, self._german_words, self._english_words)

    def match(self, question: str, fallback_lang: str = "de") -> Match:
        """Find the entry that answers `question`, or suggestions when none is confident."""
        question = question[:MAX_QUESTION_CHARS]
        lang = self.detect_language(question, fallback_lang)
        idf = self._index.idf
        weights: dict[str, float] = {}
        missing = 0.0
        known = 0
        typed = self._content_words(question, german=lang == "de")
        for word, unknown_weight in typed:
            terms, certainty = self._resolve(word)
            if not terms:
                missing += unknown_weight
                continue
            known += 1
            for term in terms:
                weights[term] = max(weights.get(term, 0.0), idf[term] * certainty)
        if not weights:
            return Match(None, 0, lang, (), known, len(typed))
        ranked = self._rank(weights, sum(weights.values()) + missing)
        best_score, best_entry = ranked[0]
        confident = best_score >= self.confident_score
        entry = self._entries[best_entry] if confident else None
        pool = ranked[1:] if confident else ranked
        suggestions = tuple(self._entries[i] for s, i in pool
                            if s >= SUGGESTION_MIN_SCORE)[:MAX_SUGGESTIONS]
        return Match(entry, round(best_score), lang, suggestions, known, len(typed))

    def _content_words(self, question: str, *, german: bool) -> list[tuple[str, float]]:
        """The question's content words, each with the weight it has if it is unknown.

        An unknown word counts against confidence. German capitalises nouns, so in a
        mixed-case question an unknown lower-case word (a verb: "passieren") counts half,
        while an unknown noun ("Wetter", "Kubernetes") counts fully. Two neighbours that
        form a known word together ("Lebens Zyklus") are joined.
        """
        full = UNKNOWN_FACTOR * math.log(1 + max(len(self._entries), 1))
        mixed_case = german and question not in (question.lower(), question.upper())
        pieces = [(piece, raw[:1].islower()) for raw in question.split() for piece in words(raw)]
        folded = [piece for piece, _ in pieces]
        result: list[tuple[str, float]] = []
        skip = False
        for position, word in enumerate(folded):
            if skip:
                skip = False
                continue
            if word in STOPWORDS or len(word) < 2:
                continue
            following = folded[position + 1] if position + 1 < len(folded) else ""
            joined = word + following
            vocabulary = self._index.vocabulary
            if following and stem(joined) in vocabulary and not (
                    stem(word) in vocabulary and stem(following) in vocabulary):
                result.append((joined, full))
                skip = True
                continue
            if word.isdigit():
                weight = 0.3 * full
            elif mixed_case and position > 0 and pieces[position][1]:
                weight = 0.5 * full
            else:
                weight = full
            result.append((word, weight))
        return result

    def _rank(self, weights: dict[str, float], total: float) -> list[tuple[float, int]]:
        """The best few entries by exact score, evaluating candidates best-bound-first.

        The bound uses, per entry, the sum of each question term's best share in any one
        phrasing, which can only overestimate the true phrasing fit; evaluation stops when
        no remaining candidate can beat the current top, or after MAX_EXACT candidates.
        """
        size = len(self._entries)
        matched = np.zeros(size)
        bound = np.zeros(size)
        for term, weight in weights.items():
            posting = self._index.postings.get(term)
            if posting is not None:
                matched[posting[0]] += weight
                bound[posting[0]] += posting[1]
        candidates = np.flatnonzero(matched)
        cover = matched[candidates] / total
        upper = self._score_array(cover, np.minimum(bound[candidates], 1.0))
        if len(candidates) > MAX_EXACT:
            keep = np.argpartition(-upper, MAX_EXACT)[:MAX_EXACT]
            candidates, cover, upper = candidates[keep], cover[keep], upper[keep]
        order = np.lexsort((candidates, -upper))
        # min-heap of the best (score, phrasings touched, -entry index); ties go to the entry
        # that talks about the question's terms in more of its phrasings
        top: list[tuple[float, int, int]] = []
        for position in order:
            if len(top) > MAX_SUGGESTIONS and upper[position] <= top[0][0]:
                break
            entry_index = int(candidates[position])
            fit, support = self._phrasing_cover(entry_index, weights, total)
            exact = self._score(float(cover[position]), fit)
            heapq.heappush(top, (exact, support, -entry_index))
            if len(top) > MAX_SUGGESTIONS + 1:
                heapq.heappop(top)
        return [(score, -negative) for score, _, negative in sorted(top, reverse=True)]

    def _phrasing_cover(self, entry_index: int, weights: dict[str, float], total: float
                        ) -> tuple[float, int]:
        """How well the entry's best phrasing fits the question, and phrasings touched.

        A phrasing fits when the question covers it (a keyword fully present) and, to a
        lesser degree, when it covers the question: "Unterschied Cluster Netzwerk" prefers
        the phrasing with all three words over a bare keyword "Unterschied".
        """
        idf = self._index.idf
        asked = weights.keys()
        best = 0.0
        touched = 0
        for phrasing_index in self._index.entry_phrasings[entry_index]:
            phrasing = self._index.phrasings[phrasing_index]
            common = phrasing.terms & asked
            if common:
                touched += 1
                covered = sum(idf[t] for t in common)
                explained = sum(weights[t] for t in common) / total
                fit = covered / phrasing.weight * (1 - EXPLAIN_SHARE + EXPLAIN_SHARE * explained)
                best = max(best, fit)
        return best, touched

    @staticmethod
    def _score_array(question_cover: np.ndarray, phrasing_cover: np.ndarray) -> np.ndarray:
        return 100.0 * np.power(question_cover, COVERAGE_EXPONENT) * (
            PHRASING_FLOOR + (1 - PHRASING_FLOOR) * phrasing_cover)

    @staticmethod
    def _score(question_cover: float, phrasing_cover: float) -> float:
        return 100.0 * (question_cover ** COVERAGE_EXPONENT) * (
            PHRASING_FLOOR + (1 - PHRASING_FLOOR) * phrasing_cover)
