"""The distinct terms of the matchmaking index ("units") with their concepts, computed once.

A unit is one profile keyword ("heat pump controls") or one word of a profile's text, by its
folded content words. Its concepts (concepts.py) are computed when
the unit is first seen, so 100,000 profiles sharing a few thousand keywords expand each of
them once. `keys` maps every concept key to the units carrying it and with which weight
(compact `array` buffers that numpy reads without copying); `affinities` turns a query
term's concepts into the units it fits, best product of weights per unit.

The unit table also holds the vocabulary for typo repair: the words members wrote and the
single-word keys their keywords lead to (so "hydorgen" is repaired even when only the German
"Wasserstoff" was written), and the glued surfaces of several-word keywords ("3ddruck" for
"3D-Druck", so "3D-Druk" is found).
"""

from __future__ import annotations

from array import array

import numpy as np

from core.members.cognates import Cognates
from core.members.concepts import PIVOT, translated_keys, words_concepts
from knowledge.language import TypoRepair

MIN_AFFINITY = 0.3  # a unit fits a term from here on
VOCABULARY_KEY = 0.6  # a unit's single-word keys this heavy are typo-repair targets
_NONE = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class UnitTable:
    """Units by folded words, their concepts, and the inverted key table."""

    def __init__(self, table_words: frozenset[str] = frozenset()) -> None:
        self._ids: dict[tuple[str, ...], int] = {}
        self.words: list[tuple[str, ...]] = []
        self._keys: dict[str, tuple[array, array, array]] = {}  # units, weights, translated
        self._vocabulary: set[str] = set(table_words)
        self._glued: dict[str, tuple[str, ...]] = {}
        self._written: set[str] = set()
        self._repair: TypoRepair | None = None
        self._glued_repair: TypoRepair | None = None
        self._cognates: Cognates | None = None

    def __len__(self) -> int:
        return len(self.words)

    def unit(self, folded: tuple[str, ...]) -> int:
        """The id of the unit for these folded content words (made on first sight)."""
        found = self._ids.get(folded)
        if found is not None:
            return found
        unit = self._ids[folded] = len(self.words)
        self.words.append(folded)
        keys = self._keys
        new_words = False
        translated = translated_keys(folded, query=False)
        for key, weight in words_concepts(folded, query=False).items():
            entry = keys.get(key)
            if entry is None:
                entry = keys[key] = (array("i"), array("f"), array("b"))
            entry[0].append(unit)
            entry[1].append(weight)
            entry[2].append(key in translated)
            if weight >= VOCABULARY_KEY and key.isalpha() and key not in self._vocabulary:
                self._vocabulary.add(key)
                new_words = True
        for word in folded:
            if word not in self._vocabulary:
                self._vocabulary.add(word)
                new_words = True
            if word not in self._written:
                self._written.add(word)
                self._cognates = None
        if new_words:
            self._repair = None
        if len(folded) > 1:
            glued = "".join(folded).lower()
            if glued not in self._glued:
                self._glued[glued] = folded
                self._glued_repair = None
        return unit

    def find(self, folded: tuple[str, ...]) -> int | None:
        """The id of an existing unit, or None."""
        return self._ids.get(folded)

    def affinities(self, concepts: dict[str, float],
                   translated: frozenset[str] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
        """(unit ids, affinity) of the units that fit a term's concepts, unsorted; a key
        the term and a unit both have only through translation counts PIVOT times."""
        best = np.zeros(len(self.words), dtype=np.float32)
        keys = self._keys
        for key, weight in concepts.items():
            if weight < MIN_AFFINITY:
                continue
            entry = keys.get(key)
            if entry is None:
                continue
            units = np.frombuffer(entry[0], dtype=np.int32)
            values = np.frombuffer(entry[1], dtype=np.float32) * weight
            if key in translated:
                values = values * np.where(np.frombuffer(entry[2], dtype=np.int8), PIVOT, 1.0)
            best[units] = np.maximum(best[units], values)  # a unit is listed once per key
        units = np.flatnonzero(best >= MIN_AFFINITY).astype(np.int32)
        if len(units) == 0:
            return _NONE
        return units, best[units]

    def knows(self, word: str) -> bool:
        """True when members wrote the folded word (or their keywords lead to it)."""
        return word in self._vocabulary

    def cognates(self, word: str) -> tuple[tuple[str, float], ...]:
        """Words members wrote that are cognates of this one ("electrolyser")."""
        if self._cognates is None:
            self._cognates = Cognates(self._written)
        return self._cognates.of(word)

    def repair(self, word: str) -> tuple[str, float] | None:
        """A misspelt folded word as the cluster's word it most likely means, or None."""
        if self._repair is None:
            self._repair = TypoRepair(self._vocabulary)
        return self._repair.repair(word)

    def repair_glued(self, glued: str) -> tuple[str, float] | None:
        """Two typed words glued ("3ddruk") as a several-word keyword glued ("3ddruck")."""
        glued = glued.lower()
        if self._glued_repair is None:
            self._glued_repair = TypoRepair(self._glued, known=lambda _: False)
        if glued in self._glued:
            return glued, 1.0
        return self._glued_repair.repair(glued)

    def glued_words(self, glued: str) -> tuple[str, ...] | None:
        """The folded words of the several-word unit whose glued surface this is."""
        return self._glued.get(glued)
