"""The knowledge base: entries written from the talk, in German and English, as TOML files.

`load_knowledge_base` returns the validated content; `check_knowledge_base` reports every
problem with file and entry instead of stopping at the first, for `cluster-advisor kb check`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("de", "en")
CONTENT_DIR = Path(__file__).parent / "content"
CHAPTERS_FILE = "chapters.toml"
MAX_ANSWER_WORDS = 130
ID_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class Chapter:
    id: str
    order: int
    title: dict[str, str]


@dataclass(frozen=True)
class Entry:
    """One answer of the advisor, with the phrasings and keywords that lead to it."""

    id: str
    chapter: str
    source: str
    related: tuple[str, ...]
    title: dict[str, str]
    questions: dict[str, tuple[str, ...]]
    keywords: dict[str, tuple[str, ...]]
    answer: dict[str, str]
    file: str
    # answers facts about this very cluster (a cluster entry, or a shipped one a manager
    # taught such a question): only then may "unser Mitgliedsbeitrag" questions find it
    cluster_facts: bool = False


@dataclass(frozen=True)
class KnowledgeBase:
    chapters: tuple[Chapter, ...]
    entries: tuple[Entry, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        by_id: dict[str, Entry] = self._by_id  # type: ignore[attr-defined]
        return by_id.get(entry_id)

    def chapter(self, chapter_id: str) -> Chapter | None:
        return next((c for c in self.chapters if c.id == chapter_id), None)

    def in_chapter(self, chapter_id: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.chapter == chapter_id]


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: entry {self.entry!r}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base files are broken; `problems` lists every defect found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


def _language_table(raw: dict, key: str, *, file: str, entry: str, problems: list[Problem]
                    ) -> dict[str, object]:
    value = raw.get(key)
    if not isinstance(value, dict):
        problems.append(Problem(file, entry, f"'{key}' is missing or not a table of de/en"))
        return {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if text is None:
            problems.append(Problem(file, entry, f"'{key}' has no {lang!r} version"))
        elif (isinstance(text, str) and not text.strip()) or (isinstance(text, list) and (
                not text or not all(isinstance(t, str) and t.strip() for t in text))):
            problems.append(Problem(file, entry, f"'{key}.{lang}' is empty"))
    return value


def _read_toml(path: Path, problems: list[Problem]) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(path.name, "", f"not valid TOML: {exc}"))
    except UnicodeDecodeError:
        problems.append(Problem(path.name, "", "not UTF-8"))
    return {}


def _parse_chapters(directory: Path, problems: list[Problem]) -> list[Chapter]:
    path = directory / CHAPTERS_FILE
    if not path.exists():
        problems.append(Problem(CHAPTERS_FILE, "", "file is missing"))
        return []
    chapters = []
    for raw in _read_toml(path, problems).get("chapter", []):
        chapter_id = str(raw.get("id", ""))
        title = _language_table(raw, "title", file=CHAPTERS_FILE, entry=chapter_id,
                                problems=problems)
        chapters.append(Chapter(chapter_id, int(raw.get("order", 99)),
                                {k: str(v) for k, v in title.items()}))
    return sorted(chapters, key=lambda c: c.order)


def _parse_entry(raw: dict, file: str, problems: list[Problem]) -> Entry:
    entry_id = str(raw.get("id", ""))
    if not ID_PATTERN.match(entry_id):
        problems.append(Problem(file, entry_id, "id must be 1-40 characters of a-z, 0-9, _"))
    tables = {key: _language_table(raw, key, file=file, entry=entry_id, problems=problems)
              for key in ("title", "questions", "keywords", "answer")}
    for lang in LANGUAGES:
        answer = tables["answer"].get(lang)
        if isinstance(answer, str) and len(answer.split()) > MAX_ANSWER_WORDS:
            problems.append(Problem(file, entry_id, f"answer.{lang} has {len(answer.split())} "
                                    f"words; keep it under {MAX_ANSWER_WORDS}"))
        if isinstance(answer, str) and re.search(r"[<>&]", answer):
            problems.append(Problem(file, entry_id, f"answer.{lang} contains <, > or &"))
    related = raw.get("related", [])
    if not isinstance(related, list):
        problems.append(Problem(file, entry_id, "'related' must be a list of ids"))
        related = []
    if not str(raw.get("source", "")).strip():
        problems.append(Problem(file, entry_id, "'source' (part of the talk) is missing"))
    return Entry(
        id=entry_id,
        chapter=str(raw.get("chapter", "")),
        source=str(raw.get("source", "")),
        related=tuple(str(r) for r in related),
        title={k: str(v).strip() for k, v in tables["title"].items()},
        questions={k: tuple(v) for k, v in tables["questions"].items() if isinstance(v, list)},
        keywords={k: tuple(v) for k, v in tables["keywords"].items() if isinstance(v, list)},
        answer={k: str(v).strip() for k, v in tables["answer"].items()},
        file=file,
    )


def check_knowledge_base(directory: Path = CONTENT_DIR) -> tuple[KnowledgeBase, list[Problem]]:
    """Load every file and collect all problems (missing language, duplicate id, ...)."""
    problems: list[Problem] = []
    chapters = _parse_chapters(directory, problems)
    chapter_ids = {c.id for c in chapters}
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    files = sorted(p for p in directory.glob("*.toml") if p.name != CHAPTERS_FILE)
    if not files:
        problems.append(Problem(str(directory), "", "no knowledge files (*.toml) found"))
    for path in files:
        for raw in _read_toml(path, problems).get("entry", []):
            entry = _parse_entry(raw, path.name, problems)
            if entry.id in seen:
                problems.append(Problem(path.name, entry.id,
                                        f"duplicate id (first defined in {seen[entry.id]})"))
                continue
            seen[entry.id] = path.name
            if entry.chapter not in chapter_ids:
                problems.append(Problem(path.name, entry.id,
                                        f"unknown chapter {entry.chapter!r}"))
            entries.append(entry)
    for entry in entries:
        for related in entry.related:
            if related not in seen:
                problems.append(Problem(entry.file, entry.id,
                                        f"related id {related!r} does not exist"))
    return KnowledgeBase(tuple(chapters), tuple(entries)), problems


def load_knowledge_base(directory: Path = CONTENT_DIR) -> KnowledgeBase:
    """Load the knowledge base, refusing to start on broken content."""
    knowledge_base, problems = check_knowledge_base(directory)
    if problems:
        raise KnowledgeBaseError(problems)
    return knowledge_base
