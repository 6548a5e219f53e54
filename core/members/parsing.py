"""Reading typed phrases and profile keywords into query phrases, typos repaired.

A word stays as typed when it is spelt correctly (the general lexicon knows it: "Wetter" is
never turned into "weiter") or when members of the cluster wrote it. Otherwise it is
repaired against the cluster's vocabulary (units.py): first glued to its neighbour
("3D-Druk" -> "3D-Druck"), then read as a compound of two words members wrote
("Kunststoffrezyklate" = "Kunststoff" + "Rezyklate"), then alone ("Wärmepumepn" ->
"Wärmepumpen", "hydorgen" -> "hydrogen"). A word whose own concepts already fit a unit
well (an unknown compound of known parts, "Textilsensorik") is not repaired either. The
similarity of a repair (0-1) scales its fit, so a guess never counts as much as the real
word.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core.members.cognates import untranslated
from core.members.concepts import translated_keys, word_weight, words_concepts
from core.members.keywords import content_words
from core.members.query import Phrase, Query, Term
from core.members.units import UnitTable
from knowledge.language import is_known

WELL_UNDERSTOOD = 0.85  # an unknown word whose concepts fit this well is not repaired
COGNATE = 0.8  # "Elektrolyseur" fits "electrolysers" almost like a translation
COGNATE_PART = 0.6  # a cognate of one word of a phrase
MIN_SPLIT_PART = 4
LINKS = ("", "s", "n", "en", "es")  # German linking elements between compound parts


class PhraseReader:
    """Turns text into phrases against one index's units (call under the index's lock)."""

    def __init__(self, units: UnitTable) -> None:
        self.units = units

    def term(self, folded: tuple[str, ...], weight: float, similarity: float = 1.0) -> Term:
        """Folded words as a term: their concepts (with cognates when the bridge has
        nothing or little) and the units they fit, scaled by a repair's similarity."""
        concepts = words_concepts(folded)
        translated = translated_keys(folded)
        units, fits = self.units.affinities(concepts, translated)
        if (len(fits) == 0 or float(fits.max()) < WELL_UNDERSTOOD
                or any(untranslated(word) for word in folded)):
            with_cognates = self._with_cognates(folded, concepts)
            if with_cognates != concepts:
                concepts = with_cognates
                units, fits = self.units.affinities(concepts, translated)
        if similarity < 1.0:
            fits = fits * np.float32(similarity)
        return Term(" ".join(folded), concepts, weight, units, fits)

    def _with_cognates(self, folded: tuple[str, ...], concepts: dict[str, float]
                       ) -> dict[str, float]:
        """The concepts plus those of the words' cognates among the cluster's words."""
        share = 1.0 if len(folded) == 1 else COGNATE_PART
        concepts = dict(concepts)
        for word in folded:
            for other, similarity in self.units.cognates(word):
                factor = COGNATE * similarity * share
                for key, value in words_concepts((other,)).items():
                    if value * factor > concepts.get(key, 0.0):
                        concepts[key] = value * factor
        return concepts

    def phrase(self, text: str) -> tuple[Phrase | None, list[str]]:
        """One phrase, and the words of it that nobody in the cluster uses."""
        groups = self._repaired(content_words(text))
        if not groups:
            return None, []
        flat = tuple(word for words, _ in groups for word in words)
        similarity = min(sim for _, sim in groups)
        whole = self.term(flat, 1.0, similarity)
        words: list[Term] = []
        unknown: list[str] = []  # runs of words nobody uses, space-joined ("heat pump")
        if len(flat) > 1:
            run: list[str] = []
            for group, sim in groups:
                for word in group:
                    term = self.term((word,), word_weight(word), sim)
                    words.append(term)
                    if len(term.units) == 0:
                        run.append(word)
                    elif run:
                        unknown.append(" ".join(run))
                        run = []
            if run:
                unknown.append(" ".join(run))
        elif len(whole.units) == 0:
            unknown.append(flat[0])
        return Phrase(text, whole, tuple(words)), unknown

    def query(self, texts: Iterable[str]) -> Query:
        """Typed phrases as a query."""
        phrases: list[Phrase] = []
        unknown: list[str] = []
        for text in texts:
            phrase, missing = self.phrase(text)
            if phrase is not None:
                phrases.append(phrase)
                unknown.extend(w for w in missing if w not in unknown)
        return Query(tuple(phrases), tuple(unknown))

    def phrases(self, keywords: Iterable[str]) -> tuple[Phrase, ...]:
        """A profile's own keywords as phrases (for /match without keywords)."""
        found = (self.phrase(keyword)[0] for keyword in keywords)
        return tuple(phrase for phrase in found if phrase is not None)

    # ---------------------------------------------------------------- typo repair
    def _fine(self, word: str) -> bool:
        """True for a word to keep as typed: known, written by members, an abbreviation or
        short, or one whose concepts already fit well."""
        if self.units.knows(word) or word.isupper() or len(word) < 4 or is_known(word):
            return True
        fits = self.units.affinities(words_concepts((word,)))[1]
        return len(fits) > 0 and float(fits.max()) >= WELL_UNDERSTOOD

    def _repaired(self, words: list[str]) -> list[tuple[tuple[str, ...], float]]:
        """The words as groups of folded words with the similarity of their repair."""
        out: list[tuple[tuple[str, ...], float]] = []
        fine = [self._fine(word) for word in words]
        i = 0
        while i < len(words):
            word = words[i]
            if fine[i]:
                out.append(((word,), 1.0))
                i += 1
                continue
            if i + 1 < len(words):
                glued = self._glued(word + words[i + 1])
                if glued is not None:
                    out.append(glued)
                    i += 2
                    continue
            if out and i > 0 and len(out[-1][0]) == 1 and out[-1][0][0] == words[i - 1]:
                glued = self._glued(words[i - 1] + word)
                if glued is not None:
                    out[-1] = glued
                    i += 1
                    continue
            parts = self._split(word)
            repaired = None if parts else self.units.repair(word)
            if parts:
                out.append((parts, 1.0))
            else:
                out.append(((repaired[0],), repaired[1]) if repaired else ((word,), 1.0))
            i += 1
        return out

    def _split(self, word: str) -> tuple[str, ...] | None:
        """An unknown compound of two words members wrote or the lexicon knows
        ("Kunststoffrezyklate" = "Kunststoff" + "Rezyklate"), else None."""
        best: tuple[str, str] | None = None
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            left = word[:cut]
            if not (self.units.knows(left) or is_known(left)):
                continue
            for link in LINKS:
                right = word[cut + len(link):]
                if (word.startswith(link, cut) and len(right) >= MIN_SPLIT_PART
                        and self.units.knows(right)
                        and (best is None or min(len(left), len(right))
                             > min(len(best[0]), len(best[1])))):
                    best = (left, right)
        return best

    def _glued(self, glued: str) -> tuple[tuple[str, ...], float] | None:
        found = self.units.repair_glued(glued)
        if found is None:
            return None
        words = self.units.glued_words(found[0])
        return (words, found[1]) if words else None
