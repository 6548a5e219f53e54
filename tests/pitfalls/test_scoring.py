"""Self-check content and scoring: the statements file is sound, and the scores say which
pitfall is the worst."""

from __future__ import annotations

import tomllib

import pytest

from core.pitfalls.content import (
    CONTENT_FILE,
    PITFALL_IDS,
    ContentError,
    load_content,
    parse_content,
)
from core.pitfalls.scoring import (
    GREEN_FROM,
    YELLOW_FROM,
    average,
    changes,
    light,
    score_answers,
    statement_points,
    worst,
)
from tests.pitfalls.support import answers_making_worst


def _raw() -> dict:
    with CONTENT_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_shipped_statements_fit_two_minutes_and_cover_every_pitfall_both_ways() -> None:
    content = load_content()
    assert 10 <= len(content.statements) <= 15
    for pitfall in PITFALL_IDS:
        own = [s for s in content.statements if s.pitfall == pitfall]
        assert 2 <= len(own) <= 3, pitfall
    assert {s.agree_is_good for s in content.statements} == {True, False}
    assert [p.id for p in content.pitfalls] == list(PITFALL_IDS)
    for statement in content.statements:
        assert statement.text["de"] != statement.text["en"]
    for pitfall in content.pitfalls:
        assert pitfall.advice["de"] and len(pitfall.advice["de"]) == len(pitfall.advice["en"])


def test_funding_advice_follows_the_talk() -> None:
    advice = " ".join(load_content().pitfall("unbalanced_funding").advice["en"])
    for fact in ("membership fees", "services", "projects", "80 %", "30 %", "ten years"):
        assert fact in advice
    monitoring = " ".join(load_content().pitfall("missing_monitoring").advice["en"])
    assert "KPI" in monitoring and "every action" in monitoring


@pytest.mark.parametrize(("break_it", "message"), [
    (lambda raw: raw["statement"].pop(), "statements"),
    (lambda raw: raw["statement"][0].update(pitfall="nonsense"), "unknown pitfall"),
    (lambda raw: raw["statement"][1]["text"].pop("en"), "'text.en' is missing"),
    (lambda raw: [s.update(agree_is_good=True) for s in raw["statement"]], "both directions"),
    (lambda raw: raw["statement"][1].update(id=raw["statement"][0]["id"]), "used 2 times"),
    (lambda raw: raw["pitfall"][2]["advice"].update(de=[]), "advice.de"),
    (lambda raw: raw["pitfall"].pop(), "pitfalls must be exactly"),
])
def test_broken_statements_file_is_refused_with_the_reason(break_it, message: str) -> None:
    raw = _raw()
    break_it(raw)
    with pytest.raises(ContentError, match=message):
        parse_content(raw)


def test_statement_points_follow_the_direction_of_the_statement() -> None:
    assert statement_points(True, 5) == 100 and statement_points(True, 1) == 0
    assert statement_points(False, 5) == 0 and statement_points(False, 1) == 100
    assert statement_points(True, 3) == statement_points(False, 3) == 50
    with pytest.raises(ValueError, match="scale"):
        statement_points(True, 6)


@pytest.mark.parametrize("weak", PITFALL_IDS)
def test_every_pitfall_can_come_out_worst(weak: str) -> None:
    content = load_content()
    scores = score_answers(content, answers_making_worst(content, weak))
    assert scores[weak] == 0
    assert all(score == 100 for pitfall, score in scores.items() if pitfall != weak)
    assert worst(scores) == [weak]
    assert light(scores[weak]) == "red"


def test_two_weak_pitfalls_are_both_explained_the_weaker_first() -> None:
    scores = {"unrealistic_expectations": 90, "missing_monitoring": 55,
              "unbalanced_funding": 20, "quantity_over_quality": 80, "lack_of_openness": 75}
    assert worst(scores) == ["unbalanced_funding", "missing_monitoring"]
    healthy_second = dict(scores, missing_monitoring=85)
    assert worst(healthy_second) == ["unbalanced_funding"]
    ties = dict.fromkeys(PITFALL_IDS, 40)
    assert worst(ties) == ["unrealistic_expectations", "missing_monitoring"]


def test_unanswered_statements_cannot_be_scored() -> None:
    content = load_content()
    answers = answers_making_worst(content, "lack_of_openness")
    answers.pop(content.statements[0].id)
    with pytest.raises(ValueError, match=content.statements[0].id):
        score_answers(content, answers)


def test_traffic_light_thresholds() -> None:
    assert light(GREEN_FROM) == "green" and light(GREEN_FROM - 1) == "yellow"
    assert light(YELLOW_FROM) == "yellow" and light(YELLOW_FROM - 1) == "red"


def test_change_since_last_time_and_average() -> None:
    now = dict.fromkeys(PITFALL_IDS, 60)
    before = dict.fromkeys(PITFALL_IDS, 50)
    assert set(changes(now, before).values()) == {10}
    assert changes(now, None) == {}
    assert average([dict.fromkeys(PITFALL_IDS, 40), dict.fromkeys(PITFALL_IDS, 71)]) == \
        dict.fromkeys(PITFALL_IDS, 56)
