"""/selfcheck_summary: the cluster's average per pitfall over members' latest results.

Privacy: shown only when at least MIN_MEMBERS_FOR_SUMMARY members have answered, and never
per person; only results taken as a member or manager count (visitors are not the cluster).
"""

from __future__ import annotations

from core.actor import Actor
from core.i18n import t
from core.pitfalls.content import load_content
from core.pitfalls.report import advice_block, chart, score_rows
from core.pitfalls.scoring import average, worst
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.selfcheck import latest_member_results

# Below three answers an average would let a manager read (or subtract) one person's result.
MIN_MEMBERS_FOR_SUMMARY = 3
# Averages are shown in steps of five and without dates: comparing the summary before and
# after one more member answered would otherwise reveal that member's scores exactly.
SUMMARY_STEP = 5


def summary(services: Services, actor: Actor, args: str) -> Reply:
    """Average per pitfall over members' latest results, from three members on."""
    lang, content = actor.language, load_content()
    with session_scope(services.engine) as session:
        results = latest_member_results(session=session)
        scores = [{k: int(v) for k, v in r.scores.items()} for r in results]
    if not results:
        return Reply(t(lang, "pitfalls_summary_none", minimum=MIN_MEMBERS_FOR_SUMMARY))
    if len(results) < MIN_MEMBERS_FOR_SUMMARY:
        return Reply(t(lang, "pitfalls_summary_too_few", count=len(results),
                       minimum=MIN_MEMBERS_FOR_SUMMARY))
    mean = {p: SUMMARY_STEP * round(v / SUMMARY_STEP) for p, v in average(scores).items()}
    lines = [t(lang, "pitfalls_summary_title", count=len(results), step=SUMMARY_STEP),
             *score_rows(content, lang, mean)]
    lines.extend("\n" + advice_block(content, lang, p, mean[p]) for p in worst(mean))
    picture = chart(content, lang, mean,
                    title=t(lang, "pitfalls_summary_chart_title", count=len(results)))
    return Reply("\n".join(lines), attachments=(picture,) if picture else ())
