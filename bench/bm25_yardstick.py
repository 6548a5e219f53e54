"""The plain BM25 the question benchmarks compare with (bm25s, an optional extra that
`make bench` installs): each entry's phrasings — titles, questions and keywords in both
languages — as one document, folded words stemmed with Snowball. No language layer, so the
difference shows what ours adds (bench_quality.py) and costs (bench_matcher.py).
"""

from __future__ import annotations

from typing import Any

from knowledge.base import KnowledgeBase
from knowledge.language import fold, snowball_stem, words

try:
    import bm25s
except ImportError:
    bm25s = None


def tokens(text: str) -> list[str]:
    return [snowball_stem(word) for word in words(text)]


def bm25_index(knowledge: KnowledgeBase) -> Any | None:
    """A bm25s retriever over the entries, in their order; None without bm25s."""
    if bm25s is None:
        return None
    corpus = []
    for entry in knowledge.entries:
        texts = [entry.title[lang] for lang in ("de", "en")]
        for lang in ("de", "en"):
            texts += [*entry.questions.get(lang, ()), *entry.keywords.get(lang, ())]
        corpus.append(tokens(" ".join(texts)))
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


def best_entry(retriever: Any, text: str) -> tuple[float, int] | None:
    """(score, position of the entry) of the best document for `text`; None when no word of
    it is in the index."""
    query = [token for token in tokens(fold(text)) if token in retriever.vocab_dict]
    if not query:
        return None
    scores = retriever.get_scores(query)
    best = int(scores.argmax())
    return float(scores[best]), best
