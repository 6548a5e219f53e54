"""The question index kept on disk: a restart reads it instead of building it, answers the
same, and never trusts a file made for other content or code, nor a damaged one."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

import core.question_index as question_index
import knowledge.matcher
from core.question_index import PREFIX, folder_of, matcher_for
from knowledge import index
from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.matcher import Matcher
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [case["q"] for case in tomllib.loads(
    (ROOT / "tests" / "data" / "matcher_cases.toml").read_text(encoding="utf-8"))["case"]]


def _settings(folder: Path):  # type: ignore[no-untyped-def]
    return make_settings(f"sqlite:///{folder / 'advisor.sqlite3'}")


def _outcomes(matcher: Matcher) -> list[tuple[object, ...]]:
    found = []
    for question in QUESTIONS:
        match = matcher.match(question)
        found.append((match.entry.id if match.entry else None, match.score,
                       [e.id for e in match.close], [e.id for e in match.suggestions],
                       [(round(s, 9), e.id) for s, e in matcher.rank(question)]))
    return found


def _no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_knowledge: KnowledgeBase) -> index.Index:
        raise AssertionError("the index was built, not read")
    monkeypatch.setattr(knowledge.matcher, "build", refuse)


def test_a_restart_reads_the_index_and_answers_exactly_as_a_built_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge_base = load_knowledge_base()
    built = matcher_for(_settings(tmp_path), knowledge_base)
    assert [p.name for p in tmp_path.glob(f"{PREFIX}*.bin")]
    _no_building(monkeypatch)
    restored = matcher_for(_settings(tmp_path), knowledge_base)
    assert _outcomes(restored) == _outcomes(built)


def test_a_large_knowledge_base_with_dense_rows_is_restored_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_knowledge_base()
    copies = [replace(entry, id=f"{entry.id}_{n}", related=(),
                      questions={lang: qs[n % 3:] for lang, qs in entry.questions.items()})
              for n in range(8) for entry in shipped.entries]
    large = KnowledgeBase(shipped.chapters, tuple(copies))
    assert len(large.entries) > index.DENSE_MAX_ENTRIES
    built = matcher_for(_settings(tmp_path), large)
    assert built.index.dense is None and built.index.postings.row("cluster") is not None
    _no_building(monkeypatch)
    assert _outcomes(matcher_for(_settings(tmp_path), large)) == _outcomes(built)


def test_other_content_or_code_builds_afresh(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_knowledge_base()
    matcher_for(_settings(tmp_path), shipped)
    first = entry = shipped.entries[0]
    german = (*entry.questions["de"], "Was ist ein Kompetenznetz?")
    taught = replace(entry, questions={**entry.questions, "de": german})
    changed = KnowledgeBase(shipped.chapters, (taught, *shipped.entries[1:]))
    answered = matcher_for(_settings(tmp_path), changed).match("Was ist ein Kompetenznetz?")
    assert answered.entry is not None and answered.entry.id == first.id
    assert len(list(tmp_path.glob(f"{PREFIX}*.bin"))) == 2  # both kept: both come back
    # an upgrade of the language layer or the index: the saved files are not used
    monkeypatch.setattr(question_index, "code_fingerprint", lambda: "another version")
    calls = []
    monkeypatch.setattr(knowledge.matcher, "build",
                        lambda knowledge_base: calls.append(1) or index.build(knowledge_base))
    matcher_for(_settings(tmp_path), shipped)
    assert calls == [1]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_file_is_ignored_and_replaced(tmp_path: Path, damage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    shipped = load_knowledge_base()
    matcher_for(_settings(tmp_path), shipped)
    (path,) = tmp_path.glob(f"{PREFIX}*.bin")
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2],
                      "flip": data[:-100] + bytes(b ^ 0xFF for b in data[-100:]),
                      "garbage": b"\x00" * 1000}[damage])
    with caplog.at_level(logging.INFO):
        matcher = matcher_for(_settings(tmp_path), shipped)
    match = matcher.match("Was ist ein Cluster?")
    assert match.entry is not None and match.entry.id == "what_is_a_cluster"
    assert "question index snapshot" in caplog.text and "ignored" in caplog.text
    assert len(path.read_bytes()) == len(data)  # written again, whole
    caplog.clear()
    with caplog.at_level(logging.INFO):
        matcher_for(_settings(tmp_path), shipped)
    assert "ignored" not in caplog.text


def test_a_folder_that_cannot_be_written_only_means_building(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    settings = make_settings(f"sqlite:///{tmp_path / 'advisor.sqlite3'}", cache_dir=str(blocked))
    match = matcher_for(settings, load_knowledge_base()).match("Was ist ein Cluster?")
    assert match.entry is not None and match.entry.id == "what_is_a_cluster"


def test_where_the_files_live(tmp_path: Path) -> None:
    assert folder_of(_settings(tmp_path)) == tmp_path
    assert folder_of(make_settings("sqlite:///:memory:")) is None
    assert folder_of(make_settings("postgresql://u@h/db")) == Path("data") / "cache"
    assert folder_of(make_settings("sqlite:///x.sqlite3", cache_dir=str(tmp_path))) == tmp_path
