"""Question matching: the table of real-world questions, and the robustness it promises."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from knowledge.base import load_knowledge_base
from knowledge.matcher import Matcher

CASES = tomllib.loads((Path(__file__).parent / "data" / "matcher_cases.toml")
                      .read_text(encoding="utf-8"))["case"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge_base())


def test_case_table_is_large_and_covers_every_entry(matcher: Matcher) -> None:
    assert len(CASES) >= 60
    expected = {case["expect"] for case in CASES if case["expect"]}
    assert expected == {entry.id for entry in matcher.knowledge_base.entries}
    assert sum(1 for case in CASES if not case["expect"]) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:50] for c in CASES])
def test_question_finds_expected_entry_or_none(matcher: Matcher, case: dict[str, str]) -> None:
    match = matcher.match(case["q"], fallback_lang="de")
    found = match.entry.id if match.entry else ""
    assert found == case["expect"], f"score {match.score}, suggestions " \
        f"{[e.id for e in match.suggestions]}"


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:50] for c in CASES])
def test_question_language_is_detected(matcher: Matcher, case: dict[str, str]) -> None:
    if case["expect"]:
        assert matcher.match(case["q"], fallback_lang="xx").lang in (case["lang"], "xx")
        assert matcher.match(case["q"], fallback_lang=case["lang"]).lang == case["lang"]


@pytest.mark.parametrize("variant", [
    "Förderung Finanzierung Balance", "Foerderung Finanzierung Balance",
    "FORDERUNG FINANZIERUNG BALANCE", "finanzierung, förderung; balance!!!",
    "Balance Finanzierung Förderung",
])
def test_spelling_case_punctuation_and_order_do_not_matter(matcher: Matcher, variant: str
                                                           ) -> None:
    match = matcher.match(variant)
    assert match.entry is not None and match.entry.id == "funding_balance"


def test_compound_and_split_forms_agree(matcher: Matcher) -> None:
    joined = matcher.match("Clusterlebenszyklus Phasen")
    split = matcher.match("Cluster Lebenszyklus Phasen")
    assert joined.entry is not None and split.entry is not None
    assert joined.entry.id == split.entry.id == "life_cycle"


def test_kubernetes_cluster_is_out_of_scope_but_gets_suggestions(matcher: Matcher) -> None:
    match = matcher.match("What is a Kubernetes cluster?")
    assert match.entry is None and match.score < matcher.confident_score
    assert match.lang == "en"


def test_no_content_words_means_no_match(matcher: Matcher) -> None:
    for text in ["", "???", "😀😀", "und oder aber", "the of and"]:
        match = matcher.match(text)
        assert match.entry is None and match.content_words == 0


@pytest.mark.parametrize("question", [
    "Wie wird das Wetter morgen?", "What is the capital of France?", "Erzähl mir einen Witz",
    "How do I bake bread?", "Wer ist Bundeskanzler?", "HPC cluster scheduling with slurm",
])
def test_everyday_questions_outside_the_table_get_no_confident_answer(
        matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry is None
