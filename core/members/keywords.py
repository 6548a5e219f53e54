"""Keywords of member profiles: how a typed list is split, which words carry meaning, and
the abbreviation table.

Meaning across languages, inflections and compounds comes from the language layer (see
concepts.py). What no dictionary can know stays in knowledge/keyword_synonyms.toml:
abbreviations and the spellings they stand for (IoT = Internet der Dinge = Internet of
Things, RFID, CRM, F&E, KI/AI, GIS), brand-like coinages (E-Government, eLearning) and a few
cluster-specific equivalences the dictionary lacks. Each table entry is one concept; every
spelling of it (labels and variants, normalised like any keyword) gets the key `c:<id>`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.language import fold, is_function_word, is_known, lemma

SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "keyword_synonyms.toml"
KEYWORD_STOPWORDS = frozenset(
    "a an and the of for to in on with by at or und oder der die das den dem des ein eine "
    "einer eines im in von vom mit fuer zu zum zur auf bei am als".split())
# Words that say who is wanted or offered, not what: in "logistics partner", "Abnehmer für
# Rezyklate" or "Abwasserbehandlung für die Industrie" the topic is the other word. They
# still count, but little (folded lemma keys).
ROLE_WORDS = frozenset("""
    partner partnerin anbieter anbieterin hersteller herstellerin lieferant lieferantin
    zulieferer abnehmer kunde kundin pilotkunde anwender anwenderin dienstleister firma
    unternehmen betrieb industrie branche projekt pilotprojekt loesung
    partner supplier manufacturer provider producer vendor customer client buyer user
    company companies industry project solution service
""".split())
MAX_KEYWORD_CHARS = 60
MAX_KEYWORDS = 15
ACRONYM_MAX = 6
_SEPARATORS = re.compile(r"[,;\n]+")
_CHUNK = re.compile(r"[^\W_]+(?:[-‐–/][^\W_]+)*", re.UNICODE)
_PIECE = re.compile(r"[^\W_]+", re.UNICODE)
_AMPERSAND = re.compile(r"\b([^\W\d_])\s*&\s*([^\W\d_])\b")  # F&E, R&D, F & E
_NON_WORD = re.compile(r"[^0-9a-z]+")
_KEEP = frozenset({"information", "informationen", "info", "infos", "thema", "themen"})


def split_keywords(text: str) -> list[str]:
    """A typed list ("Logistik, RFID; CRM") as keywords: trimmed, no empties, no repeats."""
    seen: set[str] = set()
    result: list[str] = []
    for part in _SEPARATORS.split(text):
        keyword = " ".join(part.split()).strip(" .-–•*")
        glued = surface(keyword) or fold(keyword)
        if keyword and glued and glued not in seen:
            seen.add(glued)
            result.append(keyword)
    return result


def content_words(text: str) -> list[str]:
    """The folded words of a keyword or query that carry meaning, in order.

    Hyphenated pieces are glued when the glued word is known ("light-weight" =
    "lightweight"); an abbreviation in capitals stays even when it folds to a function word
    ("IT", "OT"); "F&E" and "R&D" are one word."""
    found: list[str] = []
    for chunk in content_chunks(text):
        found.extend(chunk_words(chunk))
    return found


def content_chunks(text: str) -> list[str]:
    """The hyphenated chunks of a text whose words `content_words` takes, in order ("e
    government" is one chunk): texts repeat chunks far more than whole texts repeat."""
    chunks: list[str] = _CHUNK.findall(_AMPERSAND.sub(r"\1\2", text) if "&" in text else text)
    if "e" not in chunks and "E" not in chunks:
        return chunks
    glued: list[str] = []
    for number, chunk in enumerate(chunks):
        if chunk.lower() == "e" and number + 1 < len(chunks):  # "e government"
            chunks[number + 1] = chunk + chunks[number + 1]
            continue
        glued.append(chunk)
    return glued


@lru_cache(maxsize=100_000)
def chunk_words(chunk: str) -> tuple[str, ...]:
    """The content words of one hyphenated chunk ("Luft-Wasser-Wärmepumpen")."""
    pieces = _PIECE.findall(chunk)
    if len(pieces) > 1:
        glued = fold("".join(pieces))
        if glued.isalpha() and is_known(glued):
            pieces = [glued]
        elif len(pieces[0]) == 1:  # "E-Mobilität" = "Emobilität"
            pieces = [pieces[0] + pieces[1], *pieces[2:]]
    found: list[str] = []
    for raw in pieces:
        if raw.isupper() and 1 < len(raw) <= ACRONYM_MAX and raw.isalnum():
            found.append(fold(raw).upper())  # an abbreviation: "IT" is not "it"
            continue
        for word in _NON_WORD.split(fold(raw)):
            if word and not _filler(word):
                found.append(word)
    return tuple(found)


def is_acronym(word: str) -> bool:
    """True for a word `content_words` kept as an abbreviation ("IT", "CFK", "3D")."""
    return word.isupper()


def key_of(word: str) -> str:
    """The lemma key of a content word (an abbreviation's is its lower-case spelling)."""
    return word.lower() if word.isupper() else lemma(word)


@lru_cache(maxsize=65536)
def keyword_words(keyword: str) -> tuple[str, ...]:
    """The folded content words of a profile keyword (keywords repeat across profiles)."""
    return tuple(content_words(keyword))


def _filler(word: str) -> bool:
    if word.isdigit():  # "Industrie 4.0", "Thema 1" (descriptions drop numbers themselves)
        return False
    if word in KEYWORD_STOPWORDS:
        return True
    return is_function_word(word) and word not in _KEEP


def surface(text: str) -> str:
    """A keyword's folded content words glued ("E-Government" -> "egovernment")."""
    return "".join(content_words(text)).lower()


def written_as(text: str, folded: list[str]) -> str:
    """How a text spells the content words `folded` ("waermepumpen" -> "Wärmepumpen"),
    or the folded words when the text does not contain them in a row."""
    tokens = [(raw, words) for raw in _PIECE.findall(text)
              if (words := content_words(raw))]
    for start in range(len(tokens)):
        taken: list[str] = []
        got: list[str] = []
        for raw, words in tokens[start:]:
            if len(got) >= len(folded):
                break
            taken.append(raw)
            got.extend(word.lower() for word in words)
        if got == [word.lower() for word in folded]:
            return " ".join(taken)
    return " ".join(folded)


@dataclass(frozen=True)
class Concept:
    """One table entry: its labels in both languages and every spelling that means it."""

    id: str
    label: dict[str, str]
    spellings: tuple[str, ...]


class Synonyms:
    """The abbreviation table, looked up by lemma phrase key and by glued surface."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {concept.id: concept for concept in concepts}
        self.by_key: dict[str, str] = {}
        for concept in concepts:
            for spelling in concept.spellings:
                keys = spelling_keys(spelling)
                if not keys:
                    raise ValueError(f"synonym {spelling!r} of {concept.id!r} has no words")
                for key in keys:
                    other = self.by_key.get(key)
                    if other is not None and other != concept.id:
                        raise ValueError(f"{spelling!r} means both {other!r} and "
                                         f"{concept.id!r} in {SYNONYMS_FILE.name}")
                    self.by_key[key] = concept.id

    @property
    def words(self) -> frozenset[str]:
        """Every folded word of every spelling (typo repair may lead to them)."""
        return frozenset(word for concept in self.concepts.values()
                         for spelling in concept.spellings for word in content_words(spelling)
                         if len(word) >= 4 and not word.isupper())

    def label(self, concept_id: str, lang: str) -> str:
        concept = self.concepts[concept_id]
        return concept.label.get(lang) or concept.label["de"]


def spelling_keys(text: str) -> tuple[str, ...]:
    """The keys under which a spelling is found: its glued surface and its lemma phrase."""
    folded = content_words(text)
    if not folded:
        return ()
    phrase = " ".join(key_of(word) for word in folded)
    return tuple(dict.fromkeys(("".join(folded).lower(), phrase)))


def load_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    concepts = [Concept(cid, {"de": entry["de"], "en": entry["en"]},
                        (entry["de"], entry["en"], *entry.get("variants", ())))
                for cid, entry in data.items()]
    return Synonyms(concepts)


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The shipped table (loaded once per process)."""
    return load_synonyms()


def abbreviations() -> dict[str, str]:
    """Table keys (glued surfaces and lemma phrases) -> concept id."""
    return synonyms().by_key
