"""The German-English bridge: translations of a lemma key, and synonyms by round trip.

Translations come from Ding's aligned term pairs (ranked at build time, the best few kept,
see scripts/build_lexicon.py) plus scripts/bridge_extra.tsv for pairs Ding lacks
("Kreislaufwirtschaft" :: "circular economy"). Keys are lemma keys, single words or
phrases: translations("waermepumpe") == ("heat pump",).

A round trip de -> en -> de yields synonyms the knowledge base may use instead of the
asker's word: "betrieb" -> "business" -> "unternehmen"; "zuschuss" -> "grant" ->
"foerderung". Round trips drift (a polysemous middle word leads anywhere), so only the
first translations are followed and synonyms weigh less than direct translations.
"""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

from knowledge.language.lexicon import lexicon
from knowledge.language.weights import general_weight

TRANSLATION_WEIGHT = 0.85
SYNONYM_WEIGHT = 0.6
ROUND_TRIP_WIDTH = 3
# How much a translation is trusted when a matcher weighs it (weighted_translations):
NOT_MUTUAL = 0.75  # the target does not translate back to the key ("cluster" -> "Haufen")
RARE_TARGET = 0.6  # a target hardly used in its language ("cluster" -> "anhäufen"), ...
FREQUENT_ZIPF = 3.5  # ... rising to 1.0 for a target this frequent
RARE_ZIPF = 1.5
UNCORROBORATED = 0.85  # the target is no word of the caller's own texts
EVERYDAY_SOURCE = 0.7  # an everyday, many-sensed key's translations ("keep" -> "Bergfried")


def translations(key: str) -> tuple[str, ...]:
    """Lemma keys in the other language, best first (empty when the lexicon has none)."""
    record = lexicon().get(key)
    if record is None:
        return ()
    if record.lemma != key:
        record = lexicon().get(record.lemma) or record
    return record.translations


@lru_cache(maxsize=50_000)
def related(key: str) -> dict[str, float]:
    """Translations and round-trip synonyms of a lemma key, with weights (key excluded)."""
    found: dict[str, float] = {}
    first = translations(key)
    for rank, target in enumerate(first):
        found[target] = max(found.get(target, 0.0), TRANSLATION_WEIGHT - 0.03 * rank)
    for target in first[:ROUND_TRIP_WIDTH]:
        for rank, synonym in enumerate(translations(target)[:ROUND_TRIP_WIDTH]):
            if synonym != key and synonym not in found:
                found[synonym] = SYNONYM_WEIGHT - 0.05 * rank
    return found


def _zipf_factor(target: str) -> float:
    """RARE_TARGET for a target its language hardly uses, up to 1.0 for a frequent one."""
    if " " in target:
        return 1.0
    record = lexicon().get(target)
    value = record.zipf if record is not None else 0.0
    share = min(max((value - RARE_ZIPF) / (FREQUENT_ZIPF - RARE_ZIPF), 0.0), 1.0)
    return RARE_TARGET + (1.0 - RARE_TARGET) * share


def _source_factor(key: str) -> float:
    if " " in key:
        return 1.0
    return EVERYDAY_SOURCE + (1.0 - EVERYDAY_SOURCE) * general_weight(key)


@lru_cache(maxsize=50_000)
def _weighted_translations(key: str) -> tuple[tuple[str, float, bool], ...]:
    source = _source_factor(key)
    found = []
    for rank, target in enumerate(translations(key)):
        weight = (TRANSLATION_WEIGHT - 0.03 * rank) * source * _zipf_factor(target)
        if key not in translations(target):
            weight *= NOT_MUTUAL
        found.append((target, weight, " " in target))
    return tuple(found)


def weighted_translations(key: str, own: Container[str] = ()) -> list[tuple[str, float]]:
    """Translations of a lemma key weighted by how far a matcher can trust them.

    A translation counts fully when it is mutual (the target translates back to the key),
    frequent in its own language, of a specific (not everyday) key, and — when the caller
    passes the lemma keys of its own texts as `own` — one of those words: "cluster" ->
    "Ansammlung", "Haufen", "anhäufen" and "keep" -> "Bergfried" weigh far less than
    "Unternehmen" -> "company"."""
    result = []
    for target, weight, phrase in _weighted_translations(key):
        if own and target not in own and not (
                phrase and all(part in own for part in target.split())):
            weight *= UNCORROBORATED
        result.append((target, weight))
    return result
