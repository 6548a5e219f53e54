"""Same-language synonyms from a thesaurus, for the words a round trip cannot reach.

The bridge finds synonyms by a round trip through the other language (bridge.related), and
follows only the first translations, since a round trip drifts: "Schwierigkeit" never
reaches "Herausforderung", nor "Betrieb" "Einrichtung". `data/synonyms.tsv.gz` lists them
directly: built by scripts/build_synonyms.py from OpenThesaurus and LibreOffice's
WordNet-based English thesaurus, keyed by lemma key, in the lexicon's format (the synonyms
sit in its translations' column), so it is read like the lexicon: one bytes object and a
bisection, under 3 MB, and only when a first question asks for it.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language.lexicon import Lexicon, shipped_table

DATA_FILE = "synonyms.tsv.gz"


@lru_cache(maxsize=1)
def _thesaurus() -> Lexicon:
    return shipped_table(DATA_FILE)


@lru_cache(maxsize=50_000)
def synonyms(key: str) -> tuple[str, ...]:
    """Lemma keys of the same language that mean what `key` means in one of its senses,
    the likeliest first ("betrieb" -> "unternehmen", "firma", ...); empty when none."""
    record = _thesaurus().get(key)
    return record.translations if record is not None else ()
