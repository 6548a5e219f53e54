"""Compatibility re-exports: the text functions now live in the language layer.

`knowledge.language` is the one language layer (folding, lemmas, compounds, bridge,
weights, typo repair). The member keyword matcher (core/members) still imports `fold`,
`stem` and `words` from here; `stem` keeps the Snowball behaviour it was built on until
that matcher moves onto `knowledge.language.lemma` / `concepts`.
"""

from __future__ import annotations

from knowledge.language import ENGLISH as ENGLISH_STOPWORDS
from knowledge.language import FUNCTION_WORDS as STOPWORDS
from knowledge.language import GERMAN as GERMAN_STOPWORDS
from knowledge.language import detect_language, fold, words
from knowledge.language import snowball_stem as stem


def content_words(text: str) -> list[str]:
    """The words that carry meaning: no function words, no one-letter words."""
    return [word for word in words(text) if word not in STOPWORDS and len(word) > 1]


__all__ = ["ENGLISH_STOPWORDS", "GERMAN_STOPWORDS", "STOPWORDS", "content_words",
           "detect_language", "fold", "stem", "words"]
