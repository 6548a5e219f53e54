"""How much a word says: general-language frequency, so everyday words weigh little.

A knowledge base's own IDF cannot tell an everyday word from a content word when the word
occurs once in it ("machen", "Firma", "gibt" look as rare as "Wärmepumpe"), and an
everyday word shared by a question and an entry must not pull the question to that entry.
wordfreq's Zipf scale (log10 of occurrences per billion words; "und" 7.6, "Firma" 5.0,
"Cluster" 3.4-4.0, "Wärmepumpe" 2.8) measured at build time and shipped in the lexicon
gives that: a word's weight falls from 1 at Zipf <= RARE to FLOOR at Zipf >= EVERYDAY.
"""

from __future__ import annotations

from knowledge.language.lexicon import lexicon

RARE = 3.5
EVERYDAY = 6.0
FLOOR = 0.2


def zipf(word: str) -> float:
    """The word's Zipf frequency, the larger of German and English (0 when unseen)."""
    record = lexicon().get(word)
    return record.zipf if record is not None else 0.0


def general_weight(word: str) -> float:
    """1.0 for a rare (content) word, down to FLOOR for an everyday one."""
    value = zipf(word)
    if value <= RARE:
        return 1.0
    if value >= EVERYDAY:
        return FLOOR
    return 1.0 - (1.0 - FLOOR) * (value - RARE) / (EVERYDAY - RARE)


def is_known(word: str) -> bool:
    """True when the general lexicon knows the folded word (so it is spelt correctly).

    Ding's words count, and forms wordfreq has seen often enough (Zipf >= 3) not to be a
    frequent misspelling; an inflected form counts when its lemma does.
    """
    record = lexicon().get(word)
    if record is not None:
        return record.german or record.english or record.zipf >= 3.0 or record.lemma != word
    return False


def is_german_noun(word: str) -> bool:
    record = lexicon().get(word)
    if record is None:
        return False
    if record.noun:
        return True
    lemma_record = lexicon().get(record.lemma) if record.lemma != word else None
    return lemma_record is not None and lemma_record.noun
