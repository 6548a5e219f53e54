"""Profile keywords and typed queries as weighted, language-neutral concepts.

A term ("Wärmepumpen", "heat pump controls", "Kältemittel-Forschung") becomes a map from
keys to weights in (0, 1], built on the language layer (knowledge.language): lemma keys
(so inflections agree), the German-English bridge, German compounds split into parts. On
top of the layer's `weighted_concepts` this module adds what short keywords need:

- every contiguous sub-phrase, not only single words: "heat pump controls" contains the key
  "heat pump" (and so its translation "waermepumpe");
- parts weighted by how much they say (general-language word weights) and, in a compound,
  by being its head: in "logistics partner" the part "logistics" weighs more than
  "partner", in "Kunststoffrecycling" "recycling" more than "Kunststoff";
- compounds and phrases meet on their parts joined by spaces: "Heimspeicher" carries
  "heim speicher" and its word-by-word translation "home storage"; a compound a term
  translates to brings its parts ("energy storage" -> "Energiespeicher" -> "Speicher");
  English compounds written as one word and German ones with an unknown inflected head are
  split by compounds.py;
- two-word keys also without their word order ("storage battery" ~ "battery storage"), and
  long words also by a rough cognate spelling ("Inspektion" ~ "inspection", cognates.py);
- role words ("partner", "Hersteller") weigh little, numbers little, abbreviations ("IT",
  "CFK") are content and never translated ("IT" is not "ihm");
- the abbreviation table (keywords.py) adds `c:<id>` keys for what no dictionary knows.

Only the whole term gets the bridge's round-trip synonyms; its parts get their first
translations only, because a part's synonyms of synonyms lead anywhere ("Tour" -> "out").
Two terms agree by `affinity`: the best product of weights over the keys they share; a key
both have only through a translation (a third word they both translate to) counts PIVOT
times (units.py). The weights were chosen on the dev set's tune split.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from itertools import product

from core.members.cognates import skeleton
from core.members.compounds import compound_parts, english_parts
from core.members.keywords import (
    ROLE_WORDS,
    abbreviations,
    content_words,
    is_acronym,
    key_of,
)
from knowledge.language import (
    general_weight,
    is_function_word,
    is_known,
    lemma,
    lexicon,
    related,
    split,
    translations,
)

Concepts = Mapping[str, float]

MIN_WEIGHT = 0.25  # keys lighter than this never decide a match
MAX_KEYS = 80
# A part of a query weighs by its share of the query's meaning: 0.2 + 0.65 * share (a
# profile fits "industrial camera systems" only partly by having "cameras"). A part of a
# profile's keyword weighs by how informative it is: 0.5 + 0.35 * weight / top weight (a
# profile with "industrial camera systems" fits "cameras" well). Chosen on the tune split.
PART_BASE, PART_SPAN = 0.2, 0.65
UNIT_BASE, UNIT_SPAN = 0.5, 0.35
HEAD_BONUS = 1.6  # the head of a profile's compound says more than its modifiers
MODIFIER_BONUS = 1.3  # a query compound's modifiers against its head
FIRST_TRANSLATIONS = 0.78  # a part's translations from this weight on (the first three)
JOINED = 0.95  # "waermepumpe" also as "waerme pumpe"; "heatpumps" as "heat pump"
COMPOSED = 0.7  # word-by-word translation of a compound or a two- or three-word phrase
COMPOSED_WIDTH = 2  # single-word translations per word tried when composing
MAX_COMPOSED_WORDS = 3
NUMBER_WEIGHT = 0.3
ROLE_WEIGHT = 0.25  # "partner", "Hersteller": who, not what (keywords.ROLE_WORDS)
E_PREFIXED = 0.7  # "E-Textilien" is a kind of "Textilien"
UNORDERED = 0.8  # two words in the other order: "storage battery" ~ "battery storage"
SKELETON, SKELETON_LENGTH = 0.75, 8  # a long word spelt like its cognate (cognates.py)
TRANSLATED_PART = 0.5  # a part of a compound that a whole term translates to
PIVOT = 0.9  # both sides translated into a third word ("kühl" ~ "klinisch" via "clinical")


@lru_cache(maxsize=100_000)
def word_weight(word: str) -> float:
    """How much a folded word says: 1 for a rare or unknown word, down to 0.2."""
    if word.isdigit():  # "Industrie 4.0": the number says little on its own
        return NUMBER_WEIGHT
    if is_acronym(word) or any(ch.isdigit() for ch in word):
        return 1.0
    if word in ROLE_WORDS or lemma(word) in ROLE_WORDS:
        return ROLE_WEIGHT
    return general_weight(word)


def part_weights(weights: list[float], query: bool) -> list[float]:
    """The weights of a term's parts (words, compound parts) from their word weights."""
    if query:
        total = sum(weights) or 1.0
        return [PART_BASE + PART_SPAN * w / total for w in weights]
    top = max(weights, default=1.0) or 1.0
    return [UNIT_BASE + UNIT_SPAN * w / top for w in weights]


def _unordered(phrase: str) -> str:
    return "~" + " ".join(sorted(phrase.split(" ")))


def _add(found: dict[str, float], key: str, weight: float) -> None:
    if weight >= MIN_WEIGHT and weight > found.get(key, 0.0):
        found[key] = weight


def _add_key(found: dict[str, float], key: str, weight: float, *, whole: bool) -> None:
    """A key with its translations (and, for a whole term, round-trip synonyms); a
    two-word key also without its word order ("storage battery" ~ "battery storage")."""
    _add(found, key, weight)
    for other, factor in (related(key).items() if whole else part_translations(key)):
        _add(found, other, weight * factor)
        if other.count(" ") == 1:
            _add(found, _unordered(other), weight * factor * UNORDERED)
        elif whole and factor >= FIRST_TRANSLATIONS and " " not in other:
            for part in split(other) or ():  # "energy storage" -> "energiespeicher": speicher
                _add(found, part, weight * factor * TRANSLATED_PART)
    if key.count(" ") == 1:
        _add(found, _unordered(key), weight * UNORDERED)
    elif len(key) >= SKELETON_LENGTH and key.isalpha():  # "inspektion" ~ "inspection"
        _add(found, "≈" + skeleton(key), weight * SKELETON)
    concept = abbreviations().get(key)
    if concept is not None:
        _add(found, f"c:{concept}", weight)


@lru_cache(maxsize=100_000)
def part_translations(key: str) -> tuple[tuple[str, float], ...]:
    """The translations of a part that are meant: the first, those that translate back
    to the part ("kuehl" -> "cool", not "clinical"; "Tour" -> not "out") and those spelt
    like it ("Inspektion" -> "inspection", though first "inspectorate")."""
    found: list[tuple[str, float]] = []
    for rank, (other, factor) in enumerate(related(key).items()):
        if factor < FIRST_TRANSLATIONS:
            break
        if (rank == 0 or key in translations(other) or _cognate(key, other)
                ) and not is_function_word(other):
            found.append((other, factor))
    return tuple(found)


def _cognate(key: str, other: str) -> bool:
    """True for a translation spelt like the word ("Inspektion" -> "inspection"): the
    sense the word has when borrowed."""
    return len(key) >= SKELETON_LENGTH and skeleton(key) == skeleton(other)


@lru_cache(maxsize=100_000)
def _first_words(key: str) -> tuple[str, ...]:
    """The key and its first single-word translations, for composing phrases."""
    if key.isupper():
        return (key.lower(),)
    found = [other for other, _ in part_translations(key) if " " not in other]
    return (key, *found[:COMPOSED_WIDTH])


def _compose(found: dict[str, float], keys: list[str], weight: float) -> None:
    """Word-by-word translations of a phrase ("heim speicher" -> "home storage")."""
    if not 2 <= len(keys) <= MAX_COMPOSED_WORDS:
        return
    for option in product(*(_first_words(key) for key in keys)):
        if list(option) != keys:
            _add(found, " ".join(option), weight * COMPOSED)


@lru_cache(maxsize=100_000)
def _word_concepts(word: str, query: bool) -> tuple[tuple[str, float], ...]:
    found: dict[str, float] = {}
    if is_acronym(word):  # no translations: "IT" is not "ihm"
        key = word.lower()
        _add(found, key, 1.0)
        concept = abbreviations().get(key)
        if concept is not None:
            _add(found, f"c:{concept}", 1.0)
        return tuple(found.items())
    key = lemma(word)
    _add_key(found, key, 1.0, whole=True)
    concept = abbreviations().get(word)
    if concept is not None:
        _add(found, f"c:{concept}", 1.0)
    parts = compound_parts(word)
    if parts:
        # a profile's compound is a kind of its head ("Kunststoffrecycling" is recycling);
        # in a query the modifiers say which kind is wanted ("Zellprüfung": cells)
        head, modifier = (1.0, MODIFIER_BONUS) if query else (HEAD_BONUS, 1.0)
        raw = [word_weight(part) * (head if i == len(parts) - 1 else modifier)
               for i, part in enumerate(parts)]
        for part, weight in zip(parts, part_weights(raw, query), strict=True):
            _add_key(found, part, weight, whole=False)
        _add_key(found, " ".join(parts), JOINED, whole=False)
        _compose(found, list(parts), 1.0)
        return tuple(found.items())
    english = english_parts(word)
    if english is not None:
        _add_key(found, " ".join(english), JOINED, whole=False)
        heads = [1.0, 1.0 if query else HEAD_BONUS]
        for part, weight in zip(english, part_weights(heads, query), strict=True):
            _add_key(found, part, weight, whole=False)
    elif word.startswith("e") and not is_known(word) and is_known(word[1:]):
        _add_key(found, lemma(word[1:]), E_PREFIXED, whole=False)  # "etextiles"
    return tuple(found.items())


def _phrase_concepts(folded: tuple[str, ...], query: bool) -> dict[str, float]:
    found: dict[str, float] = {}
    keys = [key_of(word) for word in folded]
    weights = [word_weight(word) for word in folded]
    n = len(folded)
    _add_key(found, " ".join(keys), 1.0, whole=True)
    glued = "".join(keys)
    if lexicon().get(glued) is not None:  # "non woven" = "nonwoven"
        _add_key(found, glued, JOINED, whole=True)
    for key in (glued, " ".join(keys)):
        concept = abbreviations().get(key)
        if concept is not None:
            _add(found, f"c:{concept}", 1.0)
    _compose(found, [w if is_acronym(w) else k for w, k in zip(folded, keys, strict=True)],
             1.0)
    # a query's single words are scored word by word (query.py), not as parts of the whole
    for size in range(n - 1, 1 if query else 0, -1):
        for start in range(n - size + 1):
            span_weight = sum(weights[start:start + size])
            weight = part_weights([span_weight, sum(weights) - span_weight], query)[0]
            if size == 1:
                for key, value in _word_concepts(folded[start], query):
                    _add(found, key, value * weight)
            else:
                span = keys[start:start + size]
                _add_key(found, " ".join(span), weight, whole=False)
                _compose(found, [w if is_acronym(w) else k for w, k in
                                 zip(folded[start:start + size], span, strict=True)], weight)
    return found


@lru_cache(maxsize=200_000)
def _term_concepts(folded: tuple[str, ...], query: bool) -> tuple[tuple[str, float], ...]:
    if not folded:
        return ()
    found = (dict(_word_concepts(folded[0], query)) if len(folded) == 1
             else _phrase_concepts(folded, query))
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return tuple((key, round(value, 3)) for key, value in ranked[:MAX_KEYS])


def _variants(key: str) -> tuple[str, ...]:
    """A key and the spellings `_add_key` derives from it without translating."""
    extra = _unordered(key) if key.count(" ") == 1 else "≈" + skeleton(key)
    concept = abbreviations().get(key)
    return (key, extra) if concept is None else (key, extra, f"c:{concept}")


@lru_cache(maxsize=200_000)
def _own(folded: tuple[str, ...]) -> frozenset[str]:
    """The keys a term has from its own words, not from a translation."""
    keys = [key_of(word) for word in folded]
    own: set[str] = set()
    for size in range(len(keys), 0, -1):
        for start in range(len(keys) - size + 1):
            own.update(_variants(" ".join(keys[start:start + size])))
    for word, key in zip(folded, keys, strict=True):
        for concept in (abbreviations().get(word), abbreviations().get(key)):
            if concept is not None:
                own.add(f"c:{concept}")
        parts = None if is_acronym(word) else compound_parts(word) or english_parts(word)
        for part in (*(parts or ()), " ".join(parts or ())):
            own.update(_variants(part))
    glued = "".join(keys)
    own.update(_variants(glued))
    own.add(f"c:{abbreviations().get(glued.lower(), '')}")
    return frozenset(own)


def translated_keys(folded: tuple[str, ...], *, query: bool = True) -> frozenset[str]:
    """The keys of `words_concepts(folded)` that came through a translation: two terms
    meeting only on a third language's word are a weaker match (PIVOT)."""
    own = _own(folded)
    return frozenset(key for key, _ in _term_concepts(folded, query) if key not in own)


def term_concepts(text: str, *, query: bool = True) -> dict[str, float]:
    """Weighted language-neutral keys of a query phrase (or, `query=False`, of a profile's
    keyword), heaviest first."""
    return dict(_term_concepts(tuple(content_words(text)), query))


def words_concepts(folded: tuple[str, ...], *, query: bool = True) -> dict[str, float]:
    """The same for words already folded and filtered (see `content_words`)."""
    return dict(_term_concepts(folded, query))


def affinity(first: Concepts, second: Concepts) -> float:
    """How well two terms agree (0-1): the best product of weights over shared keys."""
    if len(first) > len(second):
        first, second = second, first
    return max((weight * second[key] for key, weight in first.items() if key in second),
               default=0.0)
