"""Who fits what, on the language layer (knowledge.language) the matchmaking uses too:
profiles whose terms fit a list of keywords, pairs of members whose offers and needs fit,
and members whose offers fit an action's text — for the workshop (its round's invitations,
step 3's synergies) and the action plan (suggested participants) alike.

Terms agree by `affinity` (1.0 the same lemma, about 0.85 a translation, less for a shared
part), so "Ladeinfrastruktur" fits "charging infrastructure" and "Batterietechnik" fits
"battery technology". A text (a topic, an action) is read word by word and by two-word
phrases, so an offer can fit one phrase of it. "Nobody fits" is an ordinary result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from knowledge.language import affinity, fold, is_function_word, weighted_concepts, words

FIT = 0.6  # a translation or the same word; a shared part alone (0.25-0.5) is not a fit


@lru_cache(maxsize=20_000)
def _text_concepts(text: str) -> tuple[tuple[str, float], ...]:
    """The keys of a text's content words and two-word phrases, each at its best weight."""
    content = [w for w in words(fold(text)) if not is_function_word(w) and len(w) > 1]
    pieces = content + [f"{a} {b}" for a, b in zip(content, content[1:], strict=False)]
    found: dict[str, float] = {}
    for piece in pieces:
        for key, weight in weighted_concepts(piece).items():
            if weight > found.get(key, 0.0):
                found[key] = weight
    return tuple(found.items())


def text_concepts(text: str) -> Mapping[str, float]:
    return dict(_text_concepts(text))


def fits(term: str, text: Mapping[str, float] | str) -> float:
    """How well a keyword (an offer, a need) fits a term or a text, 0-1."""
    target = text_concepts(text) if isinstance(text, str) else text
    return affinity(weighted_concepts(term), target)


@dataclass(frozen=True)
class Fit:
    """Someone who fits, and the words that show why."""

    telegram_id: int
    score: float
    words: tuple[str, ...]


def keyword_fit(telegram_id: int, keywords: Iterable[str], terms: Iterable[str]
                ) -> Fit | None:
    """Whether a profile's terms (offers, needs) fit any of a round's keywords."""
    matched: list[str] = []
    best = 0.0
    for term in terms:
        score = max((fits(keyword, term) for keyword in keywords), default=0.0)
        if score >= FIT:
            matched.append(term)
            best = max(best, score)
    return Fit(telegram_id, best, tuple(matched)) if matched else None


@dataclass(frozen=True)
class Pair:
    """A synergy: `offerer` offers `offer`, which fits what `needer` needs."""

    offerer: int
    needer: int
    offer: str
    need: str
    score: float


def synergy_pairs(profiles: Mapping[int, tuple[list[str], list[str]]]) -> list[Pair]:
    """Pairs of members (telegram id -> (offers, needs)) whose offers fit the other's
    needs, best first, one per ordered pair of people."""
    found: dict[tuple[int, int], Pair] = {}
    for offerer, (offers, _) in profiles.items():
        for needer, (_, needs) in profiles.items():
            if offerer == needer:
                continue
            for offer in offers:
                for need in needs:
                    score = affinity(weighted_concepts(offer), weighted_concepts(need))
                    best = found.get((offerer, needer))
                    if score >= FIT and (best is None or score > best.score):
                        found[(offerer, needer)] = Pair(offerer, needer, offer, need, score)
    return sorted(found.values(), key=lambda p: (-p.score, p.offerer, p.needer))


def offer_fits(text: str, offers: Mapping[int, list[str]], *, limit: int = 5) -> list[Fit]:
    """Members whose offers fit an action's text (topic and action), best first."""
    target = text_concepts(text)
    fits_found: list[Fit] = []
    for telegram_id, terms in offers.items():
        scored = [(fits(term, target), term) for term in terms]
        good = [term for score, term in sorted(scored, reverse=True) if score >= FIT]
        if good:
            fits_found.append(Fit(telegram_id, max(s for s, _ in scored), tuple(good[:3])))
    fits_found.sort(key=lambda f: (-f.score, f.telegram_id))
    return fits_found[:limit]
