"""Which language a question is in: function words, umlauts and the lexicon's word lists.

For messages of three to ten words, function words are more reliable than letter
statistics ("die", "ist", "wie" vs "the", "is", "how"); after them, a content word that the
lexicon lists in one language only (Ding's German or English side, or a form far more
frequent in one language) counts half. A caller can add words seen in only one language
of its own texts. The fallback decides a tie.
"""

from __future__ import annotations

from knowledge.language.folding import fold, words
from knowledge.language.function_words import ENGLISH, GERMAN
from knowledge.language.lexicon import lexicon

_GERMAN_MARKERS = GERMAN - ENGLISH - {"in", "am", "so", "man", "hi", "hey", "ok", "okay",
                                      "info", "etc", "vs"}
_ENGLISH_MARKERS = ENGLISH - GERMAN - {"die", "was", "also", "an", "hat", "will", "t", "s",
                                       "d", "m"} | {"why", "when", "who", "where", "whom"}
_GERMAN_MARKERS = _GERMAN_MARKERS | {"warum", "wieso", "weshalb", "wann", "wer", "wo"}
CONTENT_VOTE = 0.5
FREQUENCY_GAP = 1.5


def _content_vote(word: str) -> float:
    """+1 German, -1 English, 0 undecided, for a content word."""
    record = lexicon().get(word)
    if record is None:
        return 0.0
    if record.zipf_de - record.zipf_en >= FREQUENCY_GAP or (record.german and not record.english
                                                             and record.zipf_en < 3):
        return 1.0
    if record.zipf_en - record.zipf_de >= FREQUENCY_GAP or (record.english and not record.german
                                                             and record.zipf_de < 3):
        return -1.0
    return 0.0


def detect_language(text: str, fallback: str, german_words: frozenset[str] = frozenset(),
                    english_words: frozenset[str] = frozenset()) -> str:
    """'de' or 'en' for `text`; `fallback` when nothing tells."""
    lowered = text.lower()
    german = sum(2.0 for ch in lowered if ch in "äöüß")
    english = 0.0
    for word in words(fold(text)):
        if len(word) < 2:
            continue
        if word in _GERMAN_MARKERS or word in german_words:
            german += 1
        elif word in _ENGLISH_MARKERS or word in english_words:
            english += 1
        else:
            vote = _content_vote(word)
            german += CONTENT_VOTE * max(vote, 0.0)
            english += CONTENT_VOTE * max(-vote, 0.0)
    if german == english:
        return fallback
    return "de" if german > english else "en"
