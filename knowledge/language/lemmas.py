"""Lemmas: one key per word for all its inflected forms, German and English alike.

The lemma comes from the shipped lexicon (Ding's inflection groups, see lexicon.py); a form
the lexicon lacks is reduced by knowledge.language.inflection against the lexicon and any
extra vocabulary (a matcher passes the words of its knowledge base, so "Wissensspillovern"
finds "wissensspillover"). A word nobody knows stays itself.

Why not Snowball (PyStemmer) any more: its stems collide across meanings — "business" and
"busy" both become "busi", "Raten" and "Rat" both "rat", "Gründen" and "Grund" both "grund"
— and a stem is no key for the German-English bridge. `snowball_stem` is kept for code that
has not moved yet (the member keyword matcher).
"""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

import Stemmer  # PyStemmer: the Snowball algorithms in C

from knowledge.language.inflection import reduce
from knowledge.language.lexicon import lexicon

_GERMAN = Stemmer.Stemmer("german")
_ENGLISH = Stemmer.Stemmer("english")
_NOTHING: frozenset[str] = frozenset()


def _known(word: str, lang: str) -> bool:
    """A dictionary word of the language whose ending was stripped."""
    record = lexicon().get(word)
    return record is not None and (record.german if lang == "de" else record.english)


# German finite verb forms the lexicon maps to a wrong headword ("gibt" -> "gib", "hilft" ->
# "Hilfe", "arbeitet" -> "Arbeit", "schrumpft" -> "Schrumpf") or not at all ("wächst",
# "sehe"): the ending is stripped and the infinitive looked for, with the present tense's
# vowel change undone ("gibt" -> "geben", "läuft" -> "laufen", "wächst" -> "wachsen").
_VERB_ENDINGS = ("t", "st", "et", "est", "te", "ten", "tet", "test", "e")
_VOWEL_CHANGE_ENDINGS = frozenset({"t", "st", "et", "est"})  # du/er of the present tense
_VOWEL_CHANGES = (("aeu", "au"), ("ae", "a"), ("oe", "o"), ("ie", "e"), ("i", "e"))
_IRREGULAR = {"nimmt": "nehmen", "nimmst": "nehmen", "nehme": "nehmen", "wird": "werden",
              "wirst": "werden", "tritt": "treten", "weiss": "wissen", "weisst": "wissen"}
MIN_VERB_ZIPF = 3.0
GERMAN_FORM_ZIPF = 3.5  # a form German uses this often keeps its German lemma ("plant"
# is "planen"); scripts/build_lexicon.py builds the lexicon with the same threshold
# A form in -e is a verb's first person ("finanziere") or a noun's or adjective's form
# ("Hause", "sichere"): the reading whose lemma is this much more frequent (Zipf) wins, the
# verb when neither is; scripts/build_lexicon.py builds the lexicon with the same margin
FIRST_PERSON_MARGIN = 1.0


def _infinitive(candidate: str) -> bool:
    record = lexicon().get(candidate)
    if record is None or record.noun or record.lemma != candidate or not (
            candidate.endswith("en") or len(candidate) >= 6 and candidate.endswith(("ern",
                                                                                   "eln"))):
        return False
    if record.german:
        return record.zipf_de >= MIN_VERB_ZIPF
    return candidate.endswith("ieren") and record.zipf_de >= MIN_VERB_ZIPF - 0.5


def _vowel_variants(base: str) -> list[str]:
    found = [base]
    for changed, plain in _VOWEL_CHANGES:
        position = base.rfind(changed)
        if position > 0:
            found.append(base[:position] + plain + base[position + len(changed):])
    return found


# separable prefixes: "aufzustellen" is "aufstellen" with the "zu" of the infinitive inside
_SEPARABLE = ("ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "fest", "fort", "her",
              "heraus", "herbei", "hin", "hinzu", "los", "mit", "nach", "um", "vor", "voran",
              "vorbei", "weg", "weiter", "zurueck", "zusammen")


def _zu_infinitive(word: str) -> str | None:
    """The infinitive of a zu-infinitive ("aufzustellen" -> "aufstellen"), or None."""
    if not word.endswith("n"):
        return None
    for prefix in _SEPARABLE:
        if word.startswith(prefix + "zu") and len(word) >= len(prefix) + 6:
            candidate = prefix + word[len(prefix) + 2:]
            if _infinitive(candidate):
                return candidate
    return None


@lru_cache(maxsize=100_000)
def german_verb(word: str) -> str | None:
    """The infinitive of a German finite verb form ("wächst" -> "wachsen") or of a
    zu-infinitive ("aufzustellen" -> "aufstellen"), or None."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if "zu" in word:
        found = _zu_infinitive(word)
        if found is not None:
            return found
    record = lexicon().get(word)
    if record is not None and (record.noun or record.english and (not record.german or (
            record.zipf_de < GERMAN_FORM_ZIPF and record.zipf_en > record.zipf_de))):
        return None  # a noun, or an English word German hardly uses: "fault" is no "faulen"
    for ending in _VERB_ENDINGS:
        base = word[: -len(ending)]
        if not word.endswith(ending) or len(base) < 3:
            continue
        if ending == "e" and record is not None and record.german:
            continue  # "Ende", "gerne": a listed word ending in -e is no verb form
        # the present tense changes the vowel of the du/er forms only ("läuft", not "ich
        # läufe"), and then some forms are two verbs' ("misst": messen or missen): the more
        # frequent one is meant ("ich läute" is läuten, though "lauten" is more frequent)
        variants = _vowel_variants(base) if ending in _VOWEL_CHANGE_ENDINGS else [base]
        infinitives = [candidate for variant in variants
                       for candidate in (variant + "en", variant + "n")
                       if candidate != word and _infinitive(candidate)]
        if infinitives:
            return max(infinitives, key=_zipf_de)
    return None


def clipped_first_person(word: str) -> str | None:
    """The infinitive of a German verb in its first person, as written before "ich" ("wie
    messe ich", and in a chat without its -e: "was brauch ich", "glaub ich nicht"), or
    None: "Messe", "Brauch" and "Glaube" are nouns too, and "find" an English word, so a
    caller asks only for a word before "ich"."""
    if len(word) < 3:
        return None
    for candidate in (word + "en", word + "n" if word.endswith("e") else ""):
        if candidate and _infinitive(candidate):
            return candidate
    return None


def _zipf_de(word: str) -> float:
    record = lexicon().get(word)
    return record.zipf_de if record is not None else 0.0


@lru_cache(maxsize=100_000)
def _lemma(word: str) -> str | None:
    record = lexicon().get(word)
    if len(word) >= 4 and (record is None or record.lemma == word or not _infinitive(
            record.lemma)):
        verb = german_verb(word)
        if verb is not None and not (record is not None and word.endswith("e") and (
                _zipf_de(record.lemma) >= _zipf_de(verb) + FIRST_PERSON_MARGIN)):
            return verb
    if record is not None and (record.german or record.english or record.lemma != word):
        return record.lemma
    base = reduce(word, _known)
    if base is None:
        return None
    found = lexicon().get(base)
    return found.lemma if found is not None else base


def lemma(word: str, extra: Container[str] = _NOTHING) -> str:
    """The lemma key of a folded word; `extra` holds further known words (a KB's)."""
    found = _lemma(word)
    if found is not None:
        return found
    if extra:
        base = reduce(word, lambda candidate, _: candidate in extra)
        if base is not None:
            return base
    return word


def phrase_key(folded: list[str], extra: Container[str] = _NOTHING) -> str:
    """The key of a multi-word term: its words' lemmas, space-separated ("heat pump")."""
    return " ".join(lemma(word, extra) for word in folded)


@lru_cache(maxsize=65536)
def snowball_stem(word: str) -> str:
    """Snowball stem shared by German and English forms (the previous matcher's key)."""
    return _GERMAN.stemWord(_ENGLISH.stemWord(word))
