"""Typo repair with rapidfuzz that never replaces a correctly spelt word.

A word the general lexicon knows (weights.is_known: Ding's words, frequent forms and their
inflections, compounds of known parts) stays itself: "Wetter" is not a typo of "weiter",
"Raten" not of "Rate". Only an unknown word is compared with the vocabulary a matcher
passes in (its knowledge base's word forms), by rapidfuzz's ratio (indel distance) with a
cutoff that grows stricter for short words: a missing or extra letter in a 6-letter word
costs 8-9 points and a changed one 17, so 6-letter words only get insertions and
deletions, and shorter words are not guessed at all. Only vocabulary words with the same
first letter and a length the cutoff allows are compared: a misspelling rarely changes
the first letter, and a knowledge base of 10,000 entries has 20,000 words to compare.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from knowledge.language.function_words import FUNCTION_WORDS, INTENT_OF
from knowledge.language.lexicon import lexicon
from knowledge.language.weights import is_known, zipf


def cutoff(word: str) -> float | None:
    """The similarity (0-100) a repair of `word` needs, or None for a word too short."""
    if len(word) < 6:
        return None
    if len(word) == 6:
        return 90.0
    return 85.0 if len(word) < 9 else 80.0


class TypoRepair:
    """Maps a misspelt word to the closest of a fixed vocabulary, or to nothing."""

    def __init__(self, vocabulary: Iterable[str],
                 known: Callable[[str], bool] = is_known) -> None:
        self._choices = sorted({word for word in vocabulary if len(word) >= 4})
        self._by_start: dict[tuple[str, int], list[str]] = {}
        for word in self._choices:
            self._by_start.setdefault((word[0], len(word)), []).append(word)
        self._known = known
        self._cache: dict[str, tuple[str, float] | None] = {}

    def _candidates(self, word: str, limit: float) -> list[str]:
        """Vocabulary words that can reach `limit`: indel similarity is at most
        2 * min / (len1 + len2), so a length far from the word's cannot."""
        size = len(word)
        shortest = math.ceil(size * limit / (200 - limit) - 1e-9)
        longest = math.floor(size * (200 - limit) / limit + 1e-9)
        found: list[str] = []
        for length in range(max(shortest, 4), longest + 1):
            found.extend(self._by_start.get((word[0], length), ()))
        return found

    def repair(self, word: str) -> tuple[str, float] | None:
        """(vocabulary word, similarity 0-1) for a misspelt folded word, else None."""
        if word in self._cache:
            return self._cache[word]
        result: tuple[str, float] | None = None
        limit = cutoff(word)
        if limit is not None and not self._known(word):
            found = process.extractOne(word, self._candidates(word, limit),
                                       scorer=fuzz.ratio, score_cutoff=limit)
            if found is not None and found[0] != word:
                result = (found[0], found[1] / 100.0)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[word] = result
        return result


EVERYDAY_ZIPF = 4.0  # forms at least this frequent count as everyday words


@lru_cache(maxsize=64)
def _everyday_forms(letter: str) -> tuple[dict[int, tuple[str, ...]], dict[str, float]]:
    """Function words and frequent forms of the lexicon that start with `letter`, by
    length, the most frequent first (so "shuld" is "should", not "Schuld"; function words
    count as the most frequent of all). Only forms of 4+ letters, since a shorter
    misspelling is too ambiguous to place. Read per first letter (a misspelling keeps its
    first letter): one letter's run of the sorted lexicon takes milliseconds, all of it
    0.3 s, which a bot would spend at start-up beside its first replies."""
    grouped: dict[int, dict[str, float]] = {}
    for word in FUNCTION_WORDS:
        if len(word) >= 4 and word.startswith(letter):
            grouped.setdefault(len(word), {})[word] = 10.0
    for line in lexicon().lines_starting(letter.encode()):
        form, _, rest = line.partition(b"\t")
        if len(form) < 4 or b" " in form:
            continue
        fields = rest.split(b"\t", 3)
        if len(fields) < 3:
            continue
        frequency = max(int(fields[1] or 0), int(fields[2] or 0)) / 10
        if frequency >= EVERYDAY_ZIPF:
            word = form.decode()
            known = grouped.setdefault(len(word), {})
            known[word] = max(known.get(word, 0.0), frequency)
    frequency_of = {word: value for forms in grouped.values() for word, value in forms.items()}
    return ({length: tuple(sorted(forms, key=lambda w: (-forms[w], w)))
             for length, forms in grouped.items()}, frequency_of)


@lru_cache(maxsize=20_000)
def everyday_spelling(word: str) -> str | None:
    """The everyday word a misspelt folded word most likely stands for ("shuld" -> "should",
    "becuase" -> "because", "posible" -> "possible"), or None.

    One edit (a letter added, dropped, changed, or two neighbours swapped), the same first
    letter, 5+ letters; a word the lexicon knows is never "corrected". A matcher uses it to
    weigh an unknown word like the everyday word it stands for, instead of like a rare
    content word that no entry knows."""
    if len(word) < 5 or is_known(word):
        return None
    forms, frequency_of = _everyday_forms(word[0])
    best: str | None = None
    for length in (len(word) - 1, len(word), len(word) + 1):
        group = forms.get(length, ())
        found = process.extractOne(word, group, scorer=OSA.distance, score_cutoff=1)
        if found is not None and (best is None or frequency_of[found[0]] > frequency_of[best]):
            best = found[0]
    return best


SHORT_TYPO_LENGTHS = range(3, 6)  # shorter words are too ambiguous; longer: everyday_spelling
FUNCTION_WORD_GAP = 2.5  # Zipf points the function word must be more frequent than the word


@lru_cache(maxsize=1)
def _function_words_by_letter() -> dict[str, tuple[str, ...]]:
    """Function words of three letters or more by first letter, the most frequent first."""
    grouped: dict[str, list[str]] = {}
    for word in FUNCTION_WORDS | INTENT_OF.keys():  # "waurm" is "warum", an intent word
        if len(word) >= 3:
            grouped.setdefault(word[0], []).append(word)
    return {letter: tuple(sorted(words, key=lambda w: (-zipf(w), w)))
            for letter, words in grouped.items()}


@lru_cache(maxsize=20_000)
def function_word_spelling(word: str) -> str | None:
    """The function word a short misspelt folded word stands for ("wich" -> "which", "teh"
    -> "the", "waht" -> "what", "waurm" -> "warum"), or None. One slip (_one_slip), the same
    first letter, and a function word far more frequent (FUNCTION_WORD_GAP) than the word
    itself, which may be a rare word of its own ("wich" is German "gave way"): a matcher
    reads it as the function word, not as a rare content word that no entry knows. A caller
    leaves out names and abbreviations ("VPN", "AWS": capitalised) and the words its own
    texts use."""
    if len(word) not in SHORT_TYPO_LENGTHS or word in FUNCTION_WORDS or word in INTENT_OF:
        return None
    candidates = _function_words_by_letter().get(word[0], ())
    limit = zipf(word) + FUNCTION_WORD_GAP
    for candidate in candidates:
        if zipf(candidate) < limit:
            break
        if _one_slip(word, candidate):
            return candidate
    return None


def _one_slip(word: str, candidate: str) -> bool:
    """One letter added or dropped, or two neighbours swapped: a slip of the fingers. Not a
    changed letter, which makes too many short words of each other ("vpn" and "von", "iot"
    and "ist")."""
    if abs(len(candidate) - len(word)) == 1:
        return Indel.distance(word, candidate) == 1
    return (len(candidate) == len(word) and sorted(candidate) == sorted(word)
            and OSA.distance(word, candidate) == 1)


@lru_cache(maxsize=20_000)
def dropped_g_spelling(word: str) -> str | None:
    """The English -ing form a chat writes without its g ("goin" -> "going", "nothin" ->
    "nothing", "lookin" -> "looking"), or None: only when the dictionary lists no word of
    that spelling ("kin", "sin", "Termin" stay themselves) and the -ing form is an everyday
    English word. Word frequencies cannot decide: chats write "goin" often enough."""
    if len(word) < 4 or not word.endswith("in"):
        return None
    written = lexicon().get(word)
    if written is not None and (written.german or written.english):
        return None
    full = lexicon().get(word + "g")
    return word + "g" if full is not None and full.zipf_en >= EVERYDAY_ZIPF else None
