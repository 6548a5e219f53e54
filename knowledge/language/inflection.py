"""Rules that take an inflected word back to a form the lexicon knows.

The shipped lexicon lists the lemma of every common word form (from Ding's inflection
groups: "Wärmepumpe {f} | Wärmepumpen {pl}", "fördern | fördernd | gefördert"). Forms it
does not list — a dative plural ("Clustern"), a genitive ("Unternehmens"), a rare word's
plural — are reduced by stripping one ending and checking the remainder (or remainder + e,
+ n, + en) against the lexicon. Unlike Snowball, nothing is cut to a stem that is not a word,
so "business" and "busy", or "Raten" and "Rat", stay apart. Used at build time (to fill the
table) and at run time (for words the table lacks), so both sides agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

# Endings in the order tried: the shortest first, so "Netzwerken" tries "netzwerke" (a
# listed plural, which leads on to "netzwerk") before "netzwerk" itself.
_GERMAN_ENDINGS = ("n", "s", "e", "t", "en", "es", "er", "em", "st", "te", "ern", "ten",
                   "tet", "est", "ens", "nen", "end")
_ENGLISH_ENDINGS = ("s", "es", "ed", "ing", "ies", "er", "est", "ly")
_REFILLS = ("", "e", "n", "en")
MIN_BASE = 3


def _without_umlaut(base: str) -> str:
    """The base with its last folded umlaut (ae, oe, ue) written as a plain vowel."""
    position = max(base.rfind("ae"), base.rfind("oe"), base.rfind("ue"))
    if position <= 0:
        return base
    return base[:position] + base[position] + base[position + 2:]


def candidates(word: str) -> Iterator[tuple[str, str]]:
    """(possible base form, "de" or "en") of a folded word, most likely first.

    The language says which ending was removed, so a caller can insist that a German
    ending leaves a German word: "tampere" minus "e" is not the German word "tamper"."""
    seen = {(word, "de"), (word, "en")}
    for lang, endings in (("de", _GERMAN_ENDINGS), ("en", _ENGLISH_ENDINGS)):
        for ending in endings:
            if not word.endswith(ending) or len(word) - len(ending) < MIN_BASE:
                continue
            base = word[: -len(ending)]
            if ending == "ies":
                options: tuple[str, ...] = (base + "y",)
            elif ending in ("ing", "ed"):  # making -> make, stopped -> stop
                options = (base, base + "e") + ((base[:-1],) if base[-1:] == base[-2:-1]
                                                 else ())
            elif lang == "en":
                options = (base, base + "e") if ending == "s" else (base,)
            else:
                options = tuple(base + refill for refill in _REFILLS)
                plain = _without_umlaut(base)  # Beiträge -> Beitrag, Zuschüsse -> Zuschuss
                if plain != base and ending in ("e", "er", "en", "n", "ern"):
                    options += (plain,)
            for candidate in options:
                if (candidate, lang) not in seen and len(candidate) >= MIN_BASE:
                    seen.add((candidate, lang))
                    yield candidate, lang


def reduce(word: str, known: Callable[[str, str], bool]) -> str | None:
    """The first candidate base form that `known(candidate, lang)` accepts, or None."""
    for candidate, lang in candidates(word):
        if known(candidate, lang):
            return candidate
    return None
