"""Cluster entries as TOML, in the format of `knowledge/content/*.toml` (#12): written by
`cluster-advisor kb export`, read back by `kb import` with line-numbered problems.

tomllib gives no positions, so each problem is placed by reading the text once more: the
line of the entry's `[[entry]]` header, or of the key the problem names inside that entry.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.base import LANGUAGES, KnowledgeBase
from knowledge.cluster import (
    CLUSTER_CHAPTER_ID,
    CLUSTER_SOURCE,
    ClusterRecord,
    check_record,
    record_from_raw,
)

HEADER = re.compile(r"^\s*\[\[\s*entry\s*\]\]\s*(#.*)?$")
TOML_LINE = re.compile(r"at line (\d+)")
KEYS = ("title", "answer", "questions", "keywords", "related", "source", "chapter", "id")


@dataclass(frozen=True)
class LineProblem:
    file: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: entry {self.entry!r}: {self.message}" if self.entry else \
            f"{where}: {self.message}"


def _entry_lines(text: str) -> list[tuple[int, int]]:
    """(first, last) line numbers (1-based) of each [[entry]] block, in order."""
    lines = text.splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if HEADER.match(line)]
    return [(start, (starts[n + 1] - 1) if n + 1 < len(starts) else len(lines))
            for n, start in enumerate(starts)]


def _line_of(lines: list[str], block: tuple[int, int], message: str) -> int:
    """The line in the block of the key the message names (else the header line)."""
    named = re.search(r"'?\b(" + "|".join(KEYS) + r")\b", message)
    if named:
        key = re.compile(r"^\s*" + named.group(1) + r"\b")
        for number in range(block[0], block[1] + 1):
            if key.match(lines[number - 1]):
                return number
    return block[0]


def parse_entries(text: str, *, file: str, shipped: KnowledgeBase
                  ) -> tuple[list[ClusterRecord], list[LineProblem]]:
    """The file's entries, or every problem with its line (then no record is returned)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_LINE.search(str(exc))
        return [], [LineProblem(file, int(found.group(1)) if found else 1, "",
                                f"not valid TOML: {exc}")]
    raws = data.get("entry", [])
    if not isinstance(raws, list) or not raws:
        return [], [LineProblem(file, 1, "", "no [[entry]] tables found")]
    lines = text.splitlines()
    blocks = _entry_lines(text)
    ids = [str(raw.get("id", "")) for raw in raws]
    problems: list[LineProblem] = []
    seen: set[str] = set()
    for n, raw in enumerate(raws):
        block = blocks[n] if n < len(blocks) else (1, len(lines))
        if ids[n] in seen:
            problems.append(LineProblem(file, _line_of(lines, block, "id"), ids[n],
                                        "duplicate id in this file"))
        seen.add(ids[n])
        for problem in check_record(raw, file=file, shipped=shipped, known_ids=ids):
            problems.append(LineProblem(file, _line_of(lines, block, problem.message),
                                        problem.entry, problem.message))
    if problems:
        return [], problems
    return [record_from_raw(raw) for raw in raws], []


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def to_toml(records: Iterable[ClusterRecord]) -> str:
    """The records as a knowledge file; the cluster's chapter and source are left out."""
    out = ["# The cluster's own entries (cluster-advisor kb export). Edit and read back",
           "# with `cluster-advisor kb import FILE`; entries are matched by id.", ""]
    for record in records:
        content = record.content
        out.append("[[entry]]")
        out.append(f"id = {_string(record.id)}")
        if record.chapter != CLUSTER_CHAPTER_ID:
            out.append(f"chapter = {_string(record.chapter)}")
        if record.source and record.source != CLUSTER_SOURCE:
            out.append(f"source = {_string(record.source)}")
        if content.get("related"):
            out.append(f"related = {_strings(content['related'])}")
        for key in ("title", "answer"):
            table = content.get(key, {})
            parts = [f"{lang} = {_string(table[lang])}" for lang in LANGUAGES
                     if table.get(lang)]
            out.append(f"{key} = {{ {', '.join(parts)} }}")
        for key in ("questions", "keywords"):
            table = content.get(key, {}) or {}
            for lang in LANGUAGES:
                if table.get(lang):
                    out.append(f"{key}.{lang} = {_strings(table[lang])}")
        out.append("")
    return "\n".join(out)
