"""Turn a text (a question, or a phrasing of a knowledge entry) into weighted terms.

The same analysis runs over the knowledge base when the index is built and over every
question, so both sides agree on keys. A term is one content word of the text with:
- `keys`: the language-neutral keys it can match, each with a weight — its lemma (1.0), a
  two-word phrase it is part of ("business model", 1.0), their translations (weighted by
  how far they can be trusted, knowledge.language.bridge.weighted_translations: a
  translation into a word of the knowledge base's own texts counts more than a
  dictionary's odd sense such as "cluster" -> "Haufen"); the verb of a German -ung noun
  ("Spezialisierung" -> "spezialisieren", 0.8); a German compound's parts;
- `general`: how much the word says in general language (knowledge.language.weights), so
  "machen" or "Firma" count less than "Wärmepumpe";
- `noun`, `name`: an unknown noun carries the request ("Wetter in Tampere"), while a name
  the knowledge base mentions in passing ("Tampere") must not carry a question alone.
Function words are dropped before anything else, so they never count as unknown; chat
spellings are written out first ("hw do u" = "how do you"), and a hyphenated word of
function words stays one word ("Know-how"). Number words weigh as little as digits. Intent
words become intent terms ("?why", "?amount", "?what", "?now"). Misspelt words are
repaired only on the question side, and only when the general lexicon does not know them.
Each distinct word is analysed once per Analyser and its terms are shared (an index of
10,000 entries has a million phrasings but some 30,000 words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.language import (
    CHAT_SPELLINGS,
    fold,
    general_weight,
    german_verb,
    intents,
    is_function_word,
    is_german_noun,
    is_known,
    lemma,
    lexicon,
    split,
    tokens,
    weighted_translations,
    words,
)
from knowledge.language.compounds import LINKS
from knowledge.language.folding import RAW_TOKEN
from knowledge.language.function_words import (
    DROPPED,
    INTENT_CUES,
    SOURCE_WORDS,
    clause_mark,
    source_references,
)
from knowledge.language.lemmas import clipped_first_person
from knowledge.language.synonyms import synonyms
from knowledge.language.typos import (
    dropped_g_spelling,
    everyday_spelling,
    function_word_spelling,
)

PHRASE_WEIGHT = 1.0
PART_SHARE = 0.5  # a known compound's parts, as extra keys
DIGIT_WEIGHT = 0.3
UMLAUT_WEIGHT = 0.8
DERIVATION_WEIGHT = 0.8  # "Spezialisierung" ~ "spezialisieren", "mitgestalten" ~ "gestalten"
# a thesaurus synonym of a question's word that the knowledge base uses ("Schwierigkeiten"
# ~ "Herausforderungen", "in charge" ~ "responsible"): a weak key, since a thesaurus lists
# every sense of a word. Chosen on the dev set's tuning part: 0.25 answered 4 more of 302
# questions at the same out-of-scope rejection (110 of 115), 0.4 turned down 2 fewer of 115;
# the first two such synonyms of a word did all of it, and every key costs a look-up over
# all entries (all synonyms made a question at 10,000 entries a quarter slower)
THESAURUS_WEIGHT = 0.25
MAX_THESAURUS_KEYS = 2
NAME_MAX_ZIPF = 4.5  # a word no dictionary lists is a name below this frequency (Nokia)
# "Know-how", "Follow-up": a hyphenated word whose parts alone would all be dropped
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
# number words say as little as digits ("fünf Stolpersteine"; "in Acht nehmen")
NUMBER_WORDS = frozenset("""
    null eins zwei drei vier fuenf sechs sieben acht neun zehn elf zwoelf zero one two three
    four five six seven eight nine ten eleven twelve zwanzig dreissig vierzig fuenfzig
    hundert hunderte tausend tausende million millionen milliarde milliarden dutzend
    dutzende twenty thirty forty fifty hundred hundreds thousand thousands millions billion
    billions dozen dozens
""".split())
# "Arten von Wissen", "Aufbau eines Netzwerks": a German noun, one of these, and another
# noun may say what one compound of the two says (Wissensarten, Netzwerkaufbau)
COMPOUND_LINKS = frozenset({"von", "vom", "der", "des", "eines", "einer"})
# German particles that end a clause when their verb is split ("Wie hängen ... zusammen?")
SEPARABLE_PARTICLES = frozenset({
    "ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "fest", "her", "heraus", "hin",
    "los", "mit", "nach", "raus", "rein", "um", "voran", "vorbei", "vor", "weiter",
    "zurueck", "zusammen", "zu"})
# a split verb's particle ends its clause at a comma too ("Womit fängt man an, wenn ..."),
# unlike the clauses of intents (function_words.clause_mark: "Wer ist bei uns, also im
# Cluster, Ansprechpartner?" is one question)
_PARTICLE_MARKS = "[,;:!?.\u2013\u2014]"
_PARTICLE_CLAUSE = re.compile(_PARTICLE_MARKS)
_CLAUSE_LAST = re.compile(rf"([^\W_]+)\W*?(?:{_PARTICLE_MARKS}|$)")  # a clause's last word
MAX_CACHED = 200_000  # words whose analysis an Analyser keeps


@dataclass(slots=True)
class Term:
    """One content word (or intent) of a text and the keys it may match."""

    word: str
    own: str
    keys: dict[str, float]
    general: float
    noun: bool = False
    name: bool = False
    intent: bool = False
    certainty: float = 1.0  # < 1 when the word was a repaired typo


def _add(keys: dict[str, float], key: str, weight: float) -> None:
    if weight > keys.get(key, 0.0):
        keys[key] = weight


def is_name(word: str) -> bool:
    """A word no dictionary lists and no compound rule explains (Tampere, ELMOS, Nokia)."""
    record = lexicon().get(word)
    if record is not None and (record.german or record.english or record.zipf >= NAME_MAX_ZIPF
                               or record.lemma != word):
        return False
    return split(word) is None


def derived_verb(word: str) -> str | None:
    """The verb a German -ung noun comes from ("Spezialisierung" -> "spezialisieren")."""
    if not word.endswith("ung") or len(word) < 7:
        return None
    stem = word[:-3]
    if stem[-1] in "lr" and stem[-2] not in "aeiou":  # "Entwicklung" -> "entwickeln"
        return german_verb(stem[:-1] + "e" + stem[-1] + "t")
    return german_verb(stem + "t")


# prefixes of German verbs whose meaning adds to the verb's own: "mitgestalten" is to help
# "gestalten", "weiterentwickeln" to go on "entwickeln", "zusammenarbeiten" to "arbeiten"
# together (not "um-", "auf-" ...: "umsetzen" is no "setzen")
TRANSPARENT_PREFIXES = ("mit", "weiter", "zusammen")


def prefixed_verb_base(word: str) -> str | None:
    """The verb a German verb with a transparent prefix is built on, if the lexicon knows
    it as a German word ("mitgestalten" -> "gestalten")."""
    if not word.endswith(("en", "ln", "rn")):  # gestalten, entwickeln, fördern
        return None
    known = lexicon().get(word)
    if known is not None and (known.noun or known.lemma != word):  # "Mitgliedern": Mitglied
        return None
    for prefix in TRANSPARENT_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 5:
            base = word[len(prefix):]
            record = lexicon().get(base)
            if record is None or not record.german or is_function_word(base):
                return None  # "mitmachen": "machen" says nothing
            return base
    return None


def joined_hyphens(text: str) -> str:
    """Join "Know-how" to "Knowhow" when its parts are all function words (any number of
    texts at once: a match never crosses a line break)."""
    if "-" not in text:
        return text
    return _HYPHENATED.sub(lambda found: _joined_word(found.group(0)), text)


@lru_cache(maxsize=10_000)
def _joined_word(word: str) -> str:
    parts = word.split("-")
    return "".join(parts) if all(is_function_word(fold(part)) for part in parts) else word


_INTENT_TERMS: dict[str, Term] = {}


def intent_term(key: str) -> Term:
    """The (shared) term of an intent key such as "?why"."""
    term = _INTENT_TERMS.get(key)
    if term is None:
        term = _INTENT_TERMS[key] = Term(key, key, {key: 1.0}, 1.0, intent=True)
    return term




def _tokens(text: str) -> list[tuple[str, bool]]:
    """(folded word, capitalised) of every word of a text, chat spellings written out
    ("hw" -> "how"); like knowledge.language.tokens, as plain tuples, for speed."""
    found: list[tuple[str, bool]] = []
    for raw in RAW_TOKEN.findall(text):
        if raw.isascii():
            found.append((raw.lower(), raw[0].isupper()))
        else:
            capital = raw[0].isupper()
            found.extend((token.word, capital) for token in tokens(raw))
    if not _CHAT.isdisjoint([word for word, _ in found]):
        found = [(written, capital) for word, capital in found
                 for written in CHAT_SPELLINGS.get(word, (word,))]
    return found


_CHAT = frozenset(CHAT_SPELLINGS)


def folded_forms(raw: str) -> tuple[str, ...]:
    """The folded words of one raw word (a run of letters and digits), chat spellings
    written out: what _tokens makes of it, for analysing many texts at once."""
    if raw.isascii():
        found: tuple[str, ...] = (raw.lower(),)
    else:
        found = tuple(token.word for token in tokens(raw))
    return tuple(written for word in found for written in CHAT_SPELLINGS.get(word, (word,)))


def clause_words(text: str, folded: list[str]) -> list[str]:
    """A text's folded words (`folded`) with a clause mark after every white-space piece
    that ends a clause, for intents(): as an index marks its texts (knowledge.batch)."""
    if _INNER_MARK.search(text) is None:
        return folded  # one clause (a mark at the very end ends nothing more)
    marked: list[str] = []
    for piece in text.split():
        marked.extend(form for raw in RAW_TOKEN.findall(piece) for form in folded_forms(raw))
        mark = clause_mark(piece)
        if mark is not None:
            marked.append(mark)
    return marked


# a mark that may end a clause before another piece (clause_mark decides; most questions
# have none, and one search of the text is cheaper than a test of every piece)
_INNER_MARK = re.compile(r"[?!;:.\-\u2013\u2014]\s+\S")


def _unclipped_verbs(found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A question's words with a verb clipped before "ich" ("was brauch ich") as its
    infinitive (lemmas.clipped_first_person), not as the noun "Brauch"."""
    unclipped = list(found)
    for at in range(len(found) - 1):
        word, capital = found[at]
        if found[at + 1][0] == "ich" and word not in DROPPED:
            verb = clipped_first_person(word)
            if verb is not None:
                unclipped[at] = (verb, capital)
    return unclipped


def _without_source_references(content: list[tuple[int, str, bool]],
                               found: list[tuple[str, bool]]) -> list[tuple[int, str, bool]]:
    """A question's content words without those that name the talk as its source
    ("according to the talk", function_words.source_references), unless nothing else is
    left: "Was sagt der Vortrag?" asks about the talk."""
    references = source_references([word for word, _ in found])
    kept = [word for word in content if word[0] not in references]
    return kept if kept else content


class _KnownWords:
    """Whether the lexicon lists a word: only two such words can form one of its phrases,
    so a pair with a word nobody knows is not looked up (a look-up that fails costs a
    bisection, and a knowledge base has many such pairs)."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        found = self._known.get(word)
        if found is None:
            if len(self._known) > MAX_CACHED:
                self._known.clear()
            found = self._known[word] = lexicon().get(word) is not None
        return found


class Analyser:
    """Text -> terms, given the words a knowledge base uses (for lemmas and compounds)."""

    def __init__(self, vocabulary: frozenset[str],
                 repair: Callable[[str], tuple[str, float] | None] | None = None,
                 index_keys: frozenset[str] = frozenset(),
                 own: frozenset[str] | None = None) -> None:
        self.vocabulary = vocabulary
        self.repair = repair
        self.index_keys = index_keys
        # every word is analysed once: its lemma and its terms (copied on use, since a
        # phrase key may be added to a term); bounded, since questions bring new words
        self._lemmas: dict[str, str] = {}
        self._splits: dict[str, tuple[str, ...] | None] = {}
        self._known_words = _KnownWords()
        self._words: dict[tuple[str, bool], tuple[Term, ...]] = {}
        # the lemma keys of the knowledge base's own words: translations into them count
        # fully, translations into anything else (a dictionary's odd sense) less
        self.own = own if own is not None else frozenset(self.lemma(w) for w in vocabulary)

    def lemma(self, word: str) -> str:
        """The lemma key of a folded word, the knowledge base's words counting as known."""
        found = self._lemmas.get(word)
        if found is None:
            if len(self._lemmas) > MAX_CACHED:
                self._lemmas.clear()
            found = self._lemmas[word] = lemma(word, self.vocabulary)
        return found

    def split(self, word: str) -> tuple[str, ...] | None:
        """A compound's parts, the knowledge base's words counting as parts too."""
        if word in self._splits:
            return self._splits[word]
        if len(self._splits) > MAX_CACHED:
            self._splits.clear()
        found = self._splits[word] = split(word, self.vocabulary)
        return found

    def _with_translations(self, keys: dict[str, float], key: str, weight: float) -> None:
        _add(keys, key, weight)
        for target, factor in weighted_translations(key, self.own):
            _add(keys, target, weight * factor)

    def terms(self, text: str) -> list[Term]:
        """The terms of a text. Terms are shared between texts: do not change them."""
        if "-" in text:
            text = joined_hyphens(text)
        found = _tokens(text)
        joining = bool(self.index_keys)
        if joining:
            found = [(self._chat_spelling(word), capital) if not capital else (word, capital)
                     for word, capital in found]
            if any(word == "ich" for word, _ in found):
                found = _unclipped_verbs(found)
        mixed_case = text not in (text.lower(), text.upper())
        content = [(index, word, capital) for index, (word, capital) in enumerate(found)
                   if word not in DROPPED and len(word) > 1]
        if joining and not SOURCE_WORDS.isdisjoint(word for word, _ in found):
            content = _without_source_references(content, found)
        result: list[Term] = []
        skip = -1
        last = len(content) - 1
        for position, (index, word, capital) in enumerate(content):
            if index <= skip:
                continue
            if joining and position < last:
                following = content[position + 1]
                joined = self._joined(word, following[1])
                if joined is None and following[0] == index + 2 and (
                        found[index + 1][0] in COMPOUND_LINKS):
                    joined = self._compound_of(following[1], word)
                if joined:
                    word, skip = joined, following[0]
            result.extend(self.word_terms(word, mixed_case and capital and index > 0))
        folded = [word for word, _ in found]
        if joining and result and not SEPARABLE_PARTICLES.isdisjoint(folded) and any(
                fold(last) in SEPARABLE_PARTICLES for last in _CLAUSE_LAST.findall(text)):
            self._join_separable_verbs(text, result)
        if len(result) > 1:
            self._phrases(result)
        if not INTENT_CUES.isdisjoint(folded):
            for key in sorted(intents(clause_words(text, folded))):
                result.append(intent_term(key))
        return result

    def _chat_spelling(self, word: str) -> str:
        """A question's word as the everyday word a chat misspells: a short function word
        ("wich", "teh": typos.function_word_spelling) or an -ing form without its g ("goin":
        typos.dropped_g_spelling), unless the knowledge base uses the word as written."""
        if word in DROPPED or len(word) < 3 or word in self.vocabulary:
            return word
        if len(word) <= 5:
            found = function_word_spelling(word)
            if found is not None:
                return found
        return dropped_g_spelling(word) or word

    def _join_separable_verbs(self, text: str, result: list[Term]) -> None:
        """A verb whose particle ends its clause ("Wie hängen Netzwerke und Cluster
        zusammen?", "Womit fängt man an, wenn ...") as the verb it forms with it, when the
        knowledge base knows that verb (zusammenhängen, anfangen); the verb as written stays
        a weaker key, as a phrasing that splits it too is read."""
        for part in _PARTICLE_CLAUSE.split(text):
            clause = [word for word, _ in _tokens(part)]
            if len(clause) < 3 or clause[-1] not in SEPARABLE_PARTICLES:
                continue
            for at, term in enumerate(result):
                if term.intent or term.word not in clause[:-1]:
                    continue
                joined = self.word_terms(clause[-1] + term.word)
                if len(joined) != 1 or joined[0].own == term.own or (
                        joined[0].own not in self.index_keys):
                    continue
                keys = dict(joined[0].keys)
                for key, strength in term.keys.items():
                    _add(keys, key, strength * DERIVATION_WEIGHT)
                result[at] = replace(joined[0], keys=keys)
                break

    def _joined(self, word: str, following: str) -> str | None:
        """Two neighbours that form one known word ("Lebens Zyklus", "E Mobilitaet")."""
        if not following or not self.index_keys:
            return None
        joined = self.lemma(word + following)
        if joined in self.index_keys and not (
                self.lemma(word) in self.index_keys and self.lemma(following) in self.index_keys):
            return word + following
        return None

    def _compound_of(self, modifier: str, head: str) -> str | None:
        """The knowledge base's compound of "Arten von Wissen" (Wissensarten), "Aufbau
        eines Netzwerks" (Netzwerkaufbau): the modifier, as written or as its lemma, with a
        linking letter or none, before the head."""
        for first in dict.fromkeys((modifier, self.lemma(modifier))):
            for link in LINKS:
                compound = first + link + head
                if self.lemma(compound) in self.index_keys:
                    return compound
        return None

    def word_terms(self, word: str, capital: bool = False) -> tuple[Term, ...]:
        """The (shared) terms of one word; `capital`: written as a German noun."""
        cached = self._words.get((word, capital))
        if cached is None:
            if len(self._words) > MAX_CACHED:
                self._words.clear()
            noun = (capital or is_german_noun(word)) and word not in NUMBER_WORDS
            cached = self._words[(word, capital)] = tuple(
                Term(t.word, t.own, t.keys, t.general, noun=noun, name=t.name,
                     certainty=t.certainty) for t in self._analyse_word(word))
        return cached

    def _analyse_word(self, word: str) -> list[Term]:
        if word.isdigit():
            return [Term(word, word, {word: 1.0}, DIGIT_WEIGHT)]
        own = self.lemma(word)
        general = min(general_weight(word), general_weight(own))
        if word in NUMBER_WORDS:
            general = min(general, DIGIT_WEIGHT)
        certainty = 1.0
        if self.index_keys and own not in self.index_keys:
            parts = None if self._lexicalised(own) else self.split(own)
            if parts and any(part in self.index_keys for part in parts):
                return [term for part in parts for term in self._analyse_word(part)]
            if self.repair is not None and not is_known(word):
                repaired = self.repair(word)
                if repaired is not None:
                    word, certainty = repaired
                    own = self.lemma(word)
                    general = min(general_weight(word), general_weight(own))
                else:  # a misspelt everyday word says as little as the word itself
                    everyday = everyday_spelling(word)
                    if everyday is not None and is_function_word(everyday):
                        return []
                    if everyday is not None:
                        general = min(general, general_weight(everyday))
        keys: dict[str, float] = {}
        self._with_translations(keys, own, 1.0)
        if self.index_keys:  # a question's word: its synonyms the knowledge base uses
            used = [synonym for synonym in synonyms(own) if synonym in self.own]
            for synonym in used[:MAX_THESAURUS_KEYS]:
                if keys.get(synonym, 0.0) < THESAURUS_WEIGHT:
                    keys[synonym] = THESAURUS_WEIGHT
        for verb in (derived_verb(own), prefixed_verb_base(own)):
            if verb is not None:
                self._with_translations(keys, verb, DERIVATION_WEIGHT)
        for variant in self._umlaut_variants(word):  # "forderung" may mean "foerderung"
            self._with_translations(keys, self.lemma(variant), UMLAUT_WEIGHT)
        for part in self.split(own) or ():
            self._with_translations(keys, part, PART_SHARE)
        return [Term(word, own, keys, general, name=is_name(own), certainty=certainty)]

    @staticmethod
    def _lexicalised(word: str) -> bool:
        """A compound the dictionary translates as a word of its own ("Parkplatz" :: "car
        park"): its meaning is not its parts', so it is not split into "Park" and "Platz"."""
        record = lexicon().get(word)
        return record is not None and record.noun and bool(record.translations)

    def _umlaut_variants(self, word: str) -> list[str]:
        """Words of the knowledge base that differ from `word` by one dropped umlaut.

        Typing "u" for "ü" gives a correct word as often as not ("Forderung" is a word),
        so the word stays itself and the variant is only added as a weaker key."""
        if not self.index_keys or word in self.vocabulary:
            return []
        found = []
        for position, char in enumerate(word):
            if char in "aou" and word[position + 1: position + 2] != "e":
                variant = word[:position + 1] + "e" + word[position + 1:]
                if variant in self.vocabulary:
                    found.append(variant)
        return found

    def knows(self, word: str) -> bool:
        """Whether the lexicon lists a word: only two such words form one of its phrases."""
        return word in self._known_words

    def phrase_keys(self, first: str, second: str) -> dict[str, float] | None:
        """The keys two neighbouring words' lemma keys give as a phrase ("business model"
        and its translations), or None when they form no phrase the index or the lexicon
        knows."""
        phrase = f"{first} {second}"
        if phrase not in self.index_keys and (
                not self.knows(first) or not self.knows(second)
                or lexicon().get(phrase) is None):
            return None
        keys: dict[str, float] = {}
        self._with_translations(keys, phrase, PHRASE_WEIGHT)
        return keys

    def _phrases(self, terms: list[Term]) -> None:
        """Give two neighbouring words the key of the phrase they form, if one is known.

        Terms are shared, so a term that gains a phrase key is replaced by a copy."""
        copied: set[int] = set()
        for position in range(len(terms) - 1):
            first, second = terms[position], terms[position + 1]
            if first.intent or second.intent:
                continue
            phrase = self.phrase_keys(first.own, second.own)
            if phrase is None:
                continue
            for at in (position, position + 1):
                term = terms[at]
                if at not in copied:
                    copied.add(at)
                    term = terms[at] = Term(term.word, term.own, dict(term.keys),
                                            term.general, noun=term.noun, name=term.name,
                                            certainty=term.certainty)
                for key, weight in phrase.items():
                    _add(term.keys, key, weight)


def folded_words(text: str) -> list[str]:
    """Content words of a text, folded (for vocabularies and language hints)."""
    return [word for word in words(joined_hyphens(text)) if not is_function_word(word)]

