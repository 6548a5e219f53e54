"""The pitfalls and self-check statements as data, read from `knowledge/selfcheck.toml`.

`load_content` validates the file (10-15 statements, two or three per pitfall, both answer
directions, every text in German and English) and raises `ContentError` naming every defect.

This is the project's second reader of bilingual TOML (knowledge/base.py is the first, for
the answers). knowledge/ offers no public loader to reuse yet (its `_read_toml` and
`_language_table` are private); when it does, `_texts` and `_lists` should use it, and the
file could then be loaded from knowledge/ like the answers.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.i18n import LANGUAGES

CONTENT_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "selfcheck.toml"

# The five stumbling blocks of the talk (slide 13), in the talk's order.
PITFALL_IDS = ("unrealistic_expectations", "missing_monitoring", "unbalanced_funding",
               "quantity_over_quality", "lack_of_openness")
MIN_STATEMENTS, MAX_STATEMENTS = 10, 15  # about two minutes at one tap each
MIN_PER_PITFALL, MAX_PER_PITFALL = 2, 3


@dataclass(frozen=True)
class Pitfall:
    """One stumbling block: its title, the advice for the self-check and for /health."""

    id: str
    entry: str
    title: dict[str, str]
    advice: dict[str, tuple[str, ...]]
    health_advice: dict[str, str]


@dataclass(frozen=True)
class Statement:
    """A self-check statement; `agree_is_good` says which end of the scale is healthy."""

    id: str
    pitfall: str
    agree_is_good: bool
    text: dict[str, str]


@dataclass(frozen=True)
class Content:
    pitfalls: tuple[Pitfall, ...]
    statements: tuple[Statement, ...]

    def pitfall(self, pitfall_id: str) -> Pitfall:
        return next(p for p in self.pitfalls if p.id == pitfall_id)


class ContentError(ValueError):
    """knowledge/selfcheck.toml is broken; the message lists every problem."""


def _texts(raw: dict, key: str, where: str, problems: list[str]) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict):
        problems.append(f"{where}: '{key}' must be a table with de and en")
        return {lang: "" for lang in LANGUAGES}
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            problems.append(f"{where}: '{key}.{lang}' is missing or empty")
    return {lang: str(value.get(lang, "")).strip() for lang in LANGUAGES}


def _lists(raw: dict, key: str, where: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    value = raw.get(key)
    result: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        items = value.get(lang) if isinstance(value, dict) else None
        if not isinstance(items, list) or not items or not all(
                isinstance(item, str) and item.strip() for item in items):
            problems.append(f"{where}: '{key}.{lang}' must be a non-empty list of texts")
            items = []
        result[lang] = tuple(str(item).strip() for item in items)
    return result


def parse_content(raw: dict) -> Content:
    """Build and check the content from the parsed TOML; raise ContentError on any defect."""
    problems: list[str] = []
    pitfalls = []
    for item in raw.get("pitfall", []):
        where = f"pitfall {item.get('id')!r}"
        pitfalls.append(Pitfall(
            id=str(item.get("id", "")), entry=str(item.get("entry", "")),
            title=_texts(item, "title", where, problems),
            advice=_lists(item, "advice", where, problems),
            health_advice=_texts(item, "health_advice", where, problems)))
    if tuple(p.id for p in pitfalls) != PITFALL_IDS:
        problems.append(f"pitfalls must be exactly {', '.join(PITFALL_IDS)} in this order")
    statements = []
    for item in raw.get("statement", []):
        where = f"statement {item.get('id')!r}"
        if item.get("pitfall") not in PITFALL_IDS:
            problems.append(f"{where}: unknown pitfall {item.get('pitfall')!r}")
        if not isinstance(item.get("agree_is_good"), bool):
            problems.append(f"{where}: 'agree_is_good' must be true or false")
        statements.append(Statement(str(item.get("id", "")), str(item.get("pitfall", "")),
                                    bool(item.get("agree_is_good")),
                                    _texts(item, "text", where, problems)))
    ids = Counter(s.id for s in statements)
    problems += [f"statement id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    if not MIN_STATEMENTS <= len(statements) <= MAX_STATEMENTS:
        problems.append(f"{len(statements)} statements; there must be "
                        f"{MIN_STATEMENTS} to {MAX_STATEMENTS}")
    per_pitfall = Counter(s.pitfall for s in statements)
    for pitfall_id in PITFALL_IDS:
        if not MIN_PER_PITFALL <= per_pitfall[pitfall_id] <= MAX_PER_PITFALL:
            problems.append(f"pitfall {pitfall_id!r} has {per_pitfall[pitfall_id]} statements; "
                            f"it needs {MIN_PER_PITFALL} or {MAX_PER_PITFALL}")
    if len({s.agree_is_good for s in statements}) < 2:
        problems.append("mix both directions: some statements where agreeing is good, "
                        "some where it is bad")
    if problems:
        raise ContentError(f"{CONTENT_FILE.name}: " + "; ".join(problems))
    return Content(tuple(pitfalls), tuple(statements))


@functools.cache
def load_content(path: Path = CONTENT_FILE) -> Content:
    """The validated self-check content (read once per process)."""
    with path.open("rb") as handle:
        return parse_content(tomllib.load(handle))
