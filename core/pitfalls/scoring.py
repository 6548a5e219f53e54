"""Self-check scoring: answers on a five-step scale to a 0-100 score per pitfall.

100 means the pitfall is well avoided, 0 that it is fully present. A statement where agreeing
is good gives (value - 1) / 4 * 100 points, one where agreeing is bad (5 - value) / 4 * 100;
a pitfall's score is the rounded mean of its statements.
"""

from __future__ import annotations

from core.pitfalls.content import PITFALL_IDS, Content

SCALE_MIN, SCALE_MAX = 1, 5  # 1 = does not apply at all ... 5 = fully applies
GREEN_FROM = 70  # at least 70: the statements mostly describe healthy practice
YELLOW_FROM = 40  # 40-69: mixed; below 40: the pitfall is clearly present
LIGHTS = {"green": "🟢", "yellow": "🟡", "red": "🔴"}


def statement_points(agree_is_good: bool, value: int) -> float:
    """Points 0-100 for one answer; raises ValueError outside the scale."""
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"answer {value!r} is not on the scale {SCALE_MIN}-{SCALE_MAX}")
    agreement = (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    return 100 * (agreement if agree_is_good else 1 - agreement)


def score_answers(content: Content, answers: dict[str, int]) -> dict[str, int]:
    """Score per pitfall (talk order) from answers by statement id; every statement needed."""
    missing = [s.id for s in content.statements if s.id not in answers]
    if missing:
        raise ValueError(f"unanswered statements: {', '.join(missing)}")
    scores: dict[str, int] = {}
    for pitfall_id in PITFALL_IDS:
        points = [statement_points(s.agree_is_good, answers[s.id])
                  for s in content.statements if s.pitfall == pitfall_id]
        scores[pitfall_id] = round(sum(points) / len(points))
    return scores


def light(score: float) -> str:
    """Traffic light for a score: green, yellow or red."""
    if score >= GREEN_FROM:
        return "green"
    return "yellow" if score >= YELLOW_FROM else "red"


def worst(scores: dict[str, int]) -> list[str]:
    """The pitfalls to explain: the lowest, plus the second lowest when it is not green.

    Ties are broken by the talk's order, so the result is stable.
    """
    ranked = sorted(scores, key=lambda p: (scores[p], PITFALL_IDS.index(p)))
    chosen = ranked[:1]
    if len(ranked) > 1 and scores[ranked[1]] < GREEN_FROM:
        chosen.append(ranked[1])
    return chosen


def changes(scores: dict[str, int], previous: dict[str, int] | None) -> dict[str, int]:
    """Difference to the previous result per pitfall (empty without one)."""
    if not previous:
        return {}
    return {p: scores[p] - int(previous[p]) for p in scores if p in previous}


def average(results: list[dict[str, int]]) -> dict[str, int]:
    """Rounded mean per pitfall over several results."""
    return {p: round(sum(int(r[p]) for r in results) / len(results))
            for p in PITFALL_IDS if results and all(p in r for r in results)}
