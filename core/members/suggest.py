"""Keyword suggestions for the /profile dialog: the cluster's own spelling of what was typed.

A typed keyword that means what a keyword already in use means (same lemma or a direct
translation: "logistic" -> "Logistik", "Wärmepumpe" -> "Wärmepumpen", "heat pumps" ->
"Wärmepumpen") is offered in the spelling most members use; else an entry of the
abbreviation table is offered under its label; else a close spelling of a keyword in use
("Logistk" -> "Logistik", "RFDI" -> "RFID"). The member decides: suggestions are offered,
never applied silently, so a close spelling may be suggested even for a correct word.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz, process

from core.members.concepts import term_concepts
from core.members.keywords import Synonyms, spelling_keys, surface
from core.members.units import UnitTable

SAME_MEANING = 0.85  # a translation (0.85) or the same lemma (1.0)
MIN_ANAGRAM = 3


def spelling_cutoff(typed: str) -> float | None:
    """How similar (rapidfuzz ratio) a keyword in use must be to be suggested."""
    length = len(typed)
    if length < 5:
        return None
    if length == 5:
        return 88.0
    if length == 6:
        return 90.0
    return 85.0 if length < 9 else 80.0


def suggestion(units: UnitTable, label_counts: dict[int, Counter[str]], table: Synonyms,
               keyword: str, lang: str) -> str | None:
    """A keyword in use (or a table label) the typed one probably means, or None."""
    typed = surface(keyword)
    if not typed:
        return None
    used = {surface(label): label for counts in label_counts.values() for label in counts}
    if typed in used:
        return None
    ids, fits = units.affinities(term_concepts(keyword))
    best: tuple[float, int] | None = None
    for unit, fit in zip(ids.tolist(), fits.tolist(), strict=True):
        if fit >= SAME_MEANING and label_counts.get(unit) and (best is None or fit > best[0]):
            best = (fit, unit)
    if best is not None:
        return label_counts[best[1]].most_common(1)[0][0]
    concept = next((table.by_key[key] for key in spelling_keys(keyword)
                    if key in table.by_key), None)
    if concept is not None:
        labels = {surface(label) for label in table.concepts[concept].label.values()}
        return None if typed in labels else table.label(concept, lang)
    cutoff = spelling_cutoff(typed)
    if cutoff is None:  # short words: only swapped letters ("RFDI" -> "RFID")
        letters = sorted(typed)
        return next((label for known, label in used.items()
                     if len(typed) >= MIN_ANAGRAM and sorted(known) == letters), None)
    found = process.extractOne(typed, list(used), scorer=fuzz.ratio, score_cutoff=cutoff)
    return used[found[0]] if found else None
