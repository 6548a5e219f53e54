"""The shipped knowledge base is complete and faithful; `kb check` finds broken files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.base import CONTENT_DIR, check_knowledge_base, load_knowledge_base
from tests.conftest import clean_env

REQUIRED_TOPICS = [
    "what_is_a_cluster", "cluster_kinds", "cluster_characteristics", "spatial_concentration",
    "cluster_interactions", "knowledge_spillovers", "cluster_vs_network", "knowledge_kinds",
    "life_cycle", "life_cycle_paths", "good_cooperation", "network_needs_time",
    "field_of_tension", "common_goals", "elmos_objectives", "action_plan_steps",
    "regional_swot", "action_plan_table", "action_plan_examples", "matchmaking_example",
    "pitfall_unrealistic_expectations", "pitfall_missing_monitoring",
    "pitfall_unbalanced_funding", "pitfall_quantity_over_quality", "pitfall_lack_of_openness",
    "management_activities", "management_competences", "people_over_concepts",
    "sustainable_network_needs", "funding_sources", "funding_balance",
]


def test_shipped_knowledge_base_has_no_problems() -> None:
    _, problems = check_knowledge_base()
    assert [str(p) for p in problems] == []


def test_every_topic_of_the_talk_is_covered() -> None:
    ids = {entry.id for entry in load_knowledge_base().entries}
    assert set(REQUIRED_TOPICS) <= ids


def test_answers_keep_the_talks_figures() -> None:
    kb = load_knowledge_base()

    def answers(entry_id: str) -> str:
        entry = kb.get(entry_id)
        assert entry is not None
        return entry.answer["de"] + " " + entry.answer["en"]

    assert all(n in answers("matchmaking_example") for n in ["190", "62", "15", "5"])
    assert "80" in answers("funding_balance") and "30" in answers("funding_balance")
    assert "2.000" in answers("cluster_kinds") and "2,000" in answers("cluster_kinds")
    assert "36" in answers("action_plan_examples")
    for word in ("CARS", "AUTO"):
        assert word in answers("action_plan_examples")


def test_answers_are_chat_sized() -> None:
    for entry in load_knowledge_base().entries:
        for lang in ("de", "en"):
            assert len(entry.answer[lang].split()) <= 130, (entry.id, lang)


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def test_check_reports_each_kind_of_problem_with_file_and_entry(tmp_path: Path) -> None:
    content = _broken_copy(tmp_path)
    (content / "99_broken.toml").write_text('''
[[entry]]
id = "what_is_a_cluster"
chapter = "basics"
source = "x"
related = []
title = { de = "A", en = "A" }
questions.de = ["a"]
questions.en = ["a"]
keywords.de = ["a"]
keywords.en = ["a"]
answer.de = "a"
answer.en = "a"

[[entry]]
id = "half_translated"
chapter = "basics"
source = "x"
related = ["no_such_entry"]
title = { de = "B" }
questions.de = ["b"]
questions.en = ["b"]
keywords.de = ["b"]
keywords.en = ["b"]
answer.de = "b"
answer.en = "   "
''', encoding="utf-8")
    (content / "98_syntax.toml").write_text("[[entry]\nid = ", encoding="utf-8")
    _, problems = check_knowledge_base(content)
    messages = [str(p) for p in problems]
    assert any("99_broken.toml: entry 'what_is_a_cluster': duplicate id" in m for m in messages)
    assert any("entry 'half_translated': 'title' has no 'en' version" in m for m in messages)
    assert any("entry 'half_translated': 'answer.en' is empty" in m for m in messages)
    assert any("related id 'no_such_entry' does not exist" in m for m in messages)
    assert any(m.startswith("98_syntax.toml: not valid TOML") for m in messages)


def test_load_refuses_broken_content(tmp_path: Path) -> None:
    content = _broken_copy(tmp_path)
    (content / "chapters.toml").unlink()
    with pytest.raises(Exception, match="chapters.toml"):
        load_knowledge_base(content)


def test_kb_check_command_passes_on_shipped_content(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "kb", "check"], cwd=tmp_path,
                            capture_output=True, text=True, env=clean_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Knowledge base OK" in result.stdout
