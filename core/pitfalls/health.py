"""/health and `cluster-advisor health`: the five pitfalls judged from the cluster's own data.

`assess` gathers the counts (storage.pitfall_health) and applies the rules (health_rules);
`as_json` is the documented JSON shape; `digest_lines` gives the weekly digest one line per
pitfall that is warn or alert.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.actor import Actor
from core.i18n import t
from core.pitfalls import health_rules as rules
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.formatting import day, percent
from core.pitfalls.funding import founded, funding_shares
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.models import utcnow
from storage.pitfall_health import (
    member_counts,
    plan_counts,
    profile_counts,
    selfcheck_info,
    stale_limit,
)

ICONS = {rules.OK: "✅", rules.WARN: "🟡", rules.ALERT: "🔴", rules.UNKNOWN: "⚪"}


@dataclass(frozen=True)
class PitfallHealth:
    id: str
    status: str
    evidence: dict[str, Any]


def assess(services: Services, now: datetime | None = None) -> list[PitfallHealth]:
    """Every pitfall's status and evidence, in the talk's order."""
    now = now or utcnow()
    today = now.astimezone(services.settings.tz).date()
    managers = services.settings.manager_ids
    with session_scope(services.engine) as session:
        plan = plan_counts(session=session, today=today,
                           stale_before=stale_limit(now, rules.STALE_AFTER_DAYS),
                           per_extra_group_days=rules.DAYS_PER_EXTRA_GROUP,
                           max_required_days=rules.MAX_REQUIRED_DAYS)
        members = member_counts(session=session, manager_ids=managers)
        profiles = profile_counts(session=session, manager_ids=managers)
        info = selfcheck_info(session=session)
    findings = {
        "unrealistic_expectations": rules.expectations(plan),
        "missing_monitoring": rules.monitoring(plan, info, now),
        "unbalanced_funding": rules.funding(funding_shares(services), founded(services).year),
        "quantity_over_quality": rules.quantity(members),
        "lack_of_openness": rules.openness(profiles, plan),
    }
    return [PitfallHealth(p, findings[p].status, findings[p].evidence) for p in PITFALL_IDS]


def as_json(services: Services, lang: str) -> dict[str, Any]:
    """{"pitfalls": [{"id", "status", "evidence", "advice"}]} with advice in `lang`."""
    content = load_content()
    return {"pitfalls": [
        {"id": h.id, "status": h.status, "evidence": h.evidence,
         "advice": content.pitfall(h.id).health_advice[lang]} for h in assess(services)]}


# ---------------------------------------------------------------------------------- words
def _of(lang: str, key: str, **values: object) -> str:
    return t(lang, f"pitfalls_ev_{key}", **values)


def evidence_lines(lang: str, item: PitfallHealth) -> list[str]:
    """The evidence as short sentences with the numbers (HTML-safe: numbers only)."""
    e = item.evidence
    lines: list[str] = []
    if item.id == "unrealistic_expectations":
        if e["active_items"]:
            lines.append(_of(lang, "overdue", count=e["overdue_items"], total=e["active_items"],
                             percent=percent(e["overdue_percent"])))
        if e["multi_group_items"]:
            lines.append(_of(lang, "rushed", count=e["items_due_too_soon"],
                             total=e["multi_group_items"]))
        lines = lines or [_of(lang, "no_active_items")]
    elif item.id == "missing_monitoring":
        if e["active_items"]:
            lines.append(_of(lang, "no_kpi", count=e["items_without_kpi"],
                             total=e["active_items"]))
            lines.append(_of(lang, "stale", count=e["items_without_update"],
                             total=e["active_items"], weeks=e["update_limit_days"] // 7))
        else:
            lines.append(_of(lang, "no_active_items"))
        if e["days_since_selfcheck"] is not None:
            lines.append(_of(lang, "selfcheck", days=e["days_since_selfcheck"]))
        else:
            lines.append(_of(lang, "selfcheck_never"))
    elif item.id == "unbalanced_funding":
        if e["year"] is None:
            lines.append(_of(lang, "funding_none"))
        elif e["cluster_year"] is None or e["recommended_public_percent"] is None:
            lines.append(_of(lang, "funding_no_founded", year=e["year"],
                             share=percent(e["public_percent"])))
        else:
            lines.append(_of(lang, "funding", year=e["year"], age=e["cluster_year"],
                             share=percent(e["public_percent"]),
                             target=percent(e["recommended_public_percent"])))
    elif item.id == "quantity_over_quality":
        if e["members"]:
            lines.append(_of(lang, "passive", count=e["passive"], total=e["members"],
                             percent=percent(e["passive_percent"]),
                             profiles=e["with_profile"]))
        else:
            lines.append(_of(lang, "no_members"))
    elif item.id == "lack_of_openness":
        if e["profiles"]:
            lines.append(_of(lang, "hidden", count=e["hidden_profiles"], total=e["profiles"]))
        if e["items_with_groups"]:
            lines.append(_of(lang, "single_group", count=e["single_group_items"],
                             total=e["items_with_groups"]))
        lines = lines or [_of(lang, "openness_none")]
    return lines


def render(services: Services, lang: str, items: list[PitfallHealth]) -> str:
    content = load_content()
    blocks = [t(lang, "pitfalls_health_title", date=day(utcnow(), lang, services.settings.tz))]
    for item in items:
        pitfall = content.pitfall(item.id)
        lines = [t(lang, "pitfalls_health_row", icon=ICONS[item.status],
                   title=html.escape(pitfall.title[lang]),
                   status=t(lang, f"pitfalls_health_status_{item.status}"))]
        lines.extend(f"• {line}" for line in evidence_lines(lang, item))
        if item.status == rules.UNKNOWN and item.id != "unbalanced_funding":
            lines.append(t(lang, "pitfalls_health_too_little", minimum=rules.MIN_SAMPLE))
        lines.append(f"→ <i>{html.escape(pitfall.health_advice[lang])}</i>")
        blocks.append("\n".join(lines))
    blocks.append(t(lang, "pitfalls_health_footer"))
    return "\n\n".join(blocks)


def command(services: Services, actor: Actor, args: str) -> Reply:
    """/health: every pitfall with status, evidence in numbers and advice (managers)."""
    return Reply(render(services, actor.language, assess(services)))


def digest_lines(services: Services, lang: str) -> list[str]:
    """One line per pitfall that is warn or alert (for the weekly digest); [] when none."""
    content = load_content()
    lines = []
    for item in assess(services):
        if item.status in (rules.WARN, rules.ALERT):
            title = html.escape(content.pitfall(item.id).title[lang])
            lines.append(f"{ICONS[item.status]} {title}: "
                         + "; ".join(evidence_lines(lang, item)))
    return lines
