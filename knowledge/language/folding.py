"""Folding and tokenising: the one place that decides when two spellings are the same word.

rapidfuzz does no preprocessing of its own (since 3.0) and the lexicon is stored folded, so
every text that reaches a matcher goes through `fold` first: lower case, umlauts written as
ae/oe/ue, ß as ss (so "Förderung", "Foerderung" and "FOERDERUNG" are one word), accents
dropped ("café" = "cafe"). Hyphens and apostrophes split words ("E-Mobilität" = "e
mobilitaet"); a matcher that wants "E-Mobilität" = "Emobilität" joins neighbours itself.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# str.replace per letter, not str.translate: a 20 MB knowledge base folds in 0.1 s, not 2 s
_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss"))
_NON_WORD = re.compile(r"[^0-9a-z]+")
RAW_TOKEN = re.compile(r"[^\W_]+")  # a raw word: a run of letters and digits
# letters NFKD takes apart: accented Latin, ligatures, full-width and super/subscript forms
_DECOMPOSABLE = re.compile("[\u00a0-\u024f\u1e00-\u1eff\u2070-\u209f\ufb00-\ufb06\uff00-\uffef]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case, spell umlauts as ae/oe/ue/ss, drop accents."""
    if text.isascii():
        return text.lower()
    lowered = _spelt(text.lower())
    # dashes, quotes, emoji: no letters to fold, words() drops them
    return decompose(lowered) if _accented(lowered) else lowered


def _spelt(lowered: str) -> str:
    for letter, spelt in _UMLAUTS:
        if letter in lowered:
            lowered = lowered.replace(letter, spelt)
    return lowered


def decomposes(text: str) -> bool:
    """Whether fold takes `text` apart (NFKD) — and with it every other character of it, so
    folding a text piece by piece must take every piece apart then (knowledge.batch)."""
    return not text.isascii() and _accented(_spelt(text.lower()))


def _accented(lowered: str) -> bool:
    """Whether a lower-cased text with umlauts spelt out still has letters NFKD takes apart."""
    return not lowered.isascii() and _DECOMPOSABLE.search(lowered) is not None


def decompose(text: str) -> str:
    """`text` taken apart by NFKD, combining accents dropped ("café" -> "cafe")."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """Split folded text into words; punctuation and emoji separate words and vanish."""
    return [word for word in _NON_WORD.split(fold(text)) if word]


class Token(NamedTuple):
    """One word of a text: folded, and whether it was written with a capital letter.

    German capitalises nouns, so in a mixed-case German question a capitalised word that
    is not first is most likely a noun: a matcher can weigh an unknown noun ("Wetter",
    "Kubernetes") more than an unknown verb ("passieren"). (A named tuple: a knowledge
    base's index makes millions of them.)
    """

    word: str
    capital: bool
    position: int


def tokens(text: str) -> list[Token]:
    """The folded words of `text`, each with its capitalisation and position."""
    result: list[Token] = []
    append = result.append
    for raw in RAW_TOKEN.findall(text):
        if raw.isascii():  # letters and digits only: folding is lower-casing
            append(Token(raw.lower(), raw[0].isupper(), len(result)))
            continue
        capital = raw[:1].isupper()
        for piece in words(raw):
            append(Token(piece, capital, len(result)))
    return result
