"""Why a profile was found: which of my phrases fits which of their keywords.

For each of their offers (and needs) the phrase of mine that fits it best: as a whole, or
through one of its words weighted by that word's share of the phrase (so "partner" alone
never explains a match for "logistics partner" well).
"""

from __future__ import annotations

from core.members.keywords import keyword_words
from core.members.query import Phrase, Reason
from core.members.units import UnitTable

SHOWN = 0.45


def phrase_fits(phrase: Phrase) -> dict[int, float]:
    """Unit -> how well the phrase explains it (whole, or a word times its share)."""
    found: dict[int, float] = {}
    total = sum(term.weight for term in phrase.words) or 1.0
    for term in phrase.terms:
        share = 1.0 if term is phrase.whole else term.weight / total
        for unit, fit in zip(term.units.tolist(), term.fits.tolist(), strict=True):
            value = fit * share
            if value > found.get(unit, 0.0):
                found[unit] = value
    return found


def _best(units: UnitTable, label: str, phrases: tuple[Phrase, ...],
          fits: dict[int, dict[int, float]]) -> tuple[float, str] | None:
    unit = units.find(keyword_words(label))
    if unit is None:
        return None
    best: tuple[float, str] | None = None
    for phrase in phrases:
        table = fits.get(id(phrase))
        if table is None:
            table = fits[id(phrase)] = phrase_fits(phrase)
        fit = table.get(unit, 0.0)
        if fit > 0 and (best is None or fit > best[0]):
            best = (fit, phrase.text)
    return best


def reasons_for(units: UnitTable, offers: tuple[str, ...], needs: tuple[str, ...],
                for_offers: tuple[Phrase, ...], for_needs: tuple[Phrase, ...],
                cache: dict[int, dict[int, float]] | None = None) -> tuple[Reason, ...]:
    """Their offers explained by `for_offers`, their needs by `for_needs`, best first:
    those that fit at least SHOWN, or else only the best (that a weak fit is all there is
    is worth knowing too)."""
    fits = cache if cache is not None else {}
    found: list[Reason] = []
    for labels, phrases, side in ((offers, for_offers, "offer"), (needs, for_needs, "need")):
        for label in labels:
            best = _best(units, label, phrases, fits)
            if best is not None:
                found.append(Reason(best[1], label, side, best[0]))
    found.sort(key=lambda reason: (-reason.fit, reason.side != "offer"))
    strong = tuple(reason for reason in found if reason.fit >= SHOWN)
    return strong or tuple(found[:1])
