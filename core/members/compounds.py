"""How a single word splits into parts, on top of the language layer's compound splitter.

- German compounds: `knowledge.language.split`, and when the layer cannot split a word
  because its inflected head is not in the lexicon ("Papierverpackungen"), the word with
  the ending taken off ("Papierverpackung" = Papier + Verpackung).
- English compounds written as one word: "heatpumps" when the lexicon knows "heat pump",
  "coldchain", "nonwoven"; an unknown word made of two English words of four letters or
  more. A known word is not taken apart ("blockchain" stays itself).
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language import is_function_word, is_known, lemma, lexicon, split
from knowledge.language.inflection import candidates

MIN_ENGLISH_PART = 3  # "heatpumps": parts whose spaced phrase the lexicon knows
MIN_ENGLISH_COMPOUND, MIN_ENGLISH_WORD, ENGLISH_ZIPF = 9, 4, 3.5  # else two real words


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...] | None:
    """The parts of a German compound, also when its inflected head is unknown."""
    parts = split(lemma(word)) or split(word)
    if parts or is_known(word):
        return parts
    for base, lang in candidates(word):
        if lang == "de":
            parts = split(base)
            if parts:
                return parts
    return None


@lru_cache(maxsize=100_000)
def english_parts(word: str) -> tuple[str, str] | None:
    """An English compound written as one word: "heatpumps" (the lexicon knows "heat
    pump"), or an unknown word made of two English words of four letters or more."""
    if len(word) < 2 * MIN_ENGLISH_PART:
        return None
    for cut in range(MIN_ENGLISH_PART, len(word) - MIN_ENGLISH_PART + 1):
        left, right = word[:cut], word[cut:]
        if lexicon().get(left) is None or lexicon().get(lemma(right)) is None:
            continue
        phrase = f"{lemma(left)} {lemma(right)}"
        if lexicon().get(phrase) is not None:
            return lemma(left), lemma(right)
        if (len(word) >= MIN_ENGLISH_COMPOUND and min(len(left), len(right)) >= MIN_ENGLISH_WORD
                and not is_known(word) and _english_word(left) and _english_word(right)):
            return lemma(left), lemma(right)
    return None


def _english_word(word: str) -> bool:
    record = lexicon().get(word)
    return (record is not None and not is_function_word(word)
            and (record.english or record.zipf_en >= ENGLISH_ZIPF))
