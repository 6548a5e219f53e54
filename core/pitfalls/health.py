"""/health and `cluster-advisor health`: the five pitfalls judged from the cluster's own data.

`assess` gathers the counts (storage.pitfalls.health) and applies the rules (health_rules);
`as_json` is the documented JSON shape (the evidence lists the ids of the plan items behind a
finding); `render` is /health and `cluster-advisor health`; `digest_lines` gives the weekly
digest one line per pitfall that is warn or alert, with only the checks that warn. The
sentences themselves live in health_text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.actor import Actor
from core.i18n import t
from core.pitfalls import health_rules as rules
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.formatting import long_day
from core.pitfalls.funding import founded, funding_shares
from core.pitfalls.health_text import check_lines, named_ids, needs_line
from core.reply import Reply
from core.services import Services
from storage.clock import utcnow
from storage.engine import session_scope
from storage.events.followup import months_ago
from storage.events.kpis import conversion
from storage.pitfalls.health import (
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
    checks: dict[str, str] = field(default_factory=dict)  # each check's own status
    missing: tuple[str, ...] = ()  # what a verdict still needs (see health_rules)


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
        converted = conversion(session=session, before=months_ago(now, 3))  # issue #14
    findings = {
        "unrealistic_expectations": rules.expectations(plan),
        "missing_monitoring": rules.monitoring(plan, info, now),
        "unbalanced_funding": rules.funding(funding_shares(services), founded(services).year),
        "quantity_over_quality": rules.quantity(members, converted),
        "lack_of_openness": rules.openness(profiles, plan),
    }
    return [PitfallHealth(p, findings[p].status, findings[p].evidence, findings[p].checks,
                          findings[p].missing) for p in PITFALL_IDS]


def as_json(services: Services, lang: str) -> dict[str, Any]:
    """{"pitfalls": [{"id", "status", "evidence", "advice"}]} with advice in `lang`."""
    content = load_content()
    return {"pitfalls": [
        {"id": h.id, "status": h.status, "evidence": h.evidence,
         "advice": content.pitfall(h.id).health_advice[lang]} for h in assess(services)]}


# ---------------------------------------------------------------------------------- words
def evidence_lines(lang: str, item: PitfallHealth) -> list[str]:
    """The evidence as short sentences with the numbers and the items behind a finding."""
    return [line for _, line in check_lines(lang, item.id, item.evidence)]


def warning_lines(lang: str, item: PitfallHealth) -> list[str]:
    """Only the sentences of the checks that warn (for the digest)."""
    return [line for check, line in check_lines(lang, item.id, item.evidence)
            if item.checks.get(check) in (rules.WARN, rules.ALERT)]


def render(services: Services, lang: str, items: list[PitfallHealth]) -> str:
    content = load_content()
    blocks = [t(lang, "pitfalls_health_title",
                date=long_day(utcnow(), lang, services.settings.tz))]
    named: list[int] = []
    for item in items:
        pitfall = content.pitfall(item.id)
        lines = [t(lang, "pitfalls_health_row", icon=ICONS[item.status],
                   title=html.escape(pitfall.title[lang]),
                   status=t(lang, f"pitfalls_health_status_{item.status}"))]
        lines.extend(f"• {line}" for line in evidence_lines(lang, item))
        if item.status == rules.UNKNOWN and item.missing:
            lines.append(f"• {needs_line(lang, item.missing)}")
        lines.append(f"→ <i>{html.escape(pitfall.health_advice[lang])}</i>")
        blocks.append("\n".join(lines))
        named.extend(named_ids(item.evidence))
    footer = t(lang, "pitfalls_health_footer")
    if named:
        footer = t(lang, "pitfalls_health_open_item", id=named[0]) + "\n" + footer
    blocks.append(footer)
    return "\n\n".join(blocks)


def command(services: Services, actor: Actor, args: str) -> Reply:
    """/health: every pitfall with status, evidence in numbers and advice (managers)."""
    return Reply(render(services, actor.language, assess(services)))


def digest_lines(services: Services, lang: str, at: datetime) -> list[str]:
    """One line per pitfall that is warn or alert at `at`, with only the checks that warn
    (the weekly digest's hook)."""
    content = load_content()
    lines = []
    for item in assess(services, at):
        if item.status in (rules.WARN, rules.ALERT):
            title = html.escape(content.pitfall(item.id).title[lang])
            lines.append(f"{ICONS[item.status]} {title}: "
                         + "; ".join(warning_lines(lang, item)))
    return lines
