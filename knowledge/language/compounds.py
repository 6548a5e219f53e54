"""German compound splitting against the general lexicon (and a matcher's own words).

"Clusterlebenszyklus" = cluster + lebenszyklus, "Mitgliedsbeiträge" = mitglied + s +
beitrag, "Branchenexperten" = branche(n) + experte: every part must be a German word the
lexicon knows (or a word of the knowledge base, for coinages such as "Clustermanagement"),
with the linking elements -s-, -es-, -n-, -en-, -e- allowed between parts. Of all splits the
one with the fewest parts wins, then the one whose shortest part is longest. A word the
lexicon knows is only split into nouns ("Kreislaufwirtschaft" yes, "Unternehmen" = unter +
nehmen or "Vortrag" = vor + trag no). The head (last part) is lemmatised.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.language.function_words import FUNCTION_WORDS
from knowledge.language.lemmas import lemma
from knowledge.language.lexicon import lexicon
from knowledge.language.weights import is_german_noun

MIN_WORD = 7
# A word the lexicon knows is not split when a part is clearly rarer than the word itself:
# an everyday word cut into rarer pieces ("transport" = tran + sport, "Diskussion" =
# diskus + ion, "Dienstag" = dien + stag) is a false split, while a compound's parts are
# usually at least as common as the compound ("Wärmepumpe" = wärme + pumpe)
RARER_PART = 1.5
MIN_PART = 3
MAX_PARTS = 4
LINKS = ("", "s", "es", "n", "en", "e")
_NOTHING: frozenset[str] = frozenset()


def _part_ok(part: str, *, nouns_only: bool, extra: frozenset[str]) -> bool:
    if len(part) < MIN_PART or part in FUNCTION_WORDS:
        return False
    if part in extra:
        return True
    record = lexicon().get(part)
    if record is None or not record.german:
        return False
    return is_german_noun(part) if nouns_only else len(part) >= 4 or record.noun


@lru_cache(maxsize=50_000)
def _split_general(word: str, nouns_only: bool) -> tuple[str, ...] | None:
    return _split(word, nouns_only, _NOTHING)


def _split(word: str, nouns_only: bool, extra: frozenset[str]) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    best_rank: tuple[int, int] = (MAX_PARTS + 1, 0)

    def search(start: int, parts: tuple[str, ...]) -> None:
        nonlocal best, best_rank
        if len(parts) >= MAX_PARTS:
            return
        rest = word[start:]
        if parts and _part_ok(rest, nouns_only=nouns_only, extra=extra):
            found = parts + (rest,)
            rank = (len(found), -min(len(p) for p in found))
            if rank < best_rank:
                best, best_rank = found, rank
        for cut in range(start + MIN_PART, len(word) - MIN_PART + 1):
            part = word[start:cut]
            if not _part_ok(part, nouns_only=nouns_only, extra=extra):
                continue
            for link in LINKS:
                if word.startswith(link, cut) and len(word) - cut - len(link) >= MIN_PART:
                    search(cut + len(link), parts + (part,))

    search(0, ())
    return best


def split(word: str, extra: frozenset[str] = _NOTHING) -> tuple[str, ...] | None:
    """The parts of a folded German compound (lemmatised), or None if it is none.

    `extra`: further words that may be parts (a knowledge base's own vocabulary)."""
    if len(word) < MIN_WORD or not word.isalpha():
        return None
    record = lexicon().get(word)
    known = record is not None and (record.german or record.english)
    if record is not None and record.english and not record.german:
        return None
    # only the general lexicon's splits are cached here: a cache keyed by `extra` would
    # compare two equal vocabularies of 20,000 words element by element (a caller with
    # a vocabulary caches per word itself, as knowledge.analysis does)
    parts = _split(word, known, extra) if extra else _split_general(word, known)
    if parts is None:
        return None
    if known and record is not None and record.zipf > 0.0:
        zipf = record.zipf
        rarest = min(getattr(lexicon().get(part), "zipf", zipf) if part not in extra
                     else zipf for part in parts)
        if rarest < zipf - RARER_PART:
            return None
    return tuple(lemma(part, extra) for part in parts)
