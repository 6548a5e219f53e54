"""Term-level API for matching short terms across languages (member keywords, topics).

`weighted_concepts(term)` maps a term to language-neutral keys, each with a weight in
(0, 1]: the term's own lemma key (1.0), its translations and round-trip synonyms (0.85 /
0.6, see bridge.py), and for a compound or a phrase its parts (0.5) and their translations.
Two terms mean the same when they share a heavy key:

    "Wärmepumpen"          -> waermepumpe 1.0, heat pump 0.85, waerme 0.5, pumpe 0.5, heat ...
    "heat pumps"           -> heat pump 1.0, waermepumpe 0.85, heat 0.5, pump 0.5, ...
    "Kreislaufwirtschaft"  -> kreislaufwirtschaft 1.0, circular economy 0.85, ...
    "lightweight design"   -> lightweight design 1.0, leichtbau 0.85, ...

`affinity(a, b)` is the best product of weights over the keys two terms share (1.0 for the
same lemma, about 0.85 for a translation, 0.25 for a shared part), so a caller picks its own
threshold. Typos are not repaired here: that needs the caller's vocabulary (typos.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from knowledge.language.bridge import related
from knowledge.language.compounds import split
from knowledge.language.folding import words
from knowledge.language.function_words import is_function_word
from knowledge.language.lemmas import lemma

PART_WEIGHT = 0.5


@lru_cache(maxsize=20_000)
def _weighted(term: str) -> tuple[tuple[str, float], ...]:
    folded = [word for word in words(term) if not is_function_word(word)] or words(term)
    found: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        if weight > found.get(key, 0.0):
            found[key] = round(weight, 3)

    def add_with_related(key: str, weight: float) -> None:
        add(key, weight)
        for other, factor in related(key).items():
            add(other, weight * factor)

    lemmas = [lemma(word) for word in folded]
    if len(lemmas) > 1:
        add_with_related(" ".join(lemmas), 1.0)
    for key in lemmas:
        weight = 1.0 if len(lemmas) == 1 else PART_WEIGHT
        add_with_related(key, weight)
        for part in split(key) or ():
            add_with_related(part, weight * PART_WEIGHT)
    return tuple(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def weighted_concepts(term: str) -> dict[str, float]:
    """Language-neutral keys of a term with their weights, heaviest first."""
    return dict(_weighted(term))


def concepts(term: str) -> frozenset[str]:
    """The keys of `weighted_concepts(term)`."""
    return frozenset(key for key, _ in _weighted(term))


def affinity(first: Mapping[str, float] | str, second: Mapping[str, float] | str) -> float:
    """How well two terms (or their weighted concepts) agree, 0-1."""
    a = weighted_concepts(first) if isinstance(first, str) else first
    b = weighted_concepts(second) if isinstance(second, str) else second
    if len(a) > len(b):
        a, b = b, a
    return max((weight * b[key] for key, weight in a.items() if key in b), default=0.0)
