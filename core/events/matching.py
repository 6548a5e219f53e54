"""Suggested B2B partners among an event's participants, with the matched words shown.

Both directions, as /match does: my needs against their offers and my offers against their
needs. Each keyword a member wrote is analysed by the shared language layer
(knowledge.analysis: lemmas, compounds, the German-English bridge), so "Wärmepumpen" meets
"heat pump controls"; two keywords fit when they share a key, weighted by how specific the
words are (general words such as "Firma" count little). Participants are few (hundreds at
most), so every pair is compared; there is no index to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from knowledge.analysis import Analyser

FIT_CUTOFF = 0.25  # below this two keywords share only a general word or a far translation
MAX_SUGGESTIONS = 8


@lru_cache(maxsize=1)
def _analyser() -> Analyser:
    return Analyser(frozenset())


@lru_cache(maxsize=20_000)
def keys_of(keyword: str) -> tuple[tuple[str, float], ...]:
    """The weighted keys of one keyword: each term's keys times its specificity."""
    keys: dict[str, float] = {}
    for term in _analyser().terms(keyword):
        if term.intent:  # what a question asks for ("?ours" of "Parkplatz"), no topic
            continue
        for key, weight in term.keys.items():
            keys[key] = max(keys.get(key, 0.0), weight * term.general)
    return tuple(keys.items())


def fit(a: str, b: str) -> float:
    """How well two keywords fit (0..1): their best shared key."""
    mine = dict(keys_of(a))
    return max((weight * mine[key] for key, weight in keys_of(b) if key in mine), default=0.0)


@dataclass(frozen=True)
class Reason:
    direction: str  # "need_offer": my need meets their offer; "offer_need": the other way
    mine: str
    theirs: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    telegram_id: int
    score: float
    reasons: tuple[Reason, ...]


def _pairs(direction: str, mine: list[str], theirs: list[str]) -> list[Reason]:
    found = []
    for own in mine:
        best = max(((fit(own, other), other) for other in theirs), default=(0.0, ""))
        if best[0] >= FIT_CUTOFF:
            found.append(Reason(direction, own, best[1], best[0]))
    return found


def suggest(me: tuple[list[str], list[str]], others: dict[int, tuple[list[str], list[str]]],
            limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The best partners for `me` = (offers, needs) among `others` (id -> offers, needs)."""
    offers, needs = me
    found = []
    for person, (their_offers, their_needs) in others.items():
        reasons = _pairs("need_offer", needs, their_offers) + _pairs("offer_need", offers,
                                                                     their_needs)
        if reasons:
            reasons.sort(key=lambda r: -r.score)
            found.append(Suggestion(person, sum(r.score for r in reasons), tuple(reasons)))
    found.sort(key=lambda s: (-s.score, s.telegram_id))
    return found[:limit]
