"""The language layer: one set of rules for German and English text, used by every matcher.

Modules (each says why it does what it does):
- folding: case, umlauts (ä = ae), ß = ss, accents; tokens with capitalisation
- function_words: words that never count as content; intent words (why, when, how many)
- lexicon: the shipped general-language lexicon (built by scripts/build_lexicon.py)
- inflection, lemmas: one lemma key per word, without Snowball's collisions
- compounds: German compounds split against the lexicon
- bridge: German <-> English translations and round-trip synonyms
- synonyms: same-language synonyms from a thesaurus (built by scripts/build_synonyms.py)
- weights: general-language word weights from Zipf frequencies
- typos: rapidfuzz repair that leaves correctly spelt words alone
- concepts: term-level matching API (language-neutral keys with weights)
- detect: which language a question is in
"""

from knowledge.language.bridge import (
    SYNONYM_WEIGHT,
    TRANSLATION_WEIGHT,
    related,
    translations,
    weighted_translations,
)
from knowledge.language.compounds import split
from knowledge.language.concepts import affinity, concepts, weighted_concepts
from knowledge.language.detect import detect_language
from knowledge.language.folding import Token, fold, tokens, words
from knowledge.language.function_words import (
    CHAT_SPELLINGS,
    ENGLISH,
    FUNCTION_WORDS,
    GERMAN,
    intents,
    is_function_word,
)
from knowledge.language.lemmas import german_verb, lemma, phrase_key, snowball_stem
from knowledge.language.lexicon import Record, lexicon
from knowledge.language.typos import TypoRepair
from knowledge.language.weights import general_weight, is_german_noun, is_known, zipf

__all__ = [
    "CHAT_SPELLINGS", "ENGLISH", "FUNCTION_WORDS", "GERMAN", "SYNONYM_WEIGHT",
    "TRANSLATION_WEIGHT", "Record", "Token", "TypoRepair", "affinity", "concepts",
    "detect_language", "fold",
    "general_weight", "german_verb", "intents", "is_function_word", "is_german_noun",
    "is_known", "lemma", "lexicon", "phrase_key", "related", "snowball_stem", "split",
    "tokens", "translations",
    "weighted_concepts", "weighted_translations", "words", "zipf",
]
