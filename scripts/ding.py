"""Read Ding's German-English dictionary (Debian package trans-de-en, /usr/share/trans/de-en).

A line is "German side :: English side"; both sides have the same number of groups separated
by " | " (group 0 the headword, then inflections, compounds and examples, aligned one to one)
and each group has alternatives separated by "; ". Annotations in {} (word class, gender),
[] (domain, register), () (explanations) and <> (other spellings) are stripped from a term;
their word class is kept as a tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DING_PATH = Path("/usr/share/trans/de-en")

_TAG = re.compile(r"\{([^}]*)\}")
_BRACKETS = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>|(?:^|\s)/[^/\s]+/")
_PLACEHOLDERS = re.compile(
    r"\b(?:etw|jdm|jdn|jds|jd|sth|sb|sb's|sb’s|o\.s|so)\.(?=\s|$)|\betw\.|\bsth\.|\bsb\.")
_ALLOWED = re.compile(r"^[A-Za-zÄÖÜäöüßÀ-ÿ][A-Za-zÄÖÜäöüßÀ-ÿ' -]*$")
MAX_TERM_WORDS = 3
NOUN_TAGS = frozenset({"m", "f", "n", "m,f", "m,n", "f,n", "m,f,n"})
VERB_TAGS = frozenset({"vt", "vi", "vr", "v", "vi,vt", "vt,vi", "vr,vt", "vt,vr", "vi,vr"})


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # cleaned, as written (case kept)
    tags: frozenset[str]


@dataclass(frozen=True, slots=True)
class Line:
    german: tuple[tuple[Term, ...], ...]  # groups of alternatives
    english: tuple[tuple[Term, ...], ...]


def clean(raw: str, *, english: bool) -> Term | None:
    """A term without annotations and placeholders, or None if nothing usable is left."""
    tags = frozenset(tag.strip() for tag in _TAG.findall(raw))
    text = _BRACKETS.sub(" ", raw)
    text = _PLACEHOLDERS.sub(" ", text)
    text = text.replace("…", " ").replace("’", "'")
    text = " ".join(text.split()).strip(" ,.!?;:")
    if english and text.startswith("to ") and len(text) > 3:
        text = text[3:]
        tags = tags | {"v"}
    if not text or not _ALLOWED.match(text) or len(text.split()) > MAX_TERM_WORDS:
        return None
    return Term(text, tags)


def _groups(side: str, *, english: bool) -> tuple[tuple[Term, ...], ...]:
    groups = []
    for group in side.split(" | "):
        terms = (clean(alternative, english=english) for alternative in group.split("; "))
        groups.append(tuple(term for term in terms if term is not None))
    return tuple(groups)


def aligned_texts(path: Path = DING_PATH) -> Iterator[tuple[str, str]]:
    """Every aligned pair of groups (German text, English text), examples and long terms
    included, annotations and placeholders stripped: the parallel text that tells a word's
    common senses from its rare ones (scripts/build_lexicon.py, Builder.associations)."""
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            if raw.startswith("#") or " :: " not in raw:
                continue
            german, _, english = raw.rstrip("\n").partition(" :: ")
            german_groups, english_groups = german.split(" | "), english.split(" | ")
            if len(german_groups) != len(english_groups):
                continue
            for de_text, en_text in zip(german_groups, english_groups, strict=True):
                yield (_PLACEHOLDERS.sub(" ", _BRACKETS.sub(" ", de_text)),
                       _PLACEHOLDERS.sub(" ", _BRACKETS.sub(" ", en_text)))


def read(path: Path = DING_PATH) -> Iterator[Line]:
    """Every dictionary line whose two sides have aligned groups."""
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            if raw.startswith("#") or " :: " not in raw:
                continue
            german, _, english = raw.rstrip("\n").partition(" :: ")
            if german.count(" | ") != english.count(" | "):
                continue
            yield Line(_groups(german, english=False), _groups(english, english=True))
