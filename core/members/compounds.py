"""How a single word splits into parts, on top of the language layer's compound splitter.

- German compounds: `knowledge.language.split`, and when the layer cannot split a word
  because its inflected head is not in the lexicon ("Papierverpackungen"), the word with
  the ending taken off ("Papierverpackung" = Papier + Verpackung).
- German compounds the layer leaves whole because a part is no German word of its own:
  a verb stem as modifier ("Faltschachteln" = falten + Schachtel, "Messtechnik" = messen
  + Technik, "Kühltransporte" = kühlen + Transport), a borrowed one ("Cybersicherheit"),
  a coinage before a known head ("Ultrakurzpulslaser" = ultrakurz + Puls + Laser), a
  loanword head ("Sicherheitsaudits" = Sicherheit + Audit). A word the lexicon lists is
  split so only when a translation of it confirms the head ("Faltschachtel": collapsible
  box), and never into nouns the layer refused ("Lebensmittel" stays whole).
- English compounds written as one word: "heatpumps" when the lexicon knows "heat pump",
  "coldchain", "nonwoven"; an unknown word made of two English words of four letters or
  more. A known word is taken apart only when its German translation is a compound of
  the same two parts ("cybersecurity" = "Cybersicherheit": cyber + security), so
  "blockchain", "workshop" or "passports" stay themselves.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language import (
    is_function_word,
    is_german_noun,
    is_known,
    lemma,
    lexicon,
    split,
    translations,
)
from knowledge.language.inflection import candidates

MIN_HEAD, MIN_MODIFIER, MIN_COINED = 5, 4, 5  # the fallback split of German compounds
MIN_SHORT_MODIFIER = 3  # "Webentwicklung": a known word this short, in a word not listed
RARE_HEAD_ZIPF = 3.0  # a head this rare may be a compound itself ("Pulslaser")
GERMAN_HEAD_ZIPF = 2.5  # an unflagged head German uses more than English ("Fertigung")
MODIFIER_LINKS = ("es", "en", "s", "n", "e", "")  # linking elements before the head
WORD_RANK, SHORT_RANK, COINED_RANK = 0, 1, 2  # a word beats a short word, then a coinage
MIN_ENGLISH_PART = 3  # "heatpumps": parts whose spaced phrase the lexicon knows
MIN_ENGLISH_COMPOUND, MIN_ENGLISH_WORD, ENGLISH_ZIPF = 9, 4, 3.5  # else two real words
TRANSLATIONS_TRIED = 3  # a known English word's first translations, for a same split


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...] | None:
    """The parts of a German compound, also when its inflected head is unknown or a part
    is no German word of its own."""
    parts = split(lemma(word)) or split(word)
    if parts:
        return parts
    if is_known(word) or is_known(lemma(word)):
        base = lemma(word)
        parts = _head_split(base, listed=True) if translations(base) else None
        return parts if parts is None or _head_confirmed(base, parts[-1]) else None
    for base, lang in candidates(word):
        if lang == "de":
            parts = split(base)
            if parts:
                return parts
    return None if english_parts(word) else _head_split(word, listed=False)


def _head_confirmed(word: str, head: str) -> bool:
    """True when a translation of the listed word has the head or a translation of it
    (as a word or as an English compound's end): "Faltschachtel" is a "collapsible box"
    (Schachtel: box), "Cybersicherheit" "cybersecurity", but "Lebensmittel" ("food") is
    no kind of "Mittel" and "Prüfstand" ("test bench") no kind of "Stand"."""
    heads = (head, *translations(head))
    return any(token == other or len(other) >= MIN_HEAD and token.endswith(other)
               for text in translations(word) for token in text.split(" ")
               for other in heads)


@lru_cache(maxsize=100_000)
def _head_split(word: str, *, listed: bool) -> tuple[str, ...] | None:
    """A German compound the layer does not split, as modifier + a noun at its end: of
    the heads with the best modifier (a word or a verb stem before a short word, before
    a coinage) the longest. A word the lexicon lists (`listed`) takes only a verb stem,
    an adjective or a borrowed word as modifier, with no linking element."""
    if not word.isalpha() or len(word) < MIN_SHORT_MODIFIER + MIN_HEAD or _english(word):
        return None
    best: tuple[str, ...] | None = None
    best_rank = COINED_RANK + 1
    for cut in range(MIN_SHORT_MODIFIER, len(word) - MIN_HEAD + 1):
        head = word[cut:]
        if not _is_head(head, listed=listed) or len(lemma(head)) < MIN_HEAD:
            continue
        left = word[:cut]
        for link in ("",) if listed else MODIFIER_LINKS:
            if not left.endswith(link) or len(left) - len(link) < MIN_SHORT_MODIFIER:
                continue
            found = _modifier(left[: len(left) - len(link)], listed=listed)
            if found is not None and found[1] < best_rank:
                best_rank = found[1]
                best = (*found[0], *_head_parts(lemma(head)))
        if best_rank == WORD_RANK:
            break
    return best


def _english(word: str) -> bool:
    """True for an English word (or an inflection of one): the layer never splits it."""
    record = lexicon().get(lemma(word)) or lexicon().get(word)
    return record is not None and record.english and not record.german


def _head_parts(head: str) -> tuple[str, ...]:
    """A rare head as the layer splits it ("Pulslaser" = Puls + Laser); an everyday one
    stays whole ("Transport" is no "Tran" + "Sport")."""
    record = lexicon().get(head)
    rare = record is None or record.zipf < RARE_HEAD_ZIPF
    return (split(head) if rare else None) or (head,)


def _is_head(head: str, *, listed: bool) -> bool:
    """True for a German noun; in a word the lexicon lacks also for a word German uses
    more than English ("Fertigung") or a borrowed English noun ("Audits", "Panels")."""
    if is_function_word(head):
        return False
    if is_german_noun(head):
        return True
    record = None if listed else lexicon().get(lemma(head))
    if record is None:
        return False
    if record.english and not record.german:
        return len(head) >= MIN_COINED
    return record.zipf_de >= max(GERMAN_HEAD_ZIPF, record.zipf_en)


def _modifier(text: str, *, listed: bool) -> tuple[tuple[str, ...], int] | None:
    """(parts, rank) of a compound's modifier, or None when it is none: a verb stem
    ("mess" as "messen"), an adjective ("fein") or a borrowed word ("cyber"); in a word
    the lexicon lacks (not `listed`) also a noun or a compound, all WORD_RANK, a short
    word ("web", SHORT_RANK) or a coinage ("ultrakurz", COINED_RANK)."""
    if is_function_word(text):
        return None
    record = lexicon().get(text)
    if len(text) < MIN_MODIFIER:  # "Web", "Bio": only a word of its own, in a new word
        return None if listed or not is_known(text) else ((lemma(text),), SHORT_RANK)
    german = record is not None and record.german
    noun = record is not None and record.german and record.noun
    verb = lexicon().get(text + "en")
    if verb is not None and verb.german and not verb.noun and not noun:
        return (text + "en",), WORD_RANK  # "falt", "mess", "kuehl": falten, messen, kuehlen
    if record is not None and record.lemma == text and not noun and (
            german or len(text) >= MIN_COINED and is_known(text)):
        return (text,), WORD_RANK  # "fein"; borrowed: "cyber", "pharma"
    if listed:
        return None
    if german or is_german_noun(text):
        return (lemma(text),), WORD_RANK
    parts = split(text)
    if parts:
        return parts, WORD_RANK
    return ((text,), COINED_RANK) if len(text) >= MIN_COINED and not is_known(text) else None


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
                and _english_word(right) and (
                    _english_word(left) if not is_known(word)
                    else _translated_alike(word, lemma(left), lemma(right)))):
            return lemma(left), lemma(right)
    return None


def _translated_alike(word: str, left: str, right: str) -> bool:
    """True when a translation of the known English word is a German compound whose head
    translates to `right` and whose modifier is `left` or translates to it."""
    for other in translations(lemma(word))[:TRANSLATIONS_TRIED]:
        parts = None if " " in other else compound_parts(other)
        if not parts:
            continue
        head, modifiers = parts[-1], parts[:-1]
        if right in translations(head) and any(
                part == left or left in translations(part) for part in modifiers):
            return True
    return False


def _english_word(word: str) -> bool:
    record = lexicon().get(word)
    return (record is not None and not is_function_word(word)
            and (record.english or record.zipf_en >= ENGLISH_ZIPF))
