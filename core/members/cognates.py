"""Cognates: German and English words spelt alike that the dictionary does not link.

Technical words are often borrowed with a different spelling ("Elektrolyseur" /
"electrolyser", "Pasteurisierung" / "pasteurisation", "Photonik" / "photonics") and the
dictionary lacks many of them. Both are reduced to a rough common spelling (c -> k, z -> s,
ph -> f, y -> i, usual endings unified) and compared with rapidfuzz. A pair counts only
when the dictionary cannot tell (one of the two has no translation at all), or when the
two long words are spelt alike almost letter for letter: "Fabrik" and "fabric" look alike,
but both have translations and they are short, so they stay apart. Only words members
wrote are candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.language import lemma, related

MIN_LENGTH = 6
MIN_SIMILARITY = 90.0
SAME_SPELLING, SAME_MIN_LENGTH = 97.0, 8  # "Inspektion" / "inspection": linked even when
# the dictionary translates both (but not to each other); short look-alikes never are
_SPELLING = (("ph", "f"), ("th", "t"), ("ck", "k"), ("c", "k"), ("z", "s"), ("y", "i"),
             ("ae", "e"), ("oe", "o"), ("ue", "u"))
_ENDINGS = ((re.compile(r"(isierung|isation|ization|ierung|ation)$"), "ation"),
            (re.compile(r"(iks|ics|ik|ic)$"), "ik"),
            (re.compile(r"(eure|eur|ers|er|ors|or|oren|ore)$"), "er"),
            (re.compile(r"(en|e|s|n)$"), ""))


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """A rough spelling shared by German and English cognates ("elektroliser")."""
    for old, new in _SPELLING:
        word = word.replace(old, new)
    for pattern, new in _ENDINGS:
        word = pattern.sub(new, word)
    return word


@lru_cache(maxsize=100_000)
def untranslated(word: str) -> bool:
    """True for a word the German-English bridge has no translation for."""
    return not word.isupper() and not related(lemma(word))


class Cognates:
    """Finds the cognates of a word among a fixed vocabulary."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_skeleton: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) >= MIN_LENGTH and word.isalpha():
                self._by_skeleton.setdefault(skeleton(word), []).append(word)
        self._choices = list(self._by_skeleton)
        self._cache: dict[str, tuple[tuple[str, float], ...]] = {}

    def of(self, word: str) -> tuple[tuple[str, float], ...]:
        """(vocabulary word, similarity 0-1) of the word's cognates, best first."""
        found = self._cache.get(word)
        if found is not None:
            return found
        result: list[tuple[str, float]] = []
        if len(word) >= MIN_LENGTH and word.isalpha():
            own = skeleton(word)
            for match, score, _ in process.extract(own, self._choices, scorer=fuzz.ratio,
                                                   score_cutoff=MIN_SIMILARITY, limit=3):
                for other in self._by_skeleton[match]:
                    alike = score >= SAME_SPELLING and min(len(word), len(other)) >= (
                        SAME_MIN_LENGTH)
                    if other != word and lemma(other) != lemma(word) and (
                            alike or untranslated(word) or untranslated(other)):
                        result.append((other, score / 100))
        if len(self._cache) > 50_000:
            self._cache.clear()
        found = self._cache[word] = tuple(result)
        return found
