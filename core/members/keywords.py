"""Keywords of member profiles, normalised so that spellings which mean the same agree.

A keyword ("Geschäftsmodelle", "business model", "E-Government") becomes *terms*:
- `c:<concept>` when it is one of the bilingual synonyms in knowledge/keyword_synonyms.toml,
- `k:<stems>` for any other keyword (its word stems glued together, so "E-Government" and
  "eGovernment" or "Open Innovation" and "OpenInnovation" agree),
- `w:<stem>` for each single word, so "supply chain" partly fits "supply chain management",
and concepts hidden in German compounds ("Kontraktlogistik" contains Logistik).
Folding and stemming come from knowledge.text (case, umlauts, German/English inflection).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.text import stem, words

SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "keyword_synonyms.toml"
KEYWORD_STOPWORDS = frozenset(
    "a an and the of for to in on with by at or und oder der die das den dem des ein eine "
    "einer eines im in von vom mit fuer zu zum zur auf bei".split())
MAX_NGRAM = 4
MIN_COMPOUND_PART = 4  # a concept spelling must be this long to be found inside a compound
MAX_KEYWORD_CHARS = 60
MAX_KEYWORDS = 15
_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Concept:
    """One topic with its labels in both languages and every spelling that means it."""

    id: str
    label: dict[str, str]
    spellings: tuple[str, ...]


class Synonyms:
    """The concept table, looked up by stem key and by folded surface form."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {concept.id: concept for concept in concepts}
        self.by_key: dict[str, str] = {}
        self.surfaces: dict[str, str] = {}  # folded spelling without spaces -> concept id
        self.multi_starts: dict[str, int] = {}  # first stem of a word group -> most words
        for concept in concepts:
            for spelling in concept.spellings:
                ws = keyword_words(spelling)
                key = stem_key(ws)
                if not key:
                    raise ValueError(f"synonym {spelling!r} of {concept.id!r} has no words")
                other = self.by_key.get(key)
                if other is not None and other != concept.id:
                    raise ValueError(f"{spelling!r} means both {other!r} and {concept.id!r} in "
                                     f"{SYNONYMS_FILE.name}")
                self.by_key[key] = concept.id
                self.surfaces.setdefault("".join(ws), concept.id)
                if len(ws) > 1:
                    first = stem(ws[0])
                    self.multi_starts[first] = max(self.multi_starts.get(first, 0), len(ws))
        # single-word spellings that may appear inside German compounds
        self.compound_parts = tuple(sorted(
            ((surface, cid) for surface, cid in self.surfaces.items()
             if len(surface) >= MIN_COMPOUND_PART),
            key=lambda item: -len(item[0])))
        self.label_words: dict[str, frozenset[str]] = {
            concept.id: frozenset(f"w:{stem(w)}" for label in concept.label.values()
                                  for w in keyword_words(label))
            for concept in concepts}

    def label(self, concept_id: str, lang: str) -> str:
        return self.concepts[concept_id].label.get(lang) or self.concepts[concept_id].label["de"]


def load_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    concepts = [Concept(cid, {"de": entry["de"], "en": entry["en"]},
                        (entry["de"], entry["en"], *entry.get("variants", ())))
                for cid, entry in data.items()]
    return Synonyms(concepts)


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The shipped synonym table (loaded once per process)."""
    return load_synonyms()


def keyword_words(text: str) -> list[str]:
    """Folded words of a keyword without filler words ("Forschung und Entwicklung")."""
    return [w for w in words(text) if w not in KEYWORD_STOPWORDS]


def stem_key(folded_words: list[str]) -> str:
    return "".join(stem(w) for w in folded_words)


def split_keywords(text: str) -> list[str]:
    """A typed list ("Logistik, RFID; CRM") as keywords: trimmed, no empties, no repeats."""
    seen: set[str] = set()
    result: list[str] = []
    for part in _SEPARATORS.split(text):
        keyword = " ".join(part.split()).strip(" .-–•*")
        surface = "".join(keyword_words(keyword))
        if keyword and surface and surface not in seen:
            seen.add(surface)
            result.append(keyword)
    return result


@lru_cache(maxsize=65536)
def full_term(keyword: str) -> str | None:
    """The term a whole keyword stands for: its concept, else its glued stems."""
    ws = keyword_words(keyword)
    if not ws:
        return None
    key = stem_key(ws)
    concept = synonyms().by_key.get(key)
    return f"c:{concept}" if concept else f"k:{key}"


_WORDS: dict[str, tuple[str, frozenset[str]]] = {}  # folded word -> (stem, its terms)
_WORDS_LIMIT = 200_000


def _word(word: str) -> tuple[str, frozenset[str]]:
    """A folded word's stem, and its terms: the stem, plus concepts it contains as a
    compound part ("kontraktlogistik" -> logistics)."""
    known = _WORDS.get(word)
    if known is not None:
        return known
    stemmed = stem(word)
    parts = {f"w:{stemmed}"}
    if len(word) >= 2 * MIN_COMPOUND_PART:
        for surface, concept in synonyms().compound_parts:
            if surface != word and (word.startswith(surface) or word.endswith(surface)):
                parts.add(f"c:{concept}")
    if len(_WORDS) >= _WORDS_LIMIT:
        _WORDS.clear()
    known = _WORDS[word] = (stemmed, frozenset(parts))
    return known


def words_terms(ws: list[str]) -> frozenset[str]:
    """Every weaker term of folded words: word stems, concepts in compounds and in word
    groups ("disaster management" inside a longer text)."""
    table = synonyms()
    starts, by_key = table.multi_starts, table.by_key
    terms: set[str] = set()
    stems: list[str] = []
    for word in ws:
        if word.isdigit():  # numbers ("Person 4711", years) are not topics
            stems.append(word)
            continue
        stemmed, parts = _WORDS.get(word) or _word(word)
        stems.append(stemmed)
        terms.update(parts)
    concepts = {term for term in terms if term[0] == "c"}
    for i, first in enumerate(stems):
        longest = starts.get(first)
        if longest:
            for n in range(min(longest, len(ws) - i), 1, -1):
                concept = by_key.get("".join(stems[i:i + n]))
                if concept:
                    concepts.add(f"c:{concept}")
                    break
    for term in concepts:
        terms.add(term)
        terms.update(table.label_words[term[2:]])
    return frozenset(terms)


def text_terms(text: str) -> frozenset[str]:
    """Every weaker term of a text (see `words_terms`)."""
    return words_terms(keyword_words(text))


part_terms = lru_cache(maxsize=65536)(text_terms)  # keywords repeat across profiles


@lru_cache(maxsize=65536)
def keyword_terms(keyword: str) -> tuple[str | None, frozenset[str]]:
    """(full term, weaker terms) of one profile keyword; the full term is also a part."""
    full = full_term(keyword)
    parts = part_terms(keyword)
    if full is not None:
        parts = parts | {full}
        if full.startswith("c:"):
            parts = parts | synonyms().label_words[full[2:]]
    return full, parts


def fuzzy_cutoff(surface: str) -> float | None:
    """How similar (rapidfuzz ratio) a misspelt word must be; short words are not guessed."""
    length = len(surface)
    if length < 5:
        return None
    if length == 5:
        return 88.0
    if length == 6:
        return 90.0
    return 85.0 if length < 9 else 80.0
