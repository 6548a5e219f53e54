"""How self-check scores are shown: one row per pitfall, the advice block, the chart.

Shared by a person's result (selfcheck) and the managers' average (summary).
"""

from __future__ import annotations

import html
import logging

from core.i18n import t
from core.pitfalls.charts import ScoreBar, selfcheck_chart
from core.pitfalls.content import Content
from core.pitfalls.formatting import delta
from core.pitfalls.scoring import LIGHTS, light
from core.reply import Attachment

logger = logging.getLogger(__name__)


def score_rows(content: Content, lang: str, scores: dict[str, int],
               change: dict[str, int] | None = None) -> list[str]:
    """One line per pitfall: light, title, score, and the change since last time."""
    lines = []
    for pitfall in content.pitfalls:
        score = scores[pitfall.id]
        since = ""
        if change and pitfall.id in change:
            since = t(lang, "pitfalls_change", delta=delta(change[pitfall.id]))
        lines.append(t(lang, "pitfalls_score_row", light=LIGHTS[light(score)],
                       title=html.escape(pitfall.title[lang]), score=score, change=since))
    return lines


def advice_block(content: Content, lang: str, pitfall_id: str, score: int) -> str:
    """The pitfall's title with its light and score, then the talk's advice as bullets."""
    pitfall = content.pitfall(pitfall_id)
    bullets = "\n".join(f"• {html.escape(item)}" for item in pitfall.advice[lang])
    return t(lang, "pitfalls_advice_title", light=LIGHTS[light(score)],
             title=html.escape(pitfall.title[lang]), score=score) + "\n" + bullets


def chart(content: Content, lang: str, scores: dict[str, int], *, title: str,
          previous: dict[str, int] | None = None) -> Attachment | None:
    """The five scores as a PNG; None (logged) if drawing fails: the text result stands."""
    bars = [ScoreBar(p.title[lang], scores[p.id], light(scores[p.id]),
                     int(previous[p.id]) if previous and p.id in previous else None)
            for p in content.pitfalls]
    try:
        png = selfcheck_chart(bars, title=title, axis_label=t(lang, "pitfalls_chart_axis"),
                              previous_label=t(lang, "pitfalls_chart_previous"))
    except Exception:  # a chart is a bonus; never lose the stored result over it
        logger.exception("Could not draw the self-check chart")
        return None
    return Attachment("selfcheck.png", png, kind="photo")
