"""Match a member's question to a knowledge-base entry, or admit that there is no good match.

The question is analysed into terms like the knowledge base was (knowledge.analysis, on the
language layer knowledge.language), so German and English, inflections, compounds, typos
and the German-English bridge are handled the same way on both sides. The score (0-100)
multiplies how much of the question an entry explains (cover) by how well the entry's best
phrasing fits the question (fit):

- cover: the weight of the question's terms the entry matches, over the weight of all its
  terms. A term's weight is IDF x general-language weight (knowledge.index); a term that no
  entry knows counts against every entry — an unknown noun almost fully ("Wetter",
  "Kubernetes"), an unknown everyday verb less; a name the knowledge base mentions in
  passing ("Tampere") weighs less than a word, so "weather in Tampere" is not explained by
  the matchmaking entry. An intent ("?when", "?amount") no phrasing of the entry carries
  counts against it too: "Wann ist das nächste Treffen?" asks for a date the talk lacks.
- fit: the share of the best phrasing's weight the question covers.

Decision (`Match`): `entry` when the best score reaches `confident_score` and the runner-up
is clearly behind; `close` (two entries, `entry` None) when the best two both reach
CLOSE_MIN_SCORE and the second is at most CLOSE_TIE points behind (in a question of more
than one known word), or at most CLOSE_MARGIN and touches at least CLOSE_SUPPORT_RATIO as
many of its phrasings with the question's terms — the caller asks "did you mean A or B?" —
but never when the question has a strong content word no entry knows ("Kubernetes") or asks
for something no entry gives (a date, the current state: "?now" for "aktuell", "today"):
then both candidates are only half the story. A question with one known word gets an
`entry` only when that word names the entry's topic (ONE_WORD_FIT) and, in a sentence, is
no everyday word — unless the entry is the cluster's own, whose phrasings a manager wrote
on purpose ("Wann seid ihr da?"). Otherwise `entry` None with up to three `suggestions`.

Thresholds and weights were chosen on split "tune" of the dev set (bench/bench_quality.py).
Scoring runs on flat arrays (knowledge.index): the entries' postings for cover, the
phrasings' own keys for fit, all candidates at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from knowledge.analysis import Analyser, Term
from knowledge.base import Entry, KnowledgeBase
from knowledge.batch import ranges
from knowledge.index import Index, build, term_weight
from knowledge.language import TypoRepair, detect_language
from knowledge.language.function_words import JOIN, OURS, PRICE

CONFIDENT_SCORE = 56
CLOSE_MIN_SCORE = 42
CLOSE_MARGIN = 8.0  # points between the best two entries
CLOSE_SUPPORT_RATIO = 0.75  # ... and talks about the question in nearly as many phrasings
# ... unless they are this near in a question of two known words or more: a tie, however
# many phrasings each has ("Herausforderungen im Clustermanagement": two entries at 74.3).
# One word that is a keyword of both ("openness") fits both fully: then how many of their
# phrasings talk about it is all that tells them apart
CLOSE_TIE = 5.0
CLOSE_UNKNOWN_LIMIT = 0.5  # no "did you mean" when a strong content word is unknown
# A question with one known word is answered only when the word names an entry's topic (a
# keyword or title, or most of one: the share of the phrasing's weight it covers), not when
# it merely occurs in one of its phrasings: "test" is no question about the keyword "stand
# the test of time"
ONE_WORD_FIT = 0.8
# ... and, in a sentence (ONE_WORD_SENTENCE words or more), is no everyday word: a general
# weight below this is a Zipf frequency above 4.75 ("Mitglied", "Partner", "Geld")
ONE_EVERYDAY_WORD = 0.6
ONE_WORD_SENTENCE = 3
SUGGESTION_MIN_SCORE = 15
MAX_SUGGESTIONS = 3
COVERAGE_EXPONENT = 0.8
PHRASING_FLOOR = 0.5
EXPLAIN_SHARE = 0.3
UNKNOWN_FACTOR = 1.0
UNKNOWN_NOUN_FLOOR = 1.0
INTENT_WEIGHT = 0.35  # of the largest IDF, for an intent such as "?why"
NOW_FACTOR = 3.0  # of an intent's weight, for "?now" (today, currently) or "?ours" (a fact
# about this very cluster: "Wie hoch ist unser Mitgliedsbeitrag?") that no entry answers
TWO_HOP = 0.7  # a question word's translation meeting an entry word's translation
MAX_EXACT = 64  # candidates scored exactly per question, best upper bound first
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Match:
    """The outcome: a confident entry, two close candidates, or suggestions only."""

    entry: Entry | None
    score: int
    lang: str
    suggestions: tuple[Entry, ...] = ()
    known_words: int = 0
    content_words: int = 0
    close: tuple[Entry, ...] = ()  # two entries too close to pick one; `entry` is None
    asks_to_join: bool = False  # how to become a member: the caller can point to joining
    about_this_cluster: bool = False  # a fact of this very cluster ("eure Öffnungszeiten")

    @property
    def confident(self) -> bool:
        return self.entry is not None



@dataclass(slots=True)
class _Query:
    weights: list[float]  # per known term
    alternatives: list[dict[str, float]]  # per known term: key -> weight
    keys: dict[str, tuple[float, float]]  # key -> (best alternative weight, term weight)
    total: float
    known: int
    content: int
    unknown: float = 0.0  # the heaviest content word no entry knows, over the largest IDF
    ours: bool = False  # asks a fact about this very cluster ("unser Mitgliedsbeitrag")
    asks: tuple[str, ...] = ()  # intents some entry carries ("?when"), "?why"/"?what" aside
    general: float = 0.0  # the general weight of the most specific known content word
    joining: bool = False  # asks how to become a member


class Matcher:
    """Answers "which entry fits this question, and how sure are we?"."""

    def __init__(self, knowledge_base: KnowledgeBase, *, confident_score: int = CONFIDENT_SCORE,
                 index: Index | None = None):
        """`index`: one built for this very knowledge base before (knowledge.index.build,
        saved and read back with to_arrays/from_arrays), instead of building it again."""
        self.knowledge_base = knowledge_base
        self.confident_score = confident_score
        self._index: Index = index if index is not None else build(knowledge_base)
        self._entries = self._index.entries
        self._repair = TypoRepair(self._index.surface)
        self._analyser = Analyser(self._index.vocabulary, self._repair.repair,
                                  self._index.keys, self._index.own)
        self._max_idf = math.log(1 + max(len(self._entries), 1))
        strengths = self._index.postings.strengths
        self._two_hop_strengths = np.where(strengths < 1.0, strengths * TWO_HOP, strengths)
        # a large knowledge base's entry e owns one run of phrasing_keys: kept as one view
        # each, so _fits_of_candidates gathers its candidates' keys without slicing anew
        self._entry_keys: list[np.ndarray] = [] if self._index.dense is not None else np.split(
            self._index.phrasing_keys, self._index.entry_element_starts[1:-1])

    @property
    def index(self) -> Index:
        """The index it answers from (to be saved: knowledge.index.to_arrays)."""
        return self._index

    def detect_language(self, text: str, fallback: str) -> str:
        return detect_language(text, fallback, self._index.german_words,
                               self._index.english_words)

    # ---- query ---------------------------------------------------------------------------
    def _query(self, question: str) -> _Query:
        index = self._index
        numbers = index.postings.numbers
        terms: list[Term] = self._analyser.terms(question)
        query = _Query([], [], {}, 0.0, 0, sum(1 for t in terms if not t.intent))
        for term in terms:
            query.ours = query.ours or term.own == OURS
            query.joining = query.joining or term.own == JOIN
            present = {k: a for k, a in term.keys.items() if k in numbers}
            if present:
                weight = term_weight(term, index.idf, index.names) * term.certainty
                if term.intent:
                    weight = INTENT_WEIGHT * self._max_idf
                query.known += not term.intent
                if not term.intent:
                    query.general = max(query.general, term.general)
                if term.intent and term.own not in ("?why", "?what"):
                    query.asks += (term.own,)
                query.weights.append(weight)
                query.alternatives.append(present)
                for key, alternative in present.items():
                    best = query.keys.get(key, (0.0, 0.0))
                    query.keys[key] = (max(best[0], alternative), max(best[1], weight))
                query.total += weight
            else:
                unknown = self._unknown_weight(term)
                query.total += unknown
                if not term.intent:
                    query.unknown = max(query.unknown, unknown / self._max_idf)
                elif term.own not in ("?why", "?what"):  # asks for what no entry gives
                    query.unknown = max(query.unknown, CLOSE_UNKNOWN_LIMIT)
        return query

    def _unknown_weight(self, term: Term) -> float:
        if term.intent:
            soft = term.own in ("?why", "?what")  # an unexplained "why"/"what is" says little
            factor = 0.3 if soft else NOW_FACTOR if term.own in ("?now", OURS, PRICE) else 1.0
            return INTENT_WEIGHT * self._max_idf * factor
        general = max(term.general, UNKNOWN_NOUN_FLOOR) if term.noun else term.general
        return self._max_idf * general * UNKNOWN_FACTOR

    def match(self, question: str, fallback_lang: str = "de") -> Match:
        """Find the entry that answers `question`, or close candidates, or suggestions."""
        question = question[:MAX_QUESTION_CHARS]
        lang = self.detect_language(question, fallback_lang)
        query = self._query(question)
        if not query.weights or query.known == 0:
            return Match(None, 0, lang, (), query.known, query.content,
                         asks_to_join=query.joining, about_this_cluster=query.ours)
        ranked = everything = self._rank(query)
        if query.ours:  # the talk knows no fact about this very cluster: only its own entries
            ranked = [r for r in ranked if self._entries[r[1]].cluster_facts] or [
                (0.0, -1, 0, 0.0)]
        best_score, best, best_support, best_fit = ranked[0]
        second_score, second, second_support, _ = ranked[1] if len(ranked) > 1 else (
            0.0, -1, 0, 0.0)
        entry: Entry | None = None
        close: tuple[Entry, ...] = ()
        if (second_score >= CLOSE_MIN_SCORE and best_score - second_score <= CLOSE_MARGIN
                and (second_support >= CLOSE_SUPPORT_RATIO * best_support
                     or (best_score - second_score <= CLOSE_TIE and query.known > 1))
                and query.unknown < CLOSE_UNKNOWN_LIMIT
                and self._answer_what_is_asked(query, (best, second))):
            close = (self._entries[best], self._entries[second])
        elif best_score >= self.confident_score and (
                query.known > 1 or query.ours  # ours: only the cluster's own entries compete
                or self._entries[best].cluster_facts  # a manager's own words: taught on purpose
                or self._one_word_names_the_topic(query, best_fit, question)):
            entry = self._entries[best]
        # the talk's topics are no suggestion for a fact of this cluster that no entry gives
        pool = [] if query.ours and entry is None and not close else [
            r for r in everything if entry is None or r[1] != best]
        suggestions = tuple(self._entries[i] for s, i, _, _ in pool
                            if s >= SUGGESTION_MIN_SCORE)[:MAX_SUGGESTIONS]
        return Match(entry, round(best_score), lang, suggestions, query.known, query.content,
                     close, asks_to_join=query.joining, about_this_cluster=query.ours)

    @staticmethod
    def _one_word_names_the_topic(query: _Query, fit: float, question: str) -> bool:
        """Whether a question's one known word is enough: it must name an entry's topic
        (ONE_WORD_FIT), and in a sentence it must be no everyday word — "Monitoring?" and
        "Wie viel Geld?" ask about the topic, "Wie kann ich Mitglied werden?" asks how this
        cluster takes members, which no entry says."""
        return fit >= ONE_WORD_FIT and (query.general >= ONE_EVERYDAY_WORD
                                        or len(question.split()) < ONE_WORD_SENTENCE)

    def _answer_what_is_asked(self, query: _Query, entries: tuple[int, ...]) -> bool:
        """Whether the entries carry the question's intents ("?when"): "When is the next
        network meeting?" is no "did you mean A or B" between two entries that give no
        date, even when others do."""
        for intent in query.asks:
            carriers = self._index.postings.ranked(intent)[0]
            if not all(np.any(carriers == entry) for entry in entries):
                return False
        return True

    def rank(self, question: str, fallback_lang: str = "de") -> list[tuple[float, Entry]]:
        """The best few entries with their scores, whatever the decision (for benchmarks)."""
        query = self._query(question[:MAX_QUESTION_CHARS])
        if not query.weights or query.known == 0:
            return []
        return [(score, self._entries[i]) for score, i, _, _ in self._rank(query)]

    # ---- scoring -------------------------------------------------------------------------
    def _rank(self, query: _Query) -> list[tuple[float, int, int, float]]:
        """The best few entries (score, index, phrasings touched, fit), best first.

        At most MAX_EXACT candidates (the best upper bounds) are scored exactly; ties go
        to the entry that talks about the question's terms in more of its phrasings."""
        if self._index.dense is not None:
            matched = self._matched_dense(query)
        else:
            matched = self._matched_sparse(query)
        candidates = np.flatnonzero(matched != 0)
        cover = matched[candidates]
        cover /= query.total
        np.minimum(cover, 1.0, out=cover)
        if len(candidates) > MAX_EXACT:  # only the best upper bounds are scored exactly
            keep = np.argpartition(-self._score_array(cover, 1.0), MAX_EXACT)[:MAX_EXACT]
            candidates, cover = candidates[keep], cover[keep]
        if self._index.dense is not None:
            fits, supports = self._fits(candidates, query)
        else:
            fits, supports = self._fits_of_candidates(candidates, query)
        exact = self._score_array(cover, fits)
        order = np.lexsort((candidates, -supports, -exact))[:MAX_SUGGESTIONS + 1]
        return [(float(exact[i]), int(candidates[i]), int(supports[i]), float(fits[i]))
                for i in order]

    def _matched_sparse(self, query: _Query) -> np.ndarray:
        """Per entry, the weight of the question's terms it matches (each term by its best
        key; a translation meeting a translation counts TWO_HOP).

        Per key the strength table is scaled (and for a translation's translation reduced)
        once, then looked up by rank — by posting, or for a heavy key along its dense row
        (Postings.row), absent entries adding 0. Each term is added in turn, as the same
        floats in the same order, whichever way its keys are read."""
        size = len(self._entries)
        matched = np.zeros(size)
        for weight, alternatives in zip(query.weights, query.alternatives, strict=True):
            if len(alternatives) == 1:  # one key: no maximum to take
                (key, alternative), = alternatives.items()
                self._add_key(matched, key, weight * alternative * self._strengths(alternative))
                continue
            strength: np.ndarray | None = None  # the first key's, then the maximum
            for key, alternative in alternatives.items():
                by_rank = self._strengths(alternative) * alternative
                if strength is None:
                    strength = self._key_strengths(key, by_rank)
                else:
                    self._add_key(strength, key, by_rank, np.maximum)
            assert strength is not None
            matched += np.multiply(strength, weight, out=strength)
        return matched

    def _strengths(self, alternative: float) -> np.ndarray:
        """The strength per rank (Postings.strengths) a key found as `alternative` meets."""
        if alternative < 1.0 and TWO_HOP < 1.0:  # a translation of a translation
            return self._two_hop_strengths
        return self._index.postings.strengths

    def _key_strengths(self, key: str, by_rank: np.ndarray) -> np.ndarray:
        """by_rank[rank of the key's strength] for each entry, 0 where it is absent (so the
        maximum with it is itself: strengths are positive)."""
        row = self._index.postings.row(key)
        if row is not None:
            return by_rank.take(row)
        strengths = np.zeros(len(self._entries))
        ids, ranks = self._index.postings.ranked(key)
        strengths[ids] = by_rank.take(ranks)
        return strengths

    def _add_key(self, into: np.ndarray, key: str, by_rank: np.ndarray,
                 combine: np.ufunc = np.add) -> None:
        """into = combine(into, by_rank[rank of the key's strength]) for each entry."""
        postings = self._index.postings
        row = postings.row(key)
        if row is not None:
            combine(into, by_rank.take(row), out=into)
        else:
            ids, ranks = postings.ranked(key)
            into[ids] = combine(into[ids], by_rank.take(ranks))

    def _matched_dense(self, query: _Query) -> np.ndarray:
        """_matched_sparse for a small knowledge base, on its dense key x entry matrix."""
        dense = self._index.dense
        assert dense is not None
        numbers = self._index.postings.numbers
        rows: list[int] = []
        factors: list[float] = []
        starts: list[int] = []
        for keys in query.alternatives:
            starts.append(len(rows))
            for key, factor in keys.items():
                rows.append(numbers[key])
                factors.append(factor)
        strengths = dense[rows]
        alternative = np.array(factors)[:, None]
        if TWO_HOP < 1.0:
            strengths = np.where((alternative < 1.0) & (strengths < 1.0),
                                 strengths * TWO_HOP, strengths)
        per_term = np.maximum.reduceat(strengths * alternative, starts, axis=0)
        return np.asarray(np.array(query.weights) @ per_term)

    def _fits(self, candidates: np.ndarray, query: _Query) -> tuple[np.ndarray, np.ndarray]:
        """How well each candidate's best phrasing fits the question, and how many of its
        phrasings share a key with it — for a small knowledge base, from the phrasings that
        share a key with the question only (Index.key_starts), not by scanning them all.

        A phrasing fits when the question covers it (a keyword fully present) and, to a
        lesser degree, when it covers the question: "Unterschied Cluster Netzwerk" prefers
        the phrasing with all three words over a bare keyword "Unterschied".
        """
        index = self._index
        numbers = np.fromiter((index.postings.numbers[key] for key in query.keys),
                              dtype=np.int64, count=len(query.keys))
        values = np.array(list(query.keys.values()), dtype=np.float64).reshape(-1, 2)
        starts = index.key_starts[numbers]
        lengths = index.key_starts[numbers + 1] - starts
        elements = ranges(starts, lengths)
        if not len(elements):
            return np.zeros(len(candidates)), np.zeros(len(candidates), dtype=np.int64)
        # sums per phrasing number (a small knowledge base has a few thousand): the same
        # additions in the same order as per distinct phrasing, without sorting them
        count = len(index.phrasing_totals)
        owner = index.key_phrasings[elements]
        covered = np.bincount(owner, index.key_weights[elements] * np.repeat(values[:, 0], lengths),
                              minlength=count)
        explained = np.bincount(owner, np.repeat(values[:, 1], lengths), minlength=count)
        phrasings = np.flatnonzero(np.bincount(owner, minlength=count))
        fit = covered[phrasings] / index.phrasing_totals[phrasings] * (
            1 - EXPLAIN_SHARE + EXPLAIN_SHARE * np.minimum(explained[phrasings] / query.total,
                                                           1.0))
        owners = index.phrasing_entry[phrasings]
        best = np.zeros(len(self._entries))
        np.maximum.at(best, owners, fit)
        support = np.bincount(owners, minlength=len(self._entries))
        return np.minimum(best[candidates], 1.0), support[candidates]

    def _fits_of_candidates(self, candidates: np.ndarray, query: _Query
                            ) -> tuple[np.ndarray, np.ndarray]:
        """_fits for a large knowledge base, from the candidates' own phrasings (a key such
        as "cluster" is in most phrasings of 10,000 entries, so going by key would touch
        them all).

        Only the elements with a key of the question add to a phrasing's sums: one look-up
        per element of the candidates finds them (a tenth or so), and the sums are taken
        over them alone — the same floats as np.add.reduceat over the whole phrasing
        (_fits_of_crowded). A phrasing without one fits 0 (every phrasing weighs more)."""
        index = self._index
        slots, alternatives, weights = self._key_slots(query)
        first = index.entry_element_starts[candidates]  # a candidate's elements are one run
        stop = index.entry_element_starts[candidates + 1]
        runs = self._entry_keys
        found = slots.take(np.concatenate([runs[candidate] for candidate in candidates.tolist()]
                                          or [index.phrasing_keys[:0]]), mode="clip")
        hits = (found != 0).nonzero()[0]
        best = np.zeros(len(candidates))
        if not len(hits):
            return best, np.zeros(len(candidates), dtype=np.int64)
        ends = np.cumsum(stop - first)
        owners = np.searchsorted(ends, hits, side="right")  # candidate of each hit
        elements = hits + (stop - ends).take(owners)
        found = found.take(hits)
        phrasing = index.element_phrasing.take(elements)
        heads = np.empty(len(phrasing), dtype=bool)
        heads[0] = True
        np.not_equal(phrasing[1:], phrasing[:-1], out=heads[1:])
        group = np.cumsum(heads)
        group -= 1
        phrasings, owners = phrasing[heads], owners[heads]  # each with a key of the question
        alternative = alternatives.take(found)
        covered = np.bincount(group, index.phrasing_weights.take(elements) * alternative)
        explained = np.bincount(group, weights.take(found))
        self._fits_of_crowded(np.flatnonzero(np.bincount(group) > 2), phrasings, slots,
                              alternatives, weights, covered, explained)
        fit = covered / index.phrasing_totals.take(phrasings) * (
            1 - EXPLAIN_SHARE + EXPLAIN_SHARE * np.minimum(explained / query.total, 1.0))
        np.maximum.at(best, owners, fit)
        if alternatives[1:].min() <= 0:  # a phrasing only a key of weight 0 touches
            owners = owners[np.bincount(group, alternative > 0) > 0]
        np.minimum(best, 1.0, out=best)
        return best, np.bincount(owners, minlength=len(candidates))

    def _key_slots(self, query: _Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per key number its slot among the question's keys (0: not one of them), and per
        slot the key's alternative and weight (slot 0: 0 and 0) — a small per-question
        table rather than two the size of all keys, and nothing shared between the threads
        that match questions."""
        numbers = self._index.postings.numbers
        count = len(query.keys)
        slots = np.zeros(len(numbers), dtype=np.uint8 if count < 2 ** 8 else np.int64)
        slots[np.fromiter(map(numbers.__getitem__, query.keys), dtype=np.intp, count=count)] = (
            np.arange(1, count + 1))
        alternatives, weights = zip(*query.keys.values(), strict=True)  # (one key or more)
        return slots, np.array((0.0, *alternatives)), np.array((0.0, *weights))

    def _fits_of_crowded(self, crowded: np.ndarray, phrasings: np.ndarray, slots: np.ndarray,
                         alternatives: np.ndarray, weights: np.ndarray, covered: np.ndarray,
                         explained: np.ndarray) -> None:
        """Redo the sums of the phrasings with more than two keys of the question
        (`crowded`, positions in `phrasings`) as _fits does, over all their elements: with
        two non-zero parts any order of adding gives the same float, with three the order
        np.add.reduceat takes (pairwise) matters."""
        if not len(crowded):
            return
        index = self._index
        chosen = phrasings.take(crowded)
        starts = index.phrasing_starts.take(chosen)
        lengths = index.phrasing_starts.take(chosen + 1) - starts
        ends = np.cumsum(lengths)
        local = ends - lengths  # phrasing starts
        elements = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(starts - local, lengths)
        found = slots.take(index.phrasing_keys.take(elements))
        covered[crowded] = np.add.reduceat(
            index.phrasing_weights.take(elements) * alternatives.take(found), local)
        explained[crowded] = np.add.reduceat(weights.take(found), local)

    @staticmethod
    def _score_array(cover: np.ndarray | np.float64, fit: float | np.ndarray) -> np.ndarray:
        return 100.0 * np.power(cover, COVERAGE_EXPONENT) * (
            PHRASING_FLOOR + (1 - PHRASING_FLOOR) * fit)
